/**
 * An EKS control plane, secure by default: API server reachable on the private endpoint only
 * (the public one is off unless `publicEndpointCidrs` names who may use it), Kubernetes Secrets
 * envelope-encrypted with a customer-managed KMS key, all five control-plane log types sent to a
 * log group with a retention, authentication through EKS access entries only (no aws-auth
 * ConfigMap), and standard support only (no silent extended-support charges).
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { EksAccessEntry } from '@cdktf/provider-aws/lib/eks-access-entry';
import { EksAccessPolicyAssociation } from '@cdktf/provider-aws/lib/eks-access-policy-association';
import * as eks from '@cdktf/provider-aws/lib/eks-cluster';
import { Construct } from 'constructs';
import { Annotations } from '../cdktf';
import { awsPartition } from './aws-partition';
import { EncryptionKey } from './encryption-key';
import { ServiceRole } from './service-role';

/** Every control-plane log type EKS can send to CloudWatch (CKV_AWS_37). */
export const EKS_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;

/** What the control plane may do with the Secrets key (the key policy defers to IAM). */
export const SECRETS_KEY_ACTIONS = ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'] as const;

export interface EksClusterProps {
  readonly clusterName: string;
  /** Kubernetes minor version, e.g. `1.34`. */
  readonly kubernetesVersion: string;
  /** Subnets for the control plane's network interfaces: the private subnets of the VPC. */
  readonly subnetIds: string[];
  /** Region of the stack: picks the ARN partition of managed policies. */
  readonly region: string;
  /**
   * Turns the public API endpoint on, reachable only from these CIDRs. A weakening of the
   * default: the synth prints a warning, and the policy check CKV_AWS_39 is waived only through
   * the config switch `cluster.endpoint.publicAccess`.
   * @default - no public endpoint; the API server is reachable from inside the VPC only
   */
  readonly publicEndpointCidrs?: readonly string[];
  /** @default 90 */
  readonly logRetentionDays?: number;
}

export class EksCluster extends Construct {
  readonly cluster: eks.EksCluster;
  readonly secretsKey: EncryptionKey;
  readonly role: ServiceRole;
  private readonly partition: string;

  constructor(scope: Construct, id: string, props: EksClusterProps) {
    super(scope, id);
    this.partition = awsPartition(props.region);
    this.secretsKey = new EncryptionKey(this, 'SecretsKey', {
      alias: `${props.clusterName}/eks-secrets`,
      description: `Envelope encryption of Kubernetes Secrets in EKS cluster ${props.clusterName}`,
    });
    this.role = new ServiceRole(this, 'Role', {
      roleName: `${props.clusterName}-cluster`,
      service: 'eks.amazonaws.com',
      region: props.region,
      trustActions: ['sts:AssumeRole', 'sts:TagSession'],
      managedPolicies: ['AmazonEKSClusterPolicy'],
      // Envelope encryption: the control plane wraps and unwraps Secrets' data keys with this key only.
      statements: [
        { sid: 'SecretsEnvelopeEncryption', effect: 'Allow', actions: [...SECRETS_KEY_ACTIONS], resources: [this.secretsKey.arn] },
      ],
    });
    // EKS writes to this fixed name; creating it first gives it a retention (EKS's own never expires).
    const logs = new CloudwatchLogGroup(this, 'Logs', {
      name: `/aws/eks/${props.clusterName}/cluster`,
      retentionInDays: props.logRetentionDays ?? 90,
    });

    const publicCidrs = props.publicEndpointCidrs;
    if (publicCidrs)
      Annotations.of(this).addWarning(
        `The EKS public API endpoint is on, reachable from ${publicCidrs.join(', ')} (cluster.endpoint.publicAccess).`,
      );

    this.cluster = new eks.EksCluster(this, 'Resource', {
      name: props.clusterName,
      version: props.kubernetesVersion,
      roleArn: this.role.arn,
      vpcConfig: {
        subnetIds: props.subnetIds,
        endpointPrivateAccess: true,
        endpointPublicAccess: publicCidrs !== undefined,
        ...(publicCidrs ? { publicAccessCidrs: [...publicCidrs] } : {}),
      },
      encryptionConfig: { resources: ['secrets'], provider: { keyArn: this.secretsKey.arn } },
      enabledClusterLogTypes: [...EKS_LOG_TYPES],
      accessConfig: {
        authenticationMode: 'API',
        // The identity running `cdktf deploy` becomes cluster admin, so the Helm add-ons of the
        // same stack can install; everyone else gets access through `grantClusterAdmin`.
        bootstrapClusterCreatorAdminPermissions: true,
      },
      // vpc-cni, kube-proxy and CoreDNS come as managed EKS add-ons (EksCoreAddons) instead.
      bootstrapSelfManagedAddons: false,
      upgradePolicy: { supportType: 'STANDARD' },
      dependsOn: [logs, ...this.role.attachments],
    });
  }

  /** The cluster's name, as a reference: resources using it wait for the cluster. */
  get name(): string {
    return this.cluster.name;
  }

  /**
   * Makes an IAM role or user a cluster administrator: an access entry with the
   * AmazonEKSClusterAdminPolicy access policy over the whole cluster (Kubernetes `cluster-admin`).
   */
  grantClusterAdmin(id: string, principalArn: string): EksAccessPolicyAssociation {
    const entry = new EksAccessEntry(this, `${id}AccessEntry`, { clusterName: this.name, principalArn, type: 'STANDARD' });
    return new EksAccessPolicyAssociation(this, `${id}ClusterAdmin`, {
      clusterName: this.name,
      principalArn: entry.principalArn,
      policyArn: `arn:${this.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`,
      accessScope: { type: 'cluster' },
    });
  }
}
