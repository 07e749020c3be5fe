import { mlflowAllowedHosts } from '../../constructs/data/mlflow';
import { configOf, dataPlaneSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';
import { find } from './synth-scope';

const secretRef = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key, optional: false } } });

describe('MLflow', () => {
  const objects = objectsOf('aws');
  const pod = podSpecOf(objects, 'Deployment', 'mlflow');
  const container = pod.containers[0];

  it('keeps runs in PostgreSQL (never in memory or on a file store) and artifacts in the MinIO bucket', () => {
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value ?? e]));
    expect(env.MLFLOW_BACKEND_STORE_URI).toBe('postgresql+psycopg2://mlflow@postgres.ai-data.svc.cluster.local:5432/mlflow');
    expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('http://minio.ai-data.svc.cluster.local:9000');
    expect(container.args).toEqual(expect.arrayContaining(['--serve-artifacts', '--artifacts-destination', 's3://mlflow-artifacts/']));
    expect(container.image).toBe('ghcr.io/mlflow/mlflow:v3.16.1-full');
  });

  it('gets its database password and bucket keys by Secret reference only', () => {
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'PGPASSWORD', ...secretRef('mlflow-postgres', 'password') },
        { name: 'AWS_ACCESS_KEY_ID', ...secretRef('mlflow-s3', 'accessKeyId') },
        { name: 'AWS_SECRET_ACCESS_KEY', ...secretRef('mlflow-s3', 'secretAccessKey') },
      ]),
    );
  });

  it('keeps host-header checks on, allowing the Service names', () => {
    const hosts = container.args[container.args.indexOf('--allowed-hosts') + 1].split(',');
    expect(hosts).toEqual(mlflowAllowedHosts('ai-data'));
    expect(hosts).toContain('mlflow.ai-data.svc.cluster.local:5000');
  });

  it('probes /health (exempt from host checks) and runs locked down', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.securityContext).toMatchObject({ readOnlyRootFilesystem: true, runAsNonRoot: true, capabilities: { drop: ['ALL'] } });
    expect(pod.enableServiceLinks).toBe(false);
  });

  it('reaches exactly PostgreSQL on 5432 and MinIO on 9000', () => {
    expect(policy(objects, 'ai-data', 'mlflow-to-postgres').spec).toEqual({
      podSelector: { matchLabels: selector('mlflow') },
      policyTypes: ['Egress'],
      egress: [{ to: [podPeer('ai-data', 'postgres')], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(policy(objects, 'ai-data', 'mlflow-to-minio').spec.egress).toEqual([{ to: [podPeer('ai-data', 'minio')], ports: [{ protocol: 'TCP', port: 9000 }] }]);
  });
});

describe('PostgreSQL for MLflow', () => {
  const objects = objectsOf('aws');
  const pod = podSpecOf(objects, 'StatefulSet', 'postgres');
  const container = pod.containers[0];

  it('runs the official image as a high UID with PGDATA below the volume root and writable run, tmp and shm', () => {
    expect(container.image).toBe('docker.io/library/postgres:17.9');
    expect(pod.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(container.env).toEqual([
      { name: 'POSTGRES_DB', value: 'mlflow' },
      { name: 'POSTGRES_USER', value: 'mlflow' },
      { name: 'POSTGRES_PASSWORD', ...secretRef('mlflow-postgres', 'password') },
      { name: 'POSTGRES_INITDB_ARGS', value: '--auth-host=scram-sha-256' },
      { name: 'PGDATA', value: '/var/lib/postgresql/data/pgdata' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'run', emptyDir: { sizeLimit: '1Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '256Mi' } },
      { name: 'shm', emptyDir: { medium: 'Memory', sizeLimit: '256Mi' } },
    ]);
    expect(find(objects, 'StatefulSet', 'postgres').spec.volumeClaimTemplates[0].spec).toMatchObject({ storageClassName: 'gp3', resources: { requests: { storage: '10Gi' } } });
  });

  it('is ready when pg_isready accepts connections, and takes them only from MLflow', () => {
    expect(container.readinessProbe.exec.command).toEqual(['pg_isready', '--host', '127.0.0.1', '--port', '5432', '--username', 'mlflow', '--dbname', 'mlflow']);
    expect(policy(objects, 'ai-data', 'postgres-from-mlflow').spec.ingress).toEqual([{ from: [podPeer('ai-data', 'mlflow')], ports: [{ protocol: 'TCP', port: 5432 }] }]);
    expect(dataPlaneSources(objects, 'postgres')).toEqual(['mlflow']);
  });
});

describe('data tier components', () => {
  it('leaves out what the config turns off, flows included', () => {
    const objects = objectsOf(configOf({ profile: 'homelab', components: { redis: false, mlflow: false, minio: false } }));
    const names = objects.filter((o) => o.metadata?.namespace === 'ai-data').map((o) => `${o.kind}/${o.metadata!.name}`);
    expect(names.filter((n) => /redis|mlflow|minio|postgres/.test(n))).toEqual([]);
    expect(names).toContain('StatefulSet/qdrant');
  });
});
