import { mlflowAllowedHosts } from '../../constructs/data/mlflow';
import { PUBLIC_INTERNET } from '../../constructs/kube/internet';
import { runKubernetesPolicy } from '../../policy/kubernetes/kubernetes-policy';
import type { KubeObject } from '../../synth/validate-manifests';
import { exampleConfig } from './example-config';
import { configOf, ingressSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';
import { find } from './synth-scope';

const secretRef = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key, optional: false } } });
const names = (objects: readonly KubeObject[], kind: string) =>
  objects
    .filter((o) => o.kind === kind)
    .map((o) => o.metadata!.name!)
    .sort();
const envOf = (container: { env: { name: string; value?: string }[] }) =>
  Object.fromEntries(container.env.map((e) => [e.name, e.value ?? e]));

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

  it('takes no traffic at all: nothing reaches it from outside its pods (port-forward to use it)', () => {
    expect(ingressSources(objects, 'ai-data', 'mlflow')).toEqual([]);
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
    expect(names(objects, 'NetworkPolicy').filter((n) => n.startsWith('mlflow-to-'))).toEqual(['mlflow-to-minio', 'mlflow-to-postgres']);
    expect(policy(objects, 'ai-data', 'mlflow-to-postgres').spec).toEqual({
      podSelector: { matchLabels: selector('mlflow') },
      policyTypes: ['Egress'],
      egress: [{ to: [podPeer('ai-data', 'postgres')], ports: [{ protocol: 'TCP', port: 5432 }] }],
    });
    expect(policy(objects, 'ai-data', 'mlflow-to-minio').spec.egress).toEqual([
      { to: [podPeer('ai-data', 'minio')], ports: [{ protocol: 'TCP', port: 9000 }] },
    ]);
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
    expect(find(objects, 'StatefulSet', 'postgres').spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'gp3',
      resources: { requests: { storage: '10Gi' } },
    });
  });

  it('is ready when pg_isready accepts connections, and takes them only from MLflow', () => {
    expect(container.readinessProbe.exec.command).toEqual([
      'pg_isready',
      '--host',
      '127.0.0.1',
      '--port',
      '5432',
      '--username',
      'mlflow',
      '--dbname',
      'mlflow',
    ]);
    expect(policy(objects, 'ai-data', 'postgres-from-mlflow').spec.ingress).toEqual([
      { from: [podPeer('ai-data', 'mlflow')], ports: [{ protocol: 'TCP', port: 5432 }] },
    ]);
    expect(ingressSources(objects, 'ai-data', 'postgres')).toEqual(['ai-data/mlflow -> 5432']);
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

describe('MLflow with its artifacts in an external S3 bucket', () => {
  const internetEgress = (name: string) => ({
    podSelector: { matchLabels: selector(name) },
    policyTypes: ['Egress'],
    egress: [{ to: [{ ipBlock: { cidr: '0.0.0.0/0', except: [...PUBLIC_INTERNET.except!] } }], ports: [{ protocol: 'TCP', port: 443 }] }],
  });

  describe("on aws, AWS S3 through the pod's IAM role", () => {
    const objects = objectsOf(
      exampleConfig('aws', { data: { mlflow: { artifactStore: { type: 's3', bucket: 'acme-mlflow', region: 'us-west-2' } } } }),
    );
    const container = podSpecOf(objects, 'Deployment', 'mlflow').containers[0];

    it('writes artifacts to the bucket in its region, with no endpoint and no keys (Pod Identity hands out the credentials)', () => {
      const env = envOf(container);
      expect(container.args).toEqual(expect.arrayContaining(['--serve-artifacts', '--artifacts-destination', 's3://acme-mlflow/']));
      expect(env.AWS_DEFAULT_REGION).toBe('us-west-2');
      expect(Object.keys(env)).not.toEqual(expect.arrayContaining(['MLFLOW_S3_ENDPOINT_URL']));
      expect(Object.keys(env).filter((k) => k.startsWith('AWS_'))).toEqual(['AWS_DEFAULT_REGION']);
      expect(find(objects, 'ServiceAccount', 'mlflow').automountServiceAccountToken).toBe(false);
    });

    it('leaves MinIO out entirely: no workload, bucket setup, flow, scrape job or dashboard mentions it', () => {
      expect(objects.filter((o) => JSON.stringify(o).includes('minio')).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
    });

    it('reaches PostgreSQL, the internet on 443 and the Pod Identity agent, and nothing else', () => {
      expect(names(objects, 'NetworkPolicy').filter((n) => n.startsWith('mlflow-to-'))).toEqual([
        'mlflow-to-eks-pod-identity',
        'mlflow-to-internet',
        'mlflow-to-postgres',
      ]);
      expect(policy(objects, 'ai-data', 'mlflow-to-internet').spec).toEqual(internetEgress('mlflow'));
      expect(policy(objects, 'ai-data', 'mlflow-to-eks-pod-identity').spec.egress).toEqual([
        { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
      ]);
    });

    it('passes the Kubernetes policy checks', () => {
      expect(runKubernetesPolicy(objects)).toEqual([]);
    });
  });

  describe('on gcp, Cloud Storage through its S3 API with HMAC keys from a Secret', () => {
    const store = {
      type: 's3',
      bucket: 'acme-mlflow',
      region: 'auto',
      endpoint: 'https://storage.googleapis.com',
      credentialsSecretName: 'mlflow-gcs-hmac',
    };
    const objects = objectsOf(exampleConfig('gcp', { data: { mlflow: { artifactStore: store } } }));
    const container = podSpecOf(objects, 'Deployment', 'mlflow').containers[0];

    it('sends boto3 to the endpoint with the keys by Secret reference only', () => {
      const env = envOf(container);
      expect(env.MLFLOW_S3_ENDPOINT_URL).toBe('https://storage.googleapis.com');
      expect(env.AWS_DEFAULT_REGION).toBe('auto');
      expect(container.env).toEqual(
        expect.arrayContaining([
          { name: 'AWS_ACCESS_KEY_ID', ...secretRef('mlflow-gcs-hmac', 'accessKeyId') },
          { name: 'AWS_SECRET_ACCESS_KEY', ...secretRef('mlflow-gcs-hmac', 'secretAccessKey') },
        ]),
      );
      expect(container.args).toEqual(expect.arrayContaining(['--artifacts-destination', 's3://acme-mlflow/']));
    });

    it('opens egress to the internet on 443 only, no Pod Identity agent, and no MinIO', () => {
      expect(names(objects, 'NetworkPolicy').filter((n) => n.startsWith('mlflow-to-'))).toEqual([
        'mlflow-to-internet',
        'mlflow-to-postgres',
      ]);
      expect(policy(objects, 'ai-data', 'mlflow-to-internet').spec).toEqual(internetEgress('mlflow'));
      expect(names(objects, 'NetworkPolicy').filter((n) => n.includes('minio'))).toEqual([]);
      expect(runKubernetesPolicy(objects)).toEqual([]);
    });
  });
});
