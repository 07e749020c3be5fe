/**
 * Workload Identity for one Kubernetes ServiceAccount: a Google service account the KSA may
 * impersonate (roles/iam.workloadIdentityUser on the GSA, for exactly
 * `<project>.svc.id.goog[<namespace>/<ksa>]`). The GSA holds no project roles here: grant it
 * only what the workload calls. The KSA must carry the annotation
 * `iam.gke.io/gcp-service-account: <email>` (`annotation` below).
 */
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account';
import { ServiceAccountIamMember } from '@cdktf/provider-google/lib/service-account-iam-member';
import type { ITerraformDependable } from '../cdktf';
import { Construct } from 'constructs';
import { gcpServiceAccountEmail } from './gcp-service-account-email';

export interface GkeWorkloadIdentityProps {
  readonly project: string;
  /** The GSA's ID: 6-30 characters, a letter first. */
  readonly accountId: string;
  readonly namespace: string;
  readonly serviceAccountName: string;
  /** The cluster whose creation brings the project's workload identity pool into being. */
  readonly cluster: ITerraformDependable;
}

export class GkeWorkloadIdentity extends Construct {
  readonly account: ServiceAccount;
  readonly email: string;
  /** The annotation the Kubernetes ServiceAccount needs. */
  readonly annotation: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: GkeWorkloadIdentityProps) {
    super(scope, id);
    this.account = new ServiceAccount(this, 'Resource', {
      accountId: props.accountId,
      displayName: `Workload Identity of ${props.namespace}/${props.serviceAccountName}`,
    });
    this.email = gcpServiceAccountEmail(props.accountId, props.project);
    this.annotation = { 'iam.gke.io/gcp-service-account': this.email };
    new ServiceAccountIamMember(this, 'WorkloadIdentityUser', {
      serviceAccountId: this.account.name,
      role: 'roles/iam.workloadIdentityUser',
      member: `serviceAccount:${props.project}.svc.id.goog[${props.namespace}/${props.serviceAccountName}]`,
      dependsOn: [props.cluster],
    });
  }
}
