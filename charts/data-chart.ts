/**
 * The data tier, each service only when its component is on: Redis (gateway cache and limits),
 * Qdrant (vectors for OpenWebUI's RAG and the gateway), MinIO with its bucket setup Job, and MLflow
 * on PostgreSQL with artifacts in MinIO or in an external S3 bucket (`data.mlflow.artifactStore`).
 * Flows: gateway -> Redis 6379 and Qdrant 6333, MLflow -> PostgreSQL 5432 and to its artifact
 * bucket (MinIO 9000, or the public internet on 443), bucket setup -> MinIO 9000. (OpenWebUI ->
 * Qdrant is opened by the UI chart, beside the OpenWebUI that needs it.)
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { S3_CREDENTIAL_KEYS, mlflowArtifactsIamBucket } from '../config/data-services';
import type { PlatformConfig } from '../config/platform-config';
import { DATA_SECRETS } from '../constructs/data/data-secrets';
import { Minio, MINIO_PORT } from '../constructs/data/minio';
import { MinioBucketSetup } from '../constructs/data/minio-bucket-setup';
import { Mlflow } from '../constructs/data/mlflow';
import type { ObjectStoreBucket } from '../constructs/data/object-store';
import { Postgres, POSTGRES_PORT } from '../constructs/data/postgres';
import { Qdrant, QDRANT_HTTP_PORT } from '../constructs/data/qdrant';
import { Redis, REDIS_PORT } from '../constructs/data/redis';
import { allowTraffic, type ExternalPeer } from '../constructs/kube/allow-traffic';
import { PUBLIC_INTERNET } from '../constructs/kube/internet';
import { EKS_POD_IDENTITY_AGENT } from './gateway-chart';
import { platformPodGroups } from './pod-groups';

/** The EKS Pod Identity agent on each node (HTTP on 80), where a pod with an IAM role gets its credentials. */
const EKS_POD_IDENTITY_AGENT_PEER: ExternalPeer = { name: 'eks-pod-identity', cidrs: [EKS_POD_IDENTITY_AGENT] };
const EKS_POD_IDENTITY_AGENT_PORT = 80;

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

    if (components.mlflow) {
      const store = config.data.mlflow.artifactStore;
      let artifacts: ObjectStoreBucket;
      if (store.type === 'minio') {
        if (!this.minio) throw new Error('MLflow keeps its artifacts in MinIO, but components.minio is off (the config rules refuse this)');
        artifacts = this.minio.bucket(store.bucket, DATA_SECRETS.mlflowArtifacts);
        new MinioBucketSetup(this, 'MinioSetup', {
          instance,
          namespace,
          minio: this.minio,
          buckets: [{ bucketName: store.bucket, user: DATA_SECRETS.mlflowArtifacts }],
        });
        allowTraffic(this, 'MinioSetupToMinio', { from: groups['minio-setup'], to: groups.minio, ports: [MINIO_PORT] });
      } else {
        artifacts = {
          bucketName: store.bucket,
          region: store.region,
          endpointUrl: store.endpoint,
          credentials: store.credentialsSecretName ? { secretName: store.credentialsSecretName, ...S3_CREDENTIAL_KEYS } : undefined,
        };
      }

      const postgres = new Postgres(this, 'Postgres', {
        instance,
        namespace,
        database: 'mlflow',
        user: 'mlflow',
        passwordSecret: DATA_SECRETS.mlflowDatabasePassword,
        storage: { size: config.data.postgres.storageSize, storageClassName },
      });
      this.mlflow = new Mlflow(this, 'Mlflow', { instance, namespace, database: postgres, artifacts });
      allowTraffic(this, 'MlflowToPostgres', { from: this.mlflow.pods, to: postgres.pods, ports: [POSTGRES_PORT] });
      this.allowArtifactTraffic(config, this.mlflow, artifacts);
    }
  }

  /**
   * MLflow's flow to its artifact bucket: to the pods that serve it, or, for a bucket outside the
   * cluster, to the public internet on 443; on aws without static credentials also to the Pod
   * Identity agent, which hands out the MLflow role's credentials.
   */
  private allowArtifactTraffic(config: PlatformConfig, mlflow: Mlflow, bucket: ObjectStoreBucket): void {
    if (bucket.servedBy) {
      allowTraffic(this, 'MlflowToArtifactStore', { from: mlflow.pods, to: bucket.servedBy.pods, ports: [bucket.servedBy.port] });
      return;
    }
    allowTraffic(this, 'MlflowToArtifactStore', { from: mlflow.pods, to: PUBLIC_INTERNET, ports: [443] });
    if (mlflowArtifactsIamBucket(config))
      allowTraffic(this, 'MlflowToPodIdentity', {
        from: mlflow.pods,
        to: EKS_POD_IDENTITY_AGENT_PEER,
        ports: [EKS_POD_IDENTITY_AGENT_PORT],
      });
  }
}
