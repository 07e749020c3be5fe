/**
 * The data tier: Redis (gateway cache and limits), Qdrant (vectors for RAG), MinIO (objects, e.g.
 * MLflow artifacts) and PostgreSQL (MLflow's backend store). Each runs only when its component is
 * on in `components`. Passwords and keys are never here: see docs/workloads.md for the Secrets.
 */
import { isIP } from 'node:net';
import { z } from 'zod';
import { dnsName, quantity } from './primitives';

/** An S3 bucket name: 3-63 lower-case letters, digits, dots and dashes. */
export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  message: 'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"',
});

/** Host names that only resolve inside the cluster or the LAN, which the internet egress policy does not reach. */
const LOCAL_HOST_SUFFIXES = ['.svc', '.local', '.internal', '.home.arpa', '.lan'];

/**
 * Whether `value` is an https:// URL of a public host on port 443, with no credentials, query or
 * fragment: what a pod reaches through the platform's internet egress policy (443 only, private
 * and link-local ranges carved out). An IP literal or an in-cluster / LAN name is refused.
 */
export function isPublicHttpsEndpoint(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  const host = url.hostname;
  return (
    url.protocol === 'https:' &&
    url.port === '' &&
    url.username === '' &&
    url.password === '' &&
    url.search === '' &&
    url.hash === '' &&
    !/\s/.test(value) &&
    isIP(host.replace(/^\[|\]$/g, '')) === 0 &&
    host.includes('.') &&
    !LOCAL_HOST_SUFFIXES.some((suffix) => host.endsWith(suffix))
  );
}

const publicHttpsEndpoint = z.string().refine(isPublicHttpsEndpoint, {
  message:
    'an https:// URL of a public host name on port 443, such as https://storage.googleapis.com (no IP address, in-cluster or LAN name: MLflow reaches it through the internet egress policy, 443 only)',
});

/** The keys of the Secret that holds S3 credentials (the same keys as MinIO's `mlflow-s3`). */
export const S3_CREDENTIAL_KEYS = { accessKeyIdKey: 'accessKeyId', secretAccessKeyKey: 'secretAccessKey' } as const;

/** Where MLflow keeps its artifacts. */
export const artifactStoreSchema = z.discriminatedUnion('type', [
  /** In the in-cluster MinIO, in `bucket` (created by the bucket setup Job, with a user limited to it). */
  z.strictObject({ type: z.literal('minio'), bucket: bucketName }),
  /** In a bucket outside the cluster: AWS S3, or any S3-compatible store (GCS, R2, ...) at `endpoint`. */
  z.strictObject({
    type: z.literal('s3'),
    bucket: bucketName,
    /** The bucket's region, e.g. us-east-1 (`auto` for stores that take any). */
    region: z
      .string()
      .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { message: 'a region name such as us-east-1 or auto' })
      .max(32),
    /**
     * The S3 API endpoint.
     * @default - AWS S3 in `region`
     */
    endpoint: publicHttpsEndpoint.optional(),
    /**
     * A Secret in the data namespace with the keys `accessKeyId` and `secretAccessKey`.
     * @default - none: the MLflow pod's cloud identity grants access (aws profile, AWS S3 only)
     */
    credentialsSecretName: dnsName.optional(),
  }),
]);

export type ArtifactStoreConfig = z.infer<typeof artifactStoreSchema>;

export const dataServicesSchema = z.strictObject({
  redis: z.strictObject({
    /**
     * none: memory only (a cache that may start empty); snapshot: RDB snapshots on a volume;
     * append-only: AOF with fsync every second (at most a second of writes lost) plus snapshots.
     */
    persistence: z.enum(['none', 'snapshot', 'append-only']),
    storageSize: quantity,
  }),
  qdrant: z.strictObject({ storageSize: quantity }),
  minio: z.strictObject({ storageSize: quantity }),
  postgres: z.strictObject({ storageSize: quantity }),
  mlflow: z.strictObject({
    /** Where MLflow stores artifacts: the in-cluster MinIO, or an external S3-compatible bucket. */
    artifactStore: artifactStoreSchema,
  }),
});

export type DataServicesConfig = z.infer<typeof dataServicesSchema>;

/** Structural view of the keys `minioInUse` reads (works on the parsed config and on the merged input). */
interface MinioUseView {
  readonly components?: { readonly mlflow?: unknown };
  readonly data?: { readonly mlflow?: { readonly artifactStore?: { readonly type?: unknown } } };
}

/** Whether anything stores objects in the in-cluster MinIO: only MLflow does, with a `minio` artifact store. */
export function minioInUse(config: MinioUseView): boolean {
  return config.components?.mlflow === true && config.data?.mlflow?.artifactStore?.type === 'minio';
}

/** Structural view of the keys `mlflowArtifactsIamBucket` reads. */
interface ArtifactIdentityView {
  readonly profile: string;
  readonly components: { readonly mlflow: boolean };
  readonly data: { readonly mlflow: { readonly artifactStore: ArtifactStoreConfig } };
}

/**
 * The AWS S3 bucket MLflow reaches with its pod's IAM role (EKS Pod Identity) rather than keys:
 * on the aws profile, an s3 artifact store without a credentials Secret or endpoint. Undefined
 * otherwise.
 */
export function mlflowArtifactsIamBucket(config: ArtifactIdentityView): { bucket: string; region: string } | undefined {
  const store = config.data.mlflow.artifactStore;
  if (config.profile !== 'aws' || !config.components.mlflow || store.type !== 's3' || store.credentialsSecretName || store.endpoint)
    return undefined;
  return { bucket: store.bucket, region: store.region };
}
