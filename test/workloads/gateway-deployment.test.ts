import { createHash } from 'node:crypto';
import { parse } from 'yaml';
import { SwitchyardGateway } from '../../constructs/gateway/switchyard-gateway';
import { gatewayConfigSchema } from '../../gateway/src/config/schema';
import { EXAMPLE_CONFIGS } from '../support/paths';
import { exampleConfig, objectNamed, objectsOfKind, synthObjectsOf } from './example-config';
import { emptyChart } from './synth-scope';

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
const TEAM_KEY = 'sk-switchyard-team-a-not-a-real-key';
const homelab = synthObjectsOf(exampleConfig('homelab'));
/** Anything shaped like a SHA-256 digest (64 hex characters). */
const DIGEST = /\b[0-9a-fA-F]{64}\b/;

function configMapRuntime(objects = homelab) {
  const data = objectNamed(objects, 'ConfigMap', 'gateway-config', 'ai-gateway').data as Record<string, string>;
  const text = data['gateway.yaml'];
  return { text, runtime: gatewayConfigSchema.parse(parse(text)) };
}

const OPENAI_RUNTIME = {
  providers: [
    { name: 'local', type: 'openai', baseUrl: 'http://vllm.ai-models.svc.cluster.local:8000/v1', private: true },
    { name: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  ],
  models: [
    {
      name: 'chat',
      targets: [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'local', model: 'qwen2.5:7b' },
      ],
    },
    // OpenWebUI's RAG embedding model (openWebUi.embeddingModel), served by the local server.
    { name: 'nomic-embed-text', targets: [{ provider: 'local', model: 'nomic-embed-text' }] },
  ],
  state: { redis: { url: 'redis://redis.ai-data.svc.cluster.local:6379', passwordEnv: 'STATE_REDIS_PASSWORD' } },
};

describe('gateway runtime config (ConfigMap)', () => {
  it('derives a valid gateway config: the in-cluster Ollama, private, serving each configured model', () => {
    const { runtime } = configMapRuntime();
    expect(runtime.providers).toEqual([
      { name: 'ollama', type: 'ollama', baseUrl: 'http://ollama.ai-models.svc.cluster.local:11434', private: true },
    ]);
    expect(runtime.models.map((m) => [m.name, m.targets])).toEqual(
      ['codellama', 'llama3.2:3b', 'gemma2', 'nomic-embed-text'].map((name) => [name, [{ provider: 'ollama', model: name }]]),
    );
    expect(runtime.auth.allowAnonymous).toBe(false);
  });

  it('keeps shared state in the in-cluster Redis, its password read from an environment variable', () => {
    const { runtime } = configMapRuntime();
    expect(runtime.state?.redis).toMatchObject({ url: 'redis://redis.ai-data.svc.cluster.local:6379', passwordEnv: 'REDIS_PASSWORD' });
    const noRedis = synthObjectsOf(exampleConfig('homelab', { components: { redis: false } }));
    expect(configMapRuntime(noRedis).runtime.state).toBeUndefined();
  });

  it('holds no API key and no key digest: keysFile points at the mounted Secret', () => {
    const { text, runtime } = configMapRuntime();
    expect(runtime.keys).toEqual([]);
    expect(runtime.keysFile).toBe('/etc/switchyard-keys/keys.yaml');
    expect(text).not.toMatch(/sha256/);
  });

  it.each(Object.keys(EXAMPLE_CONFIGS) as Array<keyof typeof EXAMPLE_CONFIGS>)(
    'puts no sha256 digest in any ConfigMap (%s example)',
    (profile) => {
      const configMaps = objectsOfKind(synthObjectsOf(exampleConfig(profile)), 'ConfigMap');
      expect(configMaps.length).toBeGreaterThan(0);
      for (const configMap of configMaps) {
        for (const [file, text] of Object.entries((configMap.data ?? {}) as Record<string, string>)) {
          expect({ configMap: configMap.metadata!.name, file, digest: DIGEST.exec(text)?.[0] }).toEqual({
            configMap: configMap.metadata!.name,
            file,
            digest: undefined,
          });
          if (file.endsWith('.yaml') && text.includes('keysFile')) expect(text).not.toMatch(/\bsha256:/);
        }
      }
    },
  );

  it('renders gateway.runtime as given when the config has one', () => {
    const objects = synthObjectsOf(exampleConfig('aws', { gateway: { runtime: OPENAI_RUNTIME } }));
    const { runtime } = configMapRuntime(objects);
    expect(runtime.providers.map((p) => p.name)).toEqual(['local', 'openai']);
    expect(runtime.models[0].targets).toEqual(OPENAI_RUNTIME.models[0].targets);
  });

  it('puts no secret value anywhere in the output', () => {
    const objects = synthObjectsOf(exampleConfig('aws', { gateway: { runtime: OPENAI_RUNTIME } }));
    expect(JSON.stringify(objects)).not.toContain(TEAM_KEY);
    expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
  });
});

