/**
 * The Secrets the data tier reads, by name and key. The operator creates them (docs/workloads.md
 * shows how); no manifest ever holds their values. Other tiers that talk to these services (the
 * gateway to Redis and Qdrant, OpenWebUI to Qdrant, the Redis exporter) read a copy of the same
 * Secret in their own namespace, since a pod can only reference Secrets of its namespace.
 */
import type { SecretKeyReference } from '../kube/secure-container';

/** S3-style credentials: an access key id and a secret key, as two keys of one Secret. */
export interface AccessKeySecret {
  readonly secretName: string;
  readonly accessKeyIdKey: string;
  readonly secretAccessKeyKey: string;
}

export const DATA_SECRETS = {
  /** Redis's password (`requirepass`). */
  redisPassword: { secretName: 'redis-auth', key: 'password' } satisfies SecretKeyReference,
  /** Qdrant's API key (`QDRANT__SERVICE__API_KEY`). */
  qdrantApiKey: { secretName: 'qdrant-api-key', key: 'api-key' } satisfies SecretKeyReference,
  /** MinIO's root user; only MinIO and the bucket setup Job read it. */
  minioRoot: { secretName: 'minio-root', accessKeyIdKey: 'rootUser', secretAccessKeyKey: 'rootPassword' } satisfies AccessKeySecret,
  /** The MinIO user MLflow stores artifacts as, limited to its bucket. */
  mlflowArtifacts: {
    secretName: 'mlflow-s3',
    accessKeyIdKey: 'accessKeyId',
    secretAccessKeyKey: 'secretAccessKey',
  } satisfies AccessKeySecret,
  /** MLflow's PostgreSQL password. */
  mlflowDatabasePassword: { secretName: 'mlflow-postgres', key: 'password' } satisfies SecretKeyReference,
} as const;
