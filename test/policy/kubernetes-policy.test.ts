import { loadPlatformConfig } from '../../config/load-config';
import { SecureWorkload } from '../../constructs/kube/secure-workload';
import { KUBERNETES_POLICY, listExemptions, runKubernetesPolicy } from '../../policy/kubernetes/kubernetes-policy';
import { formatFindings } from '../../policy/policy-finding';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS } from '../support/paths';
import { emptyChart, synthObjects } from '../workloads/synth-scope';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

const PROFILES = {
  'examples/aws.yaml': EXAMPLE_CONFIGS.aws,
  'examples/gcp.yaml': EXAMPLE_CONFIGS.gcp,
  'examples/homelab.yaml': EXAMPLE_CONFIGS.homelab,
  'platform.yaml': DEFAULT_CONFIG,
};

describe('Kubernetes policy over every chart of every profile', () => {
  it.each(Object.entries(PROFILES))('%s has 0 findings', (_name, file) => {
    const findings = runKubernetesPolicy(synthKubernetes(loadPlatformConfig(file)).objects);
    expect(formatFindings(findings)).toBe('');
  });
});

/** A fresh copy of the homelab objects, to weaken one at a time. */
const baseline: KubeObject[] = synthKubernetes(loadPlatformConfig(EXAMPLE_CONFIGS.homelab)).objects;
const fresh = (): Loose[] => structuredClone(baseline);
const byName = (objects: Loose[], kind: string, name: string): Loose => objects.find((o) => o.kind === kind && o.metadata.name === name);
const redisContainer = (objects: Loose[]) => byName(objects, 'StatefulSet', 'redis').spec.template.spec.containers[0];
const redisPod = (objects: Loose[]) => byName(objects, 'StatefulSet', 'redis').spec.template.spec;

