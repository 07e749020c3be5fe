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
