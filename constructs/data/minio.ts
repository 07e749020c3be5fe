/**
 * MinIO, the in-cluster S3 store: a StatefulSet with its data on a volume, root credentials from a
 * Secret (MINIO_ROOT_USER / MINIO_ROOT_PASSWORD), the web console off, probes on MinIO's own
 * /minio/health/live and /minio/health/ready. Buckets are handed to consumers as ObjectStoreBucket
 * (`bucket()`), so a cloud bucket can take MinIO's place without the consumer changing.
 *
 * MinIO stopped publishing community images after RELEASE.2025-09-07T16-13-09Z (the source stays
 * AGPL); this pins that last release. Replace `image` with a build of your own to move on.
 */
import { Construct } from 'constructs';
import type { ComputeResources } from '../kube/compute-resources';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import { SecureWorkload } from '../kube/secure-workload';
import type { AccessKeySecret } from './data-secrets';
import type { ObjectStoreBucket } from './object-store';

export const MINIO_IMAGE: ImageReference = { repository: 'quay.io/minio/minio', tag: 'RELEASE.2025-09-07T16-13-09Z' };
export const MINIO_PORT = 9000;
/** MinIO accepts any region name; clients must send the one it is configured with. */
export const MINIO_REGION = 'us-east-1';

export interface MinioProps {
  readonly instance: string;
  readonly namespace: string;
  readonly rootCredentials: AccessKeySecret;
  readonly storage: { readonly size: string; readonly storageClassName: string };
  /** @default - 250m/2 CPU, 512Mi/2Gi memory */
  readonly resources?: ComputeResources;
  /** @default MINIO_IMAGE */
  readonly image?: ImageReference;
}

export class Minio extends Construct {
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  /** The S3 endpoint, e.g. http://minio.ai-data.svc.cluster.local:9000. */
  readonly endpointUrl: string;
  readonly rootCredentials: AccessKeySecret;

  constructor(scope: Construct, id: string, props: MinioProps) {
    super(scope, id);
    this.rootCredentials = props.rootCredentials;
    this.workload = new SecureWorkload(this, 'Workload', {
      name: 'minio',
      component: 'object-store',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      container: {
        name: 'minio',
        image: props.image ?? MINIO_IMAGE,
        command: ['minio'],
        args: ['server', '/data', '--address', `:${MINIO_PORT}`],
        env: {
          MINIO_ROOT_USER: { secretName: props.rootCredentials.secretName, key: props.rootCredentials.accessKeyIdKey },
          MINIO_ROOT_PASSWORD: { secretName: props.rootCredentials.secretName, key: props.rootCredentials.secretAccessKeyKey },
          MINIO_BROWSER: 'off',
          MINIO_UPDATE: 'off',
          // Prometheus scrapes /minio/v2/metrics/cluster without a token; only the pods the
          // network policies let in (Prometheus, MLflow, the bucket setup) reach the port at all.
          MINIO_PROMETHEUS_AUTH_TYPE: 'public',
          MINIO_REGION,
          // MinIO keeps its certs directory under $HOME/.minio: on the /tmp emptyDir.
          HOME: '/tmp',
        },
        ports: [{ name: 's3', port: MINIO_PORT }],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '2Gi' },
        health: {
          readiness: { httpGet: { path: '/minio/health/ready', port: 's3' } },
          liveness: { httpGet: { path: '/minio/health/live', port: 's3' } },
        },
        scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '256Mi' }],
      },
      persistentStorage: [{ name: 'data', mountPath: '/data', ...props.storage }],
    });
    this.pods = this.workload.pods;
    this.endpointUrl = `http://${this.workload.serviceHost}:${MINIO_PORT}`;
  }

  /** A bucket of this MinIO as its consumers see it, reached with `credentials`. */
  bucket(bucketName: string, credentials: AccessKeySecret): ObjectStoreBucket {
    return {
      bucketName,
      endpointUrl: this.endpointUrl,
      region: MINIO_REGION,
      credentials,
      servedBy: { pods: this.pods, port: MINIO_PORT },
    };
  }
}
