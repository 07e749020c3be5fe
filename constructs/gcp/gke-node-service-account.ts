/**
 * The node pools' own service account, in place of the Compute Engine default account (which
 * holds project Editor). It gets only what a GKE node needs: write logs and metrics, read
 * monitoring, write resource metadata (GKE's documented least-privilege node roles), and pull
 * images from the repositories granted with `ArtifactRegistryRepository.grantPull`.
 */
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { Construct } from 'constructs';

export interface GkeNodeServiceAccountProps {
  readonly project: string;
  /** Service account ID: 6-30 characters, a letter first. */
  readonly accountId: string;
}

/** The project roles every GKE node needs, and no more. */
export const GKE_NODE_ROLES = [
  'roles/logging.logWriter',
  'roles/monitoring.metricWriter',
  'roles/monitoring.viewer',
  'roles/stackdriver.resourceMetadata.writer',
] as const;

export class GkeNodeServiceAccount extends Construct {
  readonly account: ServiceAccount;
  /** `serviceAccount:<email>`, the IAM member string of this account. */
  readonly member: string;

  constructor(scope: Construct, id: string, props: GkeNodeServiceAccountProps) {
    super(scope, id);
    this.account = new ServiceAccount(this, 'Resource', {
      accountId: props.accountId,
      displayName: 'GKE nodes (least privilege)',
      description: 'Node pools of the Switchyard GKE cluster: logs, metrics, resource metadata, image pulls.',
    });
    this.member = `serviceAccount:${this.account.email}`;
    for (const role of GKE_NODE_ROLES) {
      new ProjectIamMember(this, role.replace('roles/', ''), { project: props.project, role, member: this.member });
    }
  }
}