const WEAKENED: readonly [rule: string, weaken: (objects: Loose[]) => void, resource: string, message: string][] = [
  [
    'no-privileged',
    (o) => (redisContainer(o).securityContext.privileged = true),
    'StatefulSet ai-data/redis',
    'container redis: securityContext.privileged is true; expected false',
  ],
  [
    'no-privilege-escalation',
    (o) => delete redisContainer(o).securityContext.allowPrivilegeEscalation,
    'StatefulSet ai-data/redis',
    'container redis: securityContext.allowPrivilegeEscalation is "unset"; expected false',
  ],
  [
    'run-as-non-root',
    (o) => {
      redisContainer(o).securityContext.runAsNonRoot = false;
      redisContainer(o).securityContext.runAsUser = 0;
    },
    'StatefulSet ai-data/redis',
    'container redis: runAsNonRoot is not true (container or pod securityContext); expected true',
  ],
  [
    'high-uid',
    (o) => (redisContainer(o).securityContext.runAsUser = 999),
    'StatefulSet ai-data/redis',
    'container redis: runAsUser is 999; expected a fixed UID >= 10000',
  ],
  [
    'read-only-root-filesystem',
    (o) => (redisContainer(o).securityContext.readOnlyRootFilesystem = false),
    'StatefulSet ai-data/redis',
    'container redis: securityContext.readOnlyRootFilesystem is not true; expected true',
  ],
  [
    'drop-all-capabilities',
    (o) => (redisContainer(o).securityContext.capabilities = { drop: ['NET_RAW'], add: ['NET_ADMIN'] }),
    'StatefulSet ai-data/redis',
    'container redis: capabilities.drop is ["NET_RAW"]; expected ["ALL"]',
  ],
  [
    'seccomp-runtime-default',
    (o) => {
      delete redisContainer(o).securityContext.seccompProfile;
      redisPod(o).securityContext.seccompProfile = { type: 'Unconfined' };
    },
    'StatefulSet ai-data/redis',
    'container redis: seccompProfile.type is "Unconfined"; expected "RuntimeDefault"',
  ],
  [
    'resources-set',
    (o) => delete redisContainer(o).resources.limits.memory,
    'StatefulSet ai-data/redis',
    'container redis: resources.limits.memory is unset; expected a quantity',
  ],
  [
    'pinned-image',
    (o) => (redisContainer(o).image = 'docker.io/library/redis:latest'),
    'StatefulSet ai-data/redis',
    'container redis: image "docker.io/library/redis:latest" is not pinned; expected a version tag other than latest, or @sha256:<digest>',
  ],
  [
    'image-pull-always',
    (o) => (redisContainer(o).imagePullPolicy = 'IfNotPresent'),
    'StatefulSet ai-data/redis',
    'container redis: imagePullPolicy is "IfNotPresent"; expected "Always"',
  ],
  [
    'probes',
    (o) => delete redisContainer(o).livenessProbe,
    'StatefulSet ai-data/redis',
    'container redis: livenessProbe is unset; expected a probe on the health check',
  ],
  ['no-host-namespaces', (o) => (redisPod(o).hostNetwork = true), 'StatefulSet ai-data/redis', 'hostNetwork is true; expected false'],
  [
    'no-host-path',
    (o) => redisPod(o).volumes.push({ name: 'sock', hostPath: { path: '/var/run/docker.sock' } }),
    'StatefulSet ai-data/redis',
    'volume sock mounts host path "/var/run/docker.sock"; expected a PersistentVolumeClaim',
  ],
  [
    'no-service-account-token',
    (o) => (redisPod(o).automountServiceAccountToken = true),
    'StatefulSet ai-data/redis',
    'automountServiceAccountToken is true; expected false',
  ],
  [
    'own-service-account',
    (o) => (redisPod(o).serviceAccountName = 'default'),
    'StatefulSet ai-data/redis',
    'serviceAccountName is "default"; expected the workload\'s own ServiceAccount',
  ],
  [
    'network-isolation',
    (o) =>
      o.splice(
        o.findIndex((x) => x.kind === 'NetworkPolicy' && x.metadata.name === 'default-deny' && x.metadata.namespace === 'ai-data'),
        1,
      ),
    'StatefulSet ai-data/redis',
    "no NetworkPolicy with policyType Egress selects its pods; expected the namespace's default-deny",
  ],
  [
    'disruption-budget',
    (o) =>
      (byName(o, 'PodDisruptionBudget', 'redis').spec = {
        maxUnavailable: 0,
        selector: byName(o, 'PodDisruptionBudget', 'redis').spec.selector,
      }),
    'StatefulSet ai-data/redis',
    'PodDisruptionBudget redis has maxUnavailable 0: no pod could ever be evicted; expected at least 1',
  ],
  [
    'selector-matches-template',
    (o) => (byName(o, 'StatefulSet', 'redis').spec.selector.matchLabels['app.kubernetes.io/name'] = 'cache'),
    'StatefulSet ai-data/redis',
    'spec.selector {"app.kubernetes.io/instance":"switchyard","app.kubernetes.io/name":"cache"} does not match the pod template\'s labels',
  ],
  [
    'not-default-namespace',
    (o) => (byName(o, 'ConfigMap', 'minio-setup-policies').metadata.namespace = 'default'),
    'ConfigMap default/minio-setup-policies',
    'metadata.namespace is "default"; expected a tier namespace',
  ],
  [
    'service-selects-pods',
    (o) => (byName(o, 'Service', 'qdrant').spec.selector = { 'app.kubernetes.io/name': 'qdrnt' }),
    'Service ai-data/qdrant',
    'spec.selector {"app.kubernetes.io/name":"qdrnt"} selects no pod template in ai-data',
  ],
  [
    'no-secret-values-in-env',
    (o) => redisContainer(o).env.push({ name: 'REDIS_PASSWORD', value: 'hunter2' }),
    'StatefulSet ai-data/redis',
    'container redis: env REDIS_PASSWORD has a literal value; expected valueFrom.secretKeyRef',
  ],
  [
    'no-secret-values-in-configmaps',
    (o) => (byName(o, 'ConfigMap', 'minio-setup-policies').data['creds.yaml'] = 'upstream:\n  apiKey: abc123\n'),
    'ConfigMap ai-data/minio-setup-policies',
    'data.creds.yaml: upstream.apiKey has a literal value under a secret-looking key; expected a Secret reference',
  ],
  [
    'no-secret-objects',
    (o) =>
      o.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'redis-auth', namespace: 'ai-data' }, stringData: { password: 'x' } }),
    'Secret ai-data/redis-auth',
    'holds data; expected no Secret values in manifests (reference a Secret the operator creates)',
  ],
  [
    'valid-exemptions',
    (o) => (byName(o, 'StatefulSet', 'redis').metadata.annotations = { 'exempt.policy.switchyard.dev/read-only-root-filesystem': ' ' }),
    'StatefulSet ai-data/redis',
    'annotation exempt.policy.switchyard.dev/read-only-root-filesystem gives no reason; expected why the rule does not apply',
  ],
];