describe('gateway Deployment', () => {
  const deployment = objectNamed(homelab, 'Deployment', 'gateway', 'ai-gateway');
  const pod = deployment.spec.template.spec;
  const [container] = pod.containers;

  it('runs the configured image with the config file, on all interfaces, port 8080', () => {
    expect(container.image).toBe('ghcr.io/switchyard/gateway:0.1.0');
    expect(container.args).toEqual(['--config', '/etc/switchyard/gateway.yaml', '--host', '0.0.0.0', '--port', '8080']);
    expect(container.ports).toEqual([{ name: 'http', containerPort: 8080, protocol: 'TCP' }]);
  });

  it('runs as the distroless non-root user with a read-only root filesystem and nothing writable', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.volumes).toContainEqual({ name: 'config', configMap: { name: 'gateway-config', defaultMode: 0o444 } });
    expect(container.volumeMounts).toContainEqual({ name: 'config', mountPath: '/etc/switchyard', readOnly: true });
  });

  it('mounts the API keys from the Secret gateway-api-keys, read-only, group-readable only, not optional', () => {
    expect(pod.volumes).toEqual([
      { name: 'config', configMap: { name: 'gateway-config', defaultMode: 0o444 } },
      {
        name: 'api-keys',
        secret: { secretName: 'gateway-api-keys', optional: false, defaultMode: 0o440, items: [{ key: 'keys.yaml', path: 'keys.yaml' }] },
      },
    ]);
    expect(container.volumeMounts).toEqual([
      { name: 'config', mountPath: '/etc/switchyard', readOnly: true },
      { name: 'api-keys', mountPath: '/etc/switchyard-keys', readOnly: true },
    ]);
    expect(pod.securityContext).toMatchObject({ fsGroup: 65532 });
    expect(configMapRuntime().runtime.keysFile).toBe('/etc/switchyard-keys/keys.yaml');
    const aws = objectNamed(synthObjectsOf(exampleConfig('aws', { gateway: { runtime: OPENAI_RUNTIME } })), 'Deployment', 'gateway').spec
      .template.spec;
    expect(aws.volumes[1].secret.secretName).toBe('gateway-api-keys');
  });

  it('takes another Secret name for the API keys, and refuses a runtime that carries keys', () => {
    const runtime = gatewayConfigSchema.parse({
      ...OPENAI_RUNTIME,
      keys: [{ id: 'team-a', sha256: sha256(TEAM_KEY), tenant: 'a', models: ['chat'] }],
    });
    const props = {
      namespace: 'ai-gateway',
      instance: 'x',
      image: { repository: 'gw', tag: '1' },
      replicas: { min: 1, max: 1 },
      resources: { cpuRequest: '1', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '1Gi' },
    };
    expect(() => new SwitchyardGateway(emptyChart(), 'Gateway', { ...props, runtime })).toThrow(
      'test/Gateway: runtime.keys: got 1 key(s); expected none (API keys come only from the Secret gateway-api-keys, key keys.yaml)',
    );
    const keysFile = gatewayConfigSchema.parse({ ...OPENAI_RUNTIME, keysFile: '/tmp/keys.yaml' });
    expect(() => new SwitchyardGateway(emptyChart(), 'Gateway', { ...props, runtime: keysFile })).toThrow(
      'test/Gateway: runtime.keysFile: got "/tmp/keys.yaml"; expected nothing (the construct sets it to /etc/switchyard-keys/keys.yaml, where the API keys Secret is mounted)',
    );
    const chart = emptyChart();
    new SwitchyardGateway(chart, 'Gateway', {
      ...props,
      runtime: gatewayConfigSchema.parse(OPENAI_RUNTIME),
      secrets: { apiKeys: 'team-keys' },
    });
    const deployment = chart.toJson().find((o: { kind: string }) => o.kind === 'Deployment');
    expect(deployment.spec.template.spec.volumes[1].secret.secretName).toBe('team-keys');
  });

  it('probes readiness on /readyz and liveness on /healthz', () => {
    expect(container.readinessProbe.httpGet).toEqual({ path: '/readyz', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/healthz', port: 'http', scheme: 'HTTP' });
    expect(container.startupProbe.httpGet.path).toBe('/healthz');
  });

  it('takes requests and limits from the config', () => {
    expect(container.resources).toEqual({ requests: { cpu: '250m', memory: '192Mi' }, limits: { cpu: '1', memory: '384Mi' } });
  });

  it('reads the Redis password and provider keys from Secrets by reference', () => {
    expect(container.env.filter((e: { valueFrom?: unknown }) => e.valueFrom)).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'gateway-redis', key: 'password', optional: false } } },
    ]);
    const objects = synthObjectsOf(exampleConfig('aws', { gateway: { runtime: OPENAI_RUNTIME } }));
    expect(objectNamed(objects, 'Deployment', 'gateway').spec.template.spec.containers[0].env).toEqual([
      { name: 'OPENAI_API_KEY', valueFrom: { secretKeyRef: { name: 'gateway-provider-keys', key: 'OPENAI_API_KEY', optional: false } } },
      { name: 'STATE_REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'gateway-redis', key: 'password', optional: false } } },
      { name: 'NODE_OPTIONS', value: '--max-semi-space-size=8 --max-old-space-size=256' },
      { name: 'MALLOC_ARENA_MAX', value: '2' },
      { name: 'SWITCHYARD_MEMORY_PROFILE', value: 'standard' },
    ]);
  });

  it('pins the measured heap and malloc flags of the memory profile: standard by default, lean when asked', () => {
    expect(container.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'gateway-redis', key: 'password', optional: false } } },
      { name: 'NODE_OPTIONS', value: '--max-semi-space-size=8 --max-old-space-size=256' },
      { name: 'MALLOC_ARENA_MAX', value: '2' },
      { name: 'SWITCHYARD_MEMORY_PROFILE', value: 'standard' },
    ]);
    const lean = synthObjectsOf(exampleConfig('homelab', { gateway: { memoryProfile: 'lean' } }));
    expect(objectNamed(lean, 'Deployment', 'gateway', 'ai-gateway').spec.template.spec.containers[0].env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'gateway-redis', key: 'password', optional: false } } },
      { name: 'NODE_OPTIONS', value: '--max-semi-space-size=4 --max-old-space-size=256' },
      { name: 'MALLOC_ARENA_MAX', value: '2' },
      { name: 'SWITCHYARD_MEMORY_PROFILE', value: 'lean' },
    ]);
  });

  it('refuses a memory profile with a memory limit that leaves no room above its heap limit', () => {
    const props = {
      namespace: 'ai-gateway',
      instance: 'test',
      image: { repository: 'ghcr.io/switchyard/gateway', tag: '0.1.0' },
      replicas: { min: 1, max: 1 },
      resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '192Mi', memoryLimit: '300Mi' },
      runtime: gatewayConfigSchema.parse(OPENAI_RUNTIME),
    };
    expect(() => new SwitchyardGateway(emptyChart(), 'Gateway', { ...props, memoryProfile: 'lean' })).toThrow(
      'test/Gateway: resources.memoryLimit: got "300Mi"; expected at least 384Mi with memoryProfile "lean" (its 256 MiB heap limit plus room for code pages and native memory)',
    );
    expect(() => new SwitchyardGateway(emptyChart(), 'Gateway', props)).toThrow(
      'test/Gateway: resources.memoryLimit: got "300Mi"; expected at least 384Mi with memoryProfile "standard" (its 256 MiB heap limit plus room for code pages and native memory)',
    );
    expect(
      () =>
        new SwitchyardGateway(emptyChart(), 'Gateway', {
          ...props,
          resources: { ...props.resources, memoryLimit: '0.5Gi' },
          memoryProfile: 'lean',
        }),
    ).not.toThrow();
  });

  it('rolls the pods when the config changes: the template carries the config checksum', () => {
    const { text } = configMapRuntime();
    expect(deployment.spec.template.metadata.annotations).toEqual({ 'switchyard.dev/config-sha256': sha256(text) });
    const other = synthObjectsOf(exampleConfig('homelab', { models: [{ name: 'llama3.2:3b' }, { name: 'nomic-embed-text' }] }));
    const otherAnnotation = objectNamed(other, 'Deployment', 'gateway').spec.template.metadata.annotations['switchyard.dev/config-sha256'];
    expect(otherAnnotation).toBe(sha256(configMapRuntime(other).text));
    expect(otherAnnotation).not.toBe(sha256(text));
  });

  it('has the Service gateway on 8080, a CPU autoscaler within the configured replicas, and a disruption budget', () => {
    expect(objectNamed(homelab, 'Service', 'gateway', 'ai-gateway').spec).toMatchObject({
      selector: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'switchyard' },
      ports: [{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }],
    });
    expect(objectNamed(homelab, 'HorizontalPodAutoscaler', 'gateway').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'gateway' },
      minReplicas: 2,
      maxReplicas: 6,
      metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 70 } } }],
    });
    expect(deployment.spec.replicas).toBeUndefined();
    expect(objectNamed(homelab, 'PodDisruptionBudget', 'gateway').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'switchyard' } },
    });
  });

  it('binds its own ServiceAccount gateway to the GKE service account on gcp, and needs no IAM annotation on aws (Pod Identity)', () => {
    const gcp = objectNamed(synthObjectsOf(exampleConfig('gcp')), 'ServiceAccount', 'gateway', 'ai-gateway');
    expect(gcp.metadata!.annotations).toEqual({
      'iam.gke.io/gcp-service-account': 'switchyard-gateway@switchyard-demo-123.iam.gserviceaccount.com',
    });
    const aws = objectNamed(synthObjectsOf(exampleConfig('aws')), 'ServiceAccount', 'gateway', 'ai-gateway');
    // The aws example runs GitOps: the only annotation is the ServiceAccount's Argo CD sync wave.
    expect(aws.metadata!.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '-1' });
    expect(aws.automountServiceAccountToken).toBe(false);
  });
});

