/**
 * One EKS managed add-on. EKS picks the add-on's default version for the cluster's Kubernetes
 * version at creation (pin `version` to choose); the config here wins over changes made in the
 * cluster (conflicts resolve by overwrite), so the stack stays the source of truth.
 */
import { EksAddon as EksAddonResource } from '@cdktf/provider-aws/lib/eks-addon';
import { Construct } from 'constructs';
import type { ITerraformDependable } from '../cdktf';

export interface EksAddonProps {
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
  /** EKS add-on name, e.g. `vpc-cni`, `aws-ebs-csi-driver`. */
  readonly addonName: string;
  /** @default - EKS's default version for the cluster's Kubernetes version */
  readonly version?: string;
  /** Add-on configuration (its JSON schema: `aws eks describe-addon-configuration`). @default - none */
  readonly configuration?: Readonly<Record<string, unknown>>;
  /** The add-on's service account gets this IAM role through Pod Identity. @default - none */
  readonly podIdentity?: { readonly serviceAccount: string; readonly roleArn: string };
  /** What must exist first (e.g. nodes, for add-ons that run Deployments). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export class EksAddon extends Construct {
  readonly addon: EksAddonResource;

  constructor(scope: Construct, id: string, props: EksAddonProps) {
    super(scope, id);
    this.addon = new EksAddonResource(this, 'Resource', {
      clusterName: props.clusterName,
      addonName: props.addonName,
      ...(props.version ? { addonVersion: props.version } : {}),
      ...(props.configuration ? { configurationValues: JSON.stringify(props.configuration) } : {}),
      ...(props.podIdentity ? { podIdentityAssociation: [{ ...props.podIdentity }] } : {}),
      resolveConflictsOnCreate: 'OVERWRITE',
      resolveConflictsOnUpdate: 'OVERWRITE',
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });
  }
}
