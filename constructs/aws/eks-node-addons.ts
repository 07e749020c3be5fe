/**
 * The EKS add-ons every node needs before it is Ready, installed before the node groups (the
 * cluster starts without self-managed add-ons): the VPC CNI, with Kubernetes NetworkPolicy
 * enforcement on (the platform's default-deny policies depend on it), kube-proxy, and the Pod
 * Identity agent that hands pods their IAM role credentials.
 */
import { Construct } from 'constructs';
import { EksAddon } from './eks-addon';

export interface EksNodeAddonsProps {
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
}

export class EksNodeAddons extends Construct {
  readonly vpcCni: EksAddon;
  readonly kubeProxy: EksAddon;
  readonly podIdentityAgent: EksAddon;

  constructor(scope: Construct, id: string, props: EksNodeAddonsProps) {
    super(scope, id);
    const { clusterName } = props;
    this.vpcCni = new EksAddon(this, 'VpcCni', { clusterName, addonName: 'vpc-cni', configuration: { enableNetworkPolicy: 'true' } });
    this.kubeProxy = new EksAddon(this, 'KubeProxy', { clusterName, addonName: 'kube-proxy' });
    this.podIdentityAgent = new EksAddon(this, 'PodIdentityAgent', { clusterName, addonName: 'eks-pod-identity-agent' });
  }

  /** The add-on resources, for node groups to depend on. */
  get resources() {
    return [this.vpcCni.addon, this.kubeProxy.addon, this.podIdentityAgent.addon];
  }
}
