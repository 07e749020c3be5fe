/**
 * The MLflow tracking server, never on an in-memory or file store: runs and the model registry in
 * PostgreSQL, artifacts in an S3 bucket (MinIO or a cloud bucket, through ObjectStoreBucket),
 * proxied by the server (`--serve-artifacts`), so clients need no bucket credentials. The database
 * password reaches libpq as PGPASSWORD and the bucket keys reach boto3 as AWS_* variables, all by
 * Secret reference; the backend URI holds no password. The `-full` image carries the PostgreSQL
 * driver and boto3. Host-header checks stay on, with the Service's names allowed.
 */
import { Construct } from 'constructs';
import type { ComputeResources } from '../kube/compute-resources';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import type { EnvValue } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';
import { s3Uri, type ObjectStoreBucket } from './object-store';
import type { Postgres } from './postgres';

export const MLFLOW_IMAGE: ImageReference = { repository: 'ghcr.io/mlflow/mlflow', tag: 'v3.16.1-full' };
export const MLFLOW_PORT = 5000;
/** The ServiceAccount MLflow's pods run as; the aws profile binds its bucket role to it. */
export const MLFLOW_SERVICE_ACCOUNT = 'mlflow';

export interface MlflowProps {
  readonly instance: string;
  readonly namespace: string;
  readonly database: Postgres;
  readonly artifacts: ObjectStoreBucket;
  /** @default - 250m/2 CPU, 512Mi/2Gi memory */
  readonly resources?: ComputeResources;
  /** @default MLFLOW_IMAGE */
  readonly image?: ImageReference;
  /**
   * Server worker processes.
   * @default 2
   */
  readonly workers?: number;
}

/** The Host headers MLflow accepts: the Service's short and full names, with and without the port. */
export function mlflowAllowedHosts(namespace: string): string[] {
  const names = ['mlflow', `mlflow.${namespace}`, `mlflow.${namespace}.svc`, `mlflow.${namespace}.svc.cluster.local`, 'localhost'];
  return names.flatMap((name) => [name, `${name}:${MLFLOW_PORT}`]);
}

export class Mlflow extends Construct {
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  readonly url: string;

  constructor(scope: Construct, id: string, props: MlflowProps) {
    super(scope, id);
    const db = props.database;
    const bucket = props.artifacts;
    const s3Env: Record<string, EnvValue> = {
      AWS_DEFAULT_REGION: bucket.region,
      ...(bucket.endpointUrl ? { MLFLOW_S3_ENDPOINT_URL: bucket.endpointUrl } : {}),
      ...(bucket.credentials
        ? {
            AWS_ACCESS_KEY_ID: { secretName: bucket.credentials.secretName, key: bucket.credentials.accessKeyIdKey },
            AWS_SECRET_ACCESS_KEY: { secretName: bucket.credentials.secretName, key: bucket.credentials.secretAccessKeyKey },
          }
        : {}),
    };
    this.workload = new SecureWorkload(this, 'Workload', {
      name: MLFLOW_SERVICE_ACCOUNT,
      component: 'experiment-tracking',
      instance: props.instance,
      namespace: props.namespace,
      container: {
        name: 'mlflow',
        image: props.image ?? MLFLOW_IMAGE,
        command: ['mlflow'],
        args: [
          'server',
          '--host',
          '0.0.0.0',
          '--port',
          String(MLFLOW_PORT),
          '--workers',
          String(props.workers ?? 2),
          '--serve-artifacts',
          '--artifacts-destination',
          s3Uri(bucket),
          '--allowed-hosts',
          mlflowAllowedHosts(props.namespace).join(','),
        ],
        env: {
          MLFLOW_BACKEND_STORE_URI: `postgresql+psycopg2://${db.user}@${db.host}:${db.port}/${db.database}`,
          PGPASSWORD: db.passwordSecret,
          ...s3Env,
          HOME: '/tmp',
        },
        ports: [{ name: 'http', port: MLFLOW_PORT }],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '512Mi', memoryLimit: '2Gi' },
        health: { readiness: { httpGet: { path: '/health', port: 'http' } }, startupBudgetSeconds: 300 },
        scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '2Gi' }],
      },
    });
    this.pods = this.workload.pods;
    this.url = `http://${this.workload.serviceHost}:${MLFLOW_PORT}`;
  }
}