describe('gateway egress', () => {
  const egressOf = (objects: ReturnType<typeof synthObjectsOf>) =>
    objectsOfKind(objects, 'NetworkPolicy').filter(
      (p) => p.metadata!.namespace === 'ai-gateway' && p.metadata!.name!.startsWith('gateway-to-'),
    );

  it('opens nothing beyond the cluster when every provider is in the cluster', () => {
    expect(egressOf(homelab).map((p) => p.metadata!.name)).not.toContain('gateway-to-internet');
  });

  it('opens the internet on 443 only, private ranges carved out, when an external provider is configured', () => {
    const objects = synthObjectsOf(exampleConfig('aws', { gateway: { runtime: OPENAI_RUNTIME } }));
    expect(objectNamed(objects, 'NetworkPolicy', 'gateway-to-internet', 'ai-gateway').spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': 'switchyard' } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              ipBlock: {
                cidr: '0.0.0.0/0',
                except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
              },
            },
          ],
          ports: [{ protocol: 'TCP', port: 443 }],
        },
      ],
    });
  });

  it('reaches the EKS Pod Identity agent for Bedrock credentials on aws', () => {
    const runtime = {
      providers: [{ name: 'bedrock', type: 'bedrock', region: 'us-east-1', private: true }],
      models: [{ name: 'claude', targets: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' }] }],
    };
    // Bedrock alone has no embeddings API the gateway speaks: OpenWebUI (its RAG) is off here.
    const objects = synthObjectsOf(exampleConfig('aws', { gateway: { runtime }, components: { openWebUi: false } }));
    expect(objectNamed(objects, 'NetworkPolicy', 'gateway-to-eks-pod-identity').spec.egress).toEqual([
      { to: [{ ipBlock: { cidr: '169.254.170.23/32' } }], ports: [{ protocol: 'TCP', port: 80 }] },
    ]);
    expect(objectNamed(objects, 'NetworkPolicy', 'gateway-to-internet').spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 443 }]);
  });
});

