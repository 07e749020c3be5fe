import { bucketPolicy } from '../../constructs/data/minio-bucket-setup';
import { ingressSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';
import { find, type Obj } from './synth-scope';

const secretRef = (name: string, key: string) => ({ valueFrom: { secretKeyRef: { name, key, optional: false } } });

describe('MinIO', () => {
  const objects = objectsOf('homelab');
  const pod = podSpecOf(objects, 'StatefulSet', 'minio');
  const container = pod.containers[0];

  it('runs non-root, read-only, console off, root credentials from the minio-root Secret', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532 });
    expect(container.securityContext.readOnlyRootFilesystem).toBe(true);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'MINIO_ROOT_USER', ...secretRef('minio-root', 'rootUser') },
        { name: 'MINIO_ROOT_PASSWORD', ...secretRef('minio-root', 'rootPassword') },
        { name: 'MINIO_BROWSER', value: 'off' },
        { name: 'MINIO_PROMETHEUS_AUTH_TYPE', value: 'public' },
      ]),
    );
    expect(container.args).toEqual(['server', '/data', '--address', ':9000']);
    expect(container.env).toContainEqual({ name: 'HOME', value: '/tmp' });
  });

  it("probes MinIO's own health endpoints and keeps its data on a claim", () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/minio/health/ready', port: 's3', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/minio/health/live', port: 's3', scheme: 'HTTP' });
    expect(find(objects, 'StatefulSet', 'minio').spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'local-path',
      resources: { requests: { storage: '50Gi' } },
    });
  });

  it('is reachable on 9000 only from MLflow, the bucket setup Job and Prometheus (metrics)', () => {
    expect(policy(objects, 'ai-data', 'minio-from-mlflow').spec).toEqual({
      podSelector: { matchLabels: selector('minio') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [podPeer('ai-data', 'mlflow')], ports: [{ protocol: 'TCP', port: 9000 }] }],
    });
    expect(policy(objects, 'ai-data', 'minio-from-minio-setup').spec.ingress).toEqual([
      { from: [podPeer('ai-data', 'minio-setup')], ports: [{ protocol: 'TCP', port: 9000 }] },
    ]);
    expect(ingressSources(objects, 'ai-data', 'minio')).toEqual([
      'ai-data/minio-setup -> 9000',
      'ai-data/mlflow -> 9000',
      'ai-observability/prometheus -> 9000',
    ]);
  });
});

describe('MinIO bucket setup Job', () => {
  const objects = objectsOf('homelab');
  const job = objects.find((o) => o.kind === 'Job' && o.metadata!.name!.startsWith('minio-setup-')) as Obj;
  const pod = job.spec.template.spec;
  const steps = [...pod.initContainers, ...pod.containers];

  it('creates the bucket, a bucket-scoped policy, the MLflow user, and grants it, in order, each idempotent', () => {
    expect(steps.map((c: { name: string; args: string[] }) => [c.name, c.args])).toEqual([
      ['bucket-0', ['--quiet', 'mb', '--ignore-existing', 'minio/mlflow-artifacts']],
      ['policy-0', ['--quiet', 'admin', 'policy', 'create', 'minio', 'mlflow-artifacts-rw', '/policies/mlflow-artifacts.json']],
      ['user-0', ['--quiet', 'admin', 'user', 'add', 'minio', '$(BUCKET_ACCESS_KEY_ID)', '$(BUCKET_SECRET_ACCESS_KEY)']],
      ['grant-0', ['--quiet', 'admin', 'policy', 'attach', 'minio', 'mlflow-artifacts-rw', '--user', '$(BUCKET_ACCESS_KEY_ID)']],
    ]);
    expect(steps.every((c: { image: string }) => c.image === 'quay.io/minio/mc:RELEASE.2025-08-13T08-35-41Z')).toBe(true);
  });

  it('reaches MinIO with root credentials expanded by the kubelet from the Secret, never written out', () => {
    const env = steps[2].env;
    expect(env).toEqual([
      { name: 'MINIO_ROOT_USER', ...secretRef('minio-root', 'rootUser') },
      { name: 'MINIO_ROOT_PASSWORD', ...secretRef('minio-root', 'rootPassword') },
      { name: 'MC_HOST_minio', value: 'http://$(MINIO_ROOT_USER):$(MINIO_ROOT_PASSWORD)@minio.ai-data.svc.cluster.local:9000' },
      { name: 'HOME', value: '/tmp' },
      { name: 'BUCKET_ACCESS_KEY_ID', ...secretRef('mlflow-s3', 'accessKeyId') },
      { name: 'BUCKET_SECRET_ACCESS_KEY', ...secretRef('mlflow-s3', 'secretAccessKey') },
    ]);
  });

  it('limits the MLflow user to its bucket', () => {
    const policies = find(objects, 'ConfigMap', 'minio-setup-policies');
    expect(JSON.parse((policies as unknown as { data: Record<string, string> }).data['mlflow-artifacts.json'])).toEqual(
      bucketPolicy('mlflow-artifacts'),
    );
    expect(bucketPolicy('b')).toMatchObject({ Statement: [{ Resource: ['arn:aws:s3:::b'] }, { Resource: ['arn:aws:s3:::b/*'] }] });
  });

  it('runs each step locked down and may reach only MinIO', () => {
    for (const step of steps)
      expect(step.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(policy(objects, 'ai-data', 'minio-setup-to-minio').spec.egress).toEqual([
      { to: [podPeer('ai-data', 'minio')], ports: [{ protocol: 'TCP', port: 9000 }] },
    ]);
  });
});
