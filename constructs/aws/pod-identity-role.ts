/**
 * An IAM role for one Kubernetes service account through EKS Pod Identity: the role trusts the
 * Pod Identity service (`pods.eks.amazonaws.com`) only for sessions tagged with this cluster,
 * namespace and service account, and the association tells EKS which service account gets it.
 * Pods of that service account receive short-lived credentials from the Pod Identity agent; no
 * keys exist anywhere. Permissions come as managed policies or as statements of one inline policy.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { EksPodIdentityAssociation } from '@cdktf/provider-aws/lib/eks-pod-identity-association';
import type { Construct } from 'constructs';
import { ServiceRole } from './service-role';

/** Trust policy actions Pod Identity needs: assume the role and pass its session tags. */
export const POD_IDENTITY_TRUST_ACTIONS = ['sts:AssumeRole', 'sts:TagSession'] as const;
export const POD_IDENTITY_PRINCIPAL = 'pods.eks.amazonaws.com';

export interface PodIdentityRoleProps {
  readonly roleName: string;
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  /** Region of the stack: picks the ARN partition of managed policies. */
  readonly region: string;
  /** AWS managed policies to attach, by name with any path (`service-role/AmazonEBSCSIDriverPolicy`). @default [] */
  readonly managedPolicies?: readonly string[];
  /** What the role may do, as one inline policy. @default - no inline policy */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
  /**
   * Create the association here. Off when an EKS add-on declares it instead (its
   * `pod_identity_association`), so EKS manages it with the add-on.
   * @default true
   */
  readonly associate?: boolean;
}

export class PodIdentityRole extends ServiceRole {
  readonly association: EksPodIdentityAssociation | undefined;

  constructor(scope: Construct, id: string, props: PodIdentityRoleProps) {
    super(scope, id, {
      roleName: props.roleName,
      service: POD_IDENTITY_PRINCIPAL,
      region: props.region,
      trustActions: POD_IDENTITY_TRUST_ACTIONS,
      // Session tags Pod Identity sets: without these, any association in the account could use the role.
      trustConditions: [
        { test: 'StringEquals', variable: 'aws:RequestTag/eks-cluster-name', values: [props.clusterName] },
        { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: [props.namespace] },
        { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: [props.serviceAccount] },
      ],
      managedPolicies: props.managedPolicies,
      statements: props.statements,
    });
    if (props.associate ?? true)
      this.association = new EksPodIdentityAssociation(this, 'Association', {
        clusterName: props.clusterName,
        namespace: props.namespace,
        serviceAccount: props.serviceAccount,
        roleArn: this.role.arn,
      });
  }
}
