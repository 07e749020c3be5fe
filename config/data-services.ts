/**
 * The data tier: Redis (gateway cache and limits), Qdrant (vectors for RAG), MinIO (objects, e.g.
 * MLflow artifacts) and PostgreSQL (MLflow's backend store). Each runs only when its component is
 * on in `components`. Passwords and keys are never here: see docs/workloads.md for the Secrets.
 */
import { z } from 'zod';
import { quantity } from './primitives';

/** An S3 bucket name: 3-63 lower-case letters, digits, dots and dashes. */
export const bucketName = z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, {
  message: 'an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"',
});

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
    /** The bucket MLflow stores artifacts in (created in MinIO). */
    artifactBucket: bucketName,
  }),
});

export type DataServicesConfig = z.infer<typeof dataServicesSchema>;
