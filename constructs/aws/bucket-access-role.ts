/**
 * Read and write on one S3 bucket for one Kubernetes service account, through EKS Pod Identity:
 * the pods get short-lived credentials for a role that may list the bucket and read, write and
 * delete its objects (the same actions MinIO's per-bucket users get), and nothing else. Used for
 * MLflow's artifacts when `data.mlflow.artifactStore` is an AWS S3 bucket without a credentials
 * Secret.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { Construct } from 'constructs';
import { S3_READ_WRITE_ACTIONS } from '../data/object-store';
import { awsPartition } from './aws-partition';
import { PodIdentityRole } from './pod-identity-role';

/** IAM statements granting read-write on `bucketName` (ARNs in the partition of `region`). */
export function s3ReadWriteStatements(bucketName: string, region: string): DataAwsIamPolicyDocumentStatement[] {
  const arn = `arn:${awsPartition(region)}:s3:::${bucketName}`;
  return [
    { effect: 'Allow', actions: [...S3_READ_WRITE_ACTIONS.bucket], resources: [arn] },
    { effect: 'Allow', actions: [...S3_READ_WRITE_ACTIONS.objects], resources: [`${arn}/*`] },
  ];
}

export interface BucketAccessRoleProps {
  readonly roleName: string;
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
  readonly namespace: string;
  readonly serviceAccount: string;
  readonly bucketName: string;
  /** The bucket's region: picks the ARN partition. */
  readonly region: string;
}

export class BucketAccessRole extends Construct {
  readonly role: PodIdentityRole;

  constructor(scope: Construct, id: string, props: BucketAccessRoleProps) {
    super(scope, id);
    this.role = new PodIdentityRole(this, 'Role', {
      roleName: props.roleName,
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: props.serviceAccount,
      region: props.region,
      statements: s3ReadWriteStatements(props.bucketName, props.region),
    });
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