describe('each rule catches a weakened object', () => {
  it('covers every rule of the table', () => {
    expect(WEAKENED.map(([rule]) => rule).sort()).toEqual(KUBERNETES_POLICY.map((r) => r.id).sort());
  });

  it.each(WEAKENED)('%s', (rule, weaken, resource, message) => {
    const objects = fresh();
    weaken(objects);
    const findings = runKubernetesPolicy(objects).filter((f) => f.rule === rule);
    expect(findings.map((f) => `${f.resource}: ${f.message}`)).toContain(`${resource}: ${message}`);
  });
});

describe('exemptions', () => {
  it('an annotated reason exempts that object from that rule only', () => {
    const objects = fresh();
    const redis = byName(objects, 'StatefulSet', 'redis');
    redisContainer(objects).securityContext.readOnlyRootFilesystem = false;
    redisContainer(objects).imagePullPolicy = 'IfNotPresent';
    redis.metadata.annotations = {
      'exempt.policy.switchyard.dev/read-only-root-filesystem': 'writes a lock file in its working directory',
    };
    const findings = runKubernetesPolicy(objects).filter((f) => f.resource === 'StatefulSet ai-data/redis');
    expect(findings.map((f) => f.rule)).toEqual(['image-pull-always']);
  });

  it('flags an exemption that names no rule', () => {
    const objects = fresh();
    byName(objects, 'StatefulSet', 'redis').metadata.annotations = { 'exempt.policy.switchyard.dev/privileged-container': 'GPU exporter' };
    const findings = runKubernetesPolicy(objects).filter((f) => f.resource === 'StatefulSet ai-data/redis');
    expect(findings.map((f) => `${f.rule}: ${f.message}`)).toEqual([
      expect.stringMatching(
        /^valid-exemptions: annotation exempt.policy.switchyard.dev\/privileged-container names no rule; expected one of no-privileged, /,
      ),
    ]);
  });

  it('a SecureWorkload exception passes its rule and no other', () => {
    const chart = emptyChart();
    new SecureWorkload(chart, 'w', {
      name: 'writer',
      component: 'example',
      instance: 'switchyard',
      namespace: 'ai-test',
      exceptions: { writableRootFilesystem: 'the program writes beside its binary' },
      container: {
        name: 'writer',
        image: { repository: 'example/writer', tag: '1.0.0' },
        resources: { cpuRequest: '10m', cpuLimit: '100m', memoryRequest: '16Mi', memoryLimit: '32Mi' },
        health: { readiness: { tcpPort: 8080 } },
      },
    });
    const objects = synthObjects(chart);
    // The bare chart has no tier namespace: only its missing default-deny is reported.
    expect(runKubernetesPolicy(objects).map((f) => f.rule)).toEqual(['network-isolation', 'network-isolation']);
    expect(listExemptions(objects)).toEqual([
      'Deployment ai-test/writer: exempt from read-only-root-filesystem: the program writes beside its binary',
    ]);
  });
});
