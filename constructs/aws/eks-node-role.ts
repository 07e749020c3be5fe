/**
 * The IAM role of EKS worker nodes: join the cluster, run the VPC CNI (which assigns pod IPs
 * through EC2 APIs) and pull images from ECR, nothing more. Workloads never use it: IMDSv2 with a
 * hop limit of 1 keeps pods away from the node's credentials; they get roles through Pod Identity.
 */
import type { Construct } from 'constructs';
import { ServiceRole } from './service-role';

export const EKS_NODE_MANAGED_POLICIES = [
  'AmazonEKSWorkerNodePolicy',
  'AmazonEKS_CNI_Policy',
  'AmazonEC2ContainerRegistryPullOnly',
] as const;

export interface EksNodeRoleProps {
  readonly roleName: string;
  readonly region: string;
}

export class EksNodeRole extends ServiceRole {
  constructor(scope: Construct, id: string, props: EksNodeRoleProps) {
    super(scope, id, { ...props, service: 'ec2.amazonaws.com', managedPolicies: EKS_NODE_MANAGED_POLICIES });
  }
}
