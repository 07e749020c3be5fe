/**
 * A bucket in an S3-compatible object store, as its consumers see it: name, endpoint, region,
 * credentials by Secret reference, and who serves it. MinIO hands these out for its buckets
 * (`Minio.bucket`); a cloud bucket (S3, GCS through its S3 API) fills the same fields with its own
 * endpoint and credentials, so a consumer like MLflow does not change when the store does.
 */
import type { PodGroup } from '../kube/allow-traffic';
import type { AccessKeySecret } from './data-secrets';

export interface ObjectStoreBucket {
  readonly bucketName: string;
  /**
   * The S3 endpoint URL.
   * @default - the cloud's default endpoint for `region` (AWS S3)
   */
  readonly endpointUrl?: string;
  readonly region: string;
  /**
   * Static credentials.
   * @default - none: the workload's cloud identity (IRSA, Workload Identity) grants access
   */
  readonly credentials?: AccessKeySecret;
  /**
   * The in-cluster pods that serve the bucket and their port, for network policies.
   * @default - outside the cluster: reached over HTTPS
   */
  readonly servedBy?: { readonly pods: PodGroup; readonly port: number };
}

/** `s3://<bucket>/`, the artifact URI S3 clients take. */
export function s3Uri(bucket: ObjectStoreBucket): string {
  return `s3://${bucket.bucketName}/`;
}

/**
 * The S3 actions a bucket's read-write user gets: list the bucket and its uploads (on the bucket),
 * read, write and delete objects and manage multipart uploads (on its objects). Shared by the
 * MinIO user policy and the aws profile's IAM role, so both grant the same.
 */
export const S3_READ_WRITE_ACTIONS = {
  bucket: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
  objects: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
} as const;
