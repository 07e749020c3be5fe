import { exampleConfig, objectNamed, synthObjectsOf } from './example-config';

const homelab = synthObjectsOf(exampleConfig('homelab'));
const statefulSet = objectNamed(homelab, 'StatefulSet', 'open-webui', 'ai-ui');
const pod = statefulSet.spec.template.spec;
const [container] = pod.containers;
const env = Object.fromEntries(
  (container.env as Array<{ name: string; value?: string; valueFrom?: unknown }>).map((e) => [e.name, e.value ?? e.valueFrom]),
);
const secretRef = (key: string) => ({ secretKeyRef: { name: 'open-webui', key, optional: false } });

describe('OpenWebUI', () => {
  it('runs a pinned release as one replica in the ui namespace', () => {
    expect(container.image).toBe('ghcr.io/open-webui/open-webui:v0.8.11');
    expect(statefulSet.spec.replicas).toBe(1);
  });

  it('keeps its data on a claim of the profile storage class', () => {
    expect(statefulSet.spec.volumeClaimTemplates).toEqual([
      expect.objectContaining({
        metadata: expect.objectContaining({ name: 'data' }),
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'local-path', resources: { requests: { storage: '10Gi' } } },
      }),
    ]);
    expect(container.volumeMounts).toContainEqual({ name: 'data', mountPath: '/app/backend/data' });
    expect(env.DATA_DIR).toBe('/app/backend/data');
    const gcp = objectNamed(synthObjectsOf(exampleConfig('gcp')), 'StatefulSet', 'open-webui');
    expect(gcp.spec.volumeClaimTemplates[0].spec.storageClassName).toBe('standard-rwo');
  });

  it('talks to models only through the Switchyard gateway, with a gateway key from a Secret', () => {
    expect(env.OPENAI_API_BASE_URL).toBe('http://gateway.ai-gateway.svc.cluster.local:8080/v1');
    expect(env.OPENAI_API_KEY).toEqual(secretRef('gateway-api-key'));
    expect(env.ENABLE_OLLAMA_API).toBe('false');
    expect(env.ENABLE_PERSISTENT_CONFIG).toBe('false');
    expect(Object.keys(env).filter((name) => name.startsWith('OLLAMA'))).toEqual([]);
  });

  it('signs sessions with WEBUI_SECRET_KEY from a Secret', () => {
    expect(env.WEBUI_SECRET_KEY).toEqual(secretRef('webui-secret-key'));
  });

  it('uses Qdrant for RAG with its API key from a Secret, and the gateway for embeddings', () => {
    expect(env.VECTOR_DB).toBe('qdrant');
    expect(env.QDRANT_URI).toBe('http://qdrant.ai-data.svc.cluster.local:6333');
    expect(env.QDRANT_API_KEY).toEqual(secretRef('qdrant-api-key'));
    expect(env.RAG_EMBEDDING_ENGINE).toBe('openai');
    expect(env.RAG_OPENAI_API_BASE_URL).toBe('http://gateway.ai-gateway.svc.cluster.local:8080/v1');
    expect(env.RAG_OPENAI_API_KEY).toEqual(secretRef('gateway-api-key'));
    expect(env.RAG_EMBEDDING_MODEL).toBe('nomic-embed-text');
  });

  it('embeds with the configured openWebUi.embeddingModel, not the first chat model', () => {
    const config = exampleConfig('homelab', {
      models: [{ name: 'llama3.2:3b' }, { name: 'mxbai-embed-large' }],
      openWebUi: { embeddingModel: 'mxbai-embed-large' },
    });
    const container = objectNamed(synthObjectsOf(config), 'StatefulSet', 'open-webui').spec.template.spec.containers[0];
    expect(container.env).toContainEqual({ name: 'RAG_EMBEDDING_MODEL', value: 'mxbai-embed-large' });
  });

  it('falls back to its embedded vector store without Qdrant, and opens no flow to it', () => {
    const objects = synthObjectsOf(exampleConfig('homelab', { components: { qdrant: false } }));
    const names = objectNamed(objects, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env.map(
      (e: { name: string }) => e.name,
    );
    expect(names).not.toContain('VECTOR_DB');
    expect(names).not.toContain('QDRANT_API_KEY');
    expect(objects.some((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'open-webui-to-qdrant')).toBe(false);
  });

  it('is told its public URL, https when TLS is on', () => {
    expect(env.WEBUI_URL).toBe('https://ai.home.arpa');
    const plain = synthObjectsOf(exampleConfig('homelab', { exposure: { tls: { mode: 'none' } } }));
    const plainEnv = objectNamed(plain, 'StatefulSet', 'open-webui').spec.template.spec.containers[0].env;
    expect(plainEnv).toContainEqual({ name: 'WEBUI_URL', value: 'http://ai.home.arpa' });
  });

  it('downloads nothing and reports nothing (no internet egress)', () => {
    expect([env.OFFLINE_MODE, env.HF_HUB_OFFLINE, env.ANONYMIZED_TELEMETRY, env.DO_NOT_TRACK]).toEqual(['true', '1', 'false', 'true']);
  });

  it('probes /health, with a long startup budget for the first migration', () => {
    for (const probe of [container.readinessProbe, container.livenessProbe, container.startupProbe])
      expect(probe.httpGet).toEqual({ path: '/health', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe.periodSeconds * container.startupProbe.failureThreshold).toBe(600);
  });

  it('runs non-root on a read-only root, writing only to its claim, /tmp and a copy of its static files', () => {
    expect(container.securityContext).toMatchObject({
      runAsNonRoot: true,
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'static', mountPath: '/app/backend/open_webui/static' },
      { name: 'data', mountPath: '/app/backend/data' },
    ]);
    expect(pod.volumes).toEqual([
      { name: 'static', emptyDir: { sizeLimit: '64Mi' } },
      { name: 'tmp', emptyDir: { sizeLimit: '1Gi' } },
    ]);
    const [init] = pod.initContainers;
    expect(init.command).toEqual(['sh', '-c', 'cp -a /app/backend/open_webui/static/. /static/']);
    expect(init.volumeMounts).toEqual([{ name: 'static', mountPath: '/static' }]);
    expect(init.securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('has requests, limits and a disruption budget', () => {
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '1Gi' }, limits: { cpu: '1', memory: '2Gi' } });
    expect(objectNamed(homelab, 'PodDisruptionBudget', 'open-webui', 'ai-ui').spec.maxUnavailable).toBe(1);
  });
});

describe('OpenWebUI network flows', () => {
  const selector = (name: string) => ({ matchLabels: { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'switchyard' } });
  const peer = (namespace: string, name: string) => ({
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
    podSelector: selector(name),
  });

  it.each([
    ['gateway', 'ai-gateway', 8080],
    ['qdrant', 'ai-data', 6333],
  ])('reaches %s in %s on %d, which admits it', (target, namespace, port) => {
    expect(objectNamed(homelab, 'NetworkPolicy', `open-webui-to-${target}`, 'ai-ui').spec).toEqual({
      podSelector: selector('open-webui'),
      policyTypes: ['Egress'],
      egress: [{ to: [peer(namespace, target)], ports: [{ protocol: 'TCP', port }] }],
    });
    expect(objectNamed(homelab, 'NetworkPolicy', `${target}-from-open-webui`, namespace).spec).toEqual({
      podSelector: selector(target),
      policyTypes: ['Ingress'],
      ingress: [{ from: [peer('ai-ui', 'open-webui')], ports: [{ protocol: 'TCP', port }] }],
    });
  });
});