describe('gateway config rules', () => {
  it('fails when there is no runtime and no in-cluster Ollama to derive one from', () => {
    expect(() => exampleConfig('homelab', { components: { ollama: false } })).toThrow(
      'gateway.runtime: got missing; expected a gateway runtime config when components.ollama is false (the derived one routes to the in-cluster Ollama)',
    );
  });

  const KEYS = [{ id: 'a', sha256: sha256('x'), tenant: 'a', models: ['*'] }];
  const WHERE_KEYS_GO =
    '; expected nothing: API keys (even as digests) go in the Secret gateway-api-keys (key keys.yaml) in ai-gateway, which you create (docs/workloads.md)';

  it('fails when keys are given in gateway.keys', () => {
    expect(() => exampleConfig('homelab', { gateway: { keys: KEYS } })).toThrow(
      `gateway.keys: got [{"id":"a","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717...${WHERE_KEYS_GO}`,
    );
  });

  it('fails when keys are given in gateway.runtime.keys', () => {
    expect(() => exampleConfig('aws', { gateway: { runtime: { ...OPENAI_RUNTIME, keys: KEYS } } })).toThrow(
      `gateway.runtime.keys: got [{"id":"a","sha256":"2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717...${WHERE_KEYS_GO}`,
    );
  });

  it('fails when gateway.runtime names its own keysFile', () => {
    expect(() => exampleConfig('aws', { gateway: { runtime: { ...OPENAI_RUNTIME, keysFile: '/etc/keys.yaml' } } })).toThrow(
      'gateway.runtime.keysFile: got "/etc/keys.yaml"; expected nothing: the platform points it at the mounted gateway-api-keys Secret',
    );
  });
});
