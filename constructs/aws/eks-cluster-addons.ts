/**
 * The EKS add-ons that run as Deployments and so need nodes: CoreDNS and the EBS CSI driver
 * (persistent volumes). The EBS CSI controller gets its IAM role through Pod Identity, declared on
 * the add-on itself; its policy is AWS's AmazonEBSCSIDriverPolicy.
 */
import { Construct } from 'constructs';
import type { ITerraformDependable } from '../cdktf';
import { EksAddon } from './eks-addon';
import { PodIdentityRole } from './pod-identity-role';

/** The EBS CSI controller's service account, as the add-on creates it. */
export const EBS_CSI_SERVICE_ACCOUNT = { namespace: 'kube-system', name: 'ebs-csi-controller-sa' } as const;

export interface EksClusterAddonsProps {
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
  /** Prefix of IAM role names, e.g. the cluster's plain name. */
  readonly namePrefix: string;
  readonly region: string;
  /** The node groups (and anything else) the add-ons wait for. */
  readonly dependsOn: ITerraformDependable[];
}

export class EksClusterAddons extends Construct {
  readonly coreDns: EksAddon;
  readonly ebsCsiDriver: EksAddon;
  readonly ebsCsiRole: PodIdentityRole;

  constructor(scope: Construct, id: string, props: EksClusterAddonsProps) {
    super(scope, id);
    const { clusterName, dependsOn } = props;
    this.coreDns = new EksAddon(this, 'CoreDns', { clusterName, addonName: 'coredns', dependsOn });
    this.ebsCsiRole = new PodIdentityRole(this, 'EbsCsiRole', {
      roleName: `${props.namePrefix}-ebs-csi`,
      clusterName,
      namespace: EBS_CSI_SERVICE_ACCOUNT.namespace,
      serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name,
      region: props.region,
      managedPolicies: ['service-role/AmazonEBSCSIDriverPolicy'],
      associate: false,
    });
    this.ebsCsiDriver = new EksAddon(this, 'EbsCsiDriver', {
      clusterName,
      addonName: 'aws-ebs-csi-driver',
      podIdentity: { serviceAccount: EBS_CSI_SERVICE_ACCOUNT.name, roleArn: this.ebsCsiRole.arn },
      dependsOn,
    });
  }
}
