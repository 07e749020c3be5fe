import { ingressSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';
import { find } from './synth-scope';

describe('Qdrant', () => {
  const objects = objectsOf('gcp');
  const pod = podSpecOf(objects, 'StatefulSet', 'qdrant');
  const container = pod.containers[0];

  it('runs non-root on a read-only root with its init marker, snapshots and temp files on emptyDirs', () => {
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532 });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.volumeMounts).toEqual([
      { name: 'snapshots', mountPath: '/qdrant/snapshots' },
      { name: 'init', mountPath: '/qdrant/init' },
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'storage', mountPath: '/qdrant/storage' },
    ]);
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'QDRANT_INIT_FILE_PATH', value: '/qdrant/init/.qdrant-initialized' },
        { name: 'QDRANT__TELEMETRY_DISABLED', value: 'true' },
      ]),
    );
  });

  it('requires an API key from the qdrant-api-key Secret', () => {
    expect(container.env).toContainEqual({
      name: 'QDRANT__SERVICE__API_KEY',
      valueFrom: { secretKeyRef: { name: 'qdrant-api-key', key: 'api-key', optional: false } },
    });
  });

  it('probes /readyz for readiness and /livez for liveness and startup', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe.httpGet).toEqual({ path: '/livez', port: 'http', scheme: 'HTTP' });
  });

  it("stores vectors on a claim of the profile's storage class, with requests and limits", () => {
    expect(find(objects, 'StatefulSet', 'qdrant').spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'standard-rwo',
      resources: { requests: { storage: '20Gi' } },
    });
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '2', memory: '2Gi' } });
    expect(container.image).toBe('docker.io/qdrant/qdrant:v1.16.2');
  });

  it('takes REST traffic only from the gateway and OpenWebUI, and Prometheus for metrics', () => {
    expect(policy(objects, 'ai-data', 'qdrant-from-gateway').spec).toEqual({
      podSelector: { matchLabels: selector('qdrant') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [podPeer('ai-gateway', 'gateway')], ports: [{ protocol: 'TCP', port: 6333 }] }],
    });
    expect(policy(objects, 'ai-data', 'qdrant-from-open-webui').spec.ingress).toEqual([
      { from: [podPeer('ai-ui', 'open-webui')], ports: [{ protocol: 'TCP', port: 6333 }] },
    ]);
    expect(ingressSources(objects, 'ai-data', 'qdrant')).toEqual([
      'ai-gateway/gateway -> 6333',
      'ai-observability/prometheus -> 6333',
      'ai-ui/open-webui -> 6333',
    ]);
  });
});
