/**
 * The data tier, each service only when its component is on: Redis (gateway cache and limits),
 * Qdrant (vectors for OpenWebUI's RAG and the gateway), MinIO with its bucket setup Job, and MLflow
 * on PostgreSQL with artifacts in MinIO. Flows: gateway -> Redis 6379 and Qdrant 6333, MLflow ->
 * PostgreSQL 5432 and MinIO 9000, bucket setup -> MinIO 9000. (OpenWebUI -> Qdrant is opened by
 * the UI chart, beside the OpenWebUI that needs it.)
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { DATA_SECRETS } from '../constructs/data/data-secrets';
import { Minio, MINIO_PORT } from '../constructs/data/minio';
import { MinioBucketSetup } from '../constructs/data/minio-bucket-setup';
import { Mlflow } from '../constructs/data/mlflow';
import { Postgres, POSTGRES_PORT } from '../constructs/data/postgres';
import { Qdrant, QDRANT_HTTP_PORT } from '../constructs/data/qdrant';
import { Redis, REDIS_PORT } from '../constructs/data/redis';
import { allowTraffic } from '../constructs/kube/allow-traffic';
import { platformPodGroups } from './pod-groups';

export interface DataChartProps {
  readonly config: PlatformConfig;
}

export class DataChart extends Chart {
  readonly redis?: Redis;
  readonly qdrant?: Qdrant;
  readonly minio?: Minio;
  readonly mlflow?: Mlflow;

  constructor(scope: Construct, id: string, props: DataChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const { components } = config;
    const namespace = config.namespaces.data;
    const instance = config.name;
    const storageClassName = config.storage.storageClass;
    const groups = platformPodGroups(config);

    if (components.redis) {
      this.redis = new Redis(this, 'Redis', {
        instance,
        namespace,
        passwordSecret: DATA_SECRETS.redisPassword,
        persistence: config.data.redis.persistence,
        storage: { size: config.data.redis.storageSize, storageClassName },
      });
      if (components.gateway) allowTraffic(this, 'GatewayToRedis', { from: groups.gateway, to: groups.redis, ports: [REDIS_PORT] });
    }

    if (components.qdrant) {
      this.qdrant = new Qdrant(this, 'Qdrant', {
        instance,
        namespace,
        apiKeySecret: DATA_SECRETS.qdrantApiKey,
        storage: { size: config.data.qdrant.storageSize, storageClassName },
      });
      if (components.gateway) allowTraffic(this, 'GatewayToQdrant', { from: groups.gateway, to: groups.qdrant, ports: [QDRANT_HTTP_PORT] });
    }

    if (components.minio) {
      this.minio = new Minio(this, 'Minio', {
        instance,
        namespace,
        rootCredentials: DATA_SECRETS.minioRoot,
        storage: { size: config.data.minio.storageSize, storageClassName },
      });
    }

    if (components.mlflow && this.minio) {
      const bucketName = config.data.mlflow.artifactBucket;
      new MinioBucketSetup(this, 'MinioSetup', {
        instance,
        namespace,
        minio: this.minio,
        buckets: [{ bucketName, user: DATA_SECRETS.mlflowArtifacts }],
      });
      allowTraffic(this, 'MinioSetupToMinio', { from: groups['minio-setup'], to: groups.minio, ports: [MINIO_PORT] });

      const postgres = new Postgres(this, 'Postgres', {
        instance,
        namespace,
        database: 'mlflow',
        user: 'mlflow',
        passwordSecret: DATA_SECRETS.mlflowDatabasePassword,
        storage: { size: config.data.postgres.storageSize, storageClassName },
      });
      this.mlflow = new Mlflow(this, 'Mlflow', {
        instance,
        namespace,
        database: postgres,
        artifacts: this.minio.bucket(bucketName, DATA_SECRETS.mlflowArtifacts),
      });
      allowTraffic(this, 'MlflowToPostgres', { from: groups.mlflow, to: groups.postgres, ports: [POSTGRES_PORT] });
      allowTraffic(this, 'MlflowToMinio', { from: groups.mlflow, to: groups.minio, ports: [MINIO_PORT] });
    }
  }
}
