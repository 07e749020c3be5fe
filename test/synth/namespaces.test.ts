import { loadPlatformConfig } from '../../config/load-config';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { DEFAULT_CONFIG } from '../support/paths';

const TIER_NAMESPACES = ['ai-edge', 'ai-gateway', 'ai-models', 'ai-data', 'ai-ui', 'ai-observability'];

describe('tier namespaces', () => {
  const { objects } = synthKubernetes(loadPlatformConfig(DEFAULT_CONFIG));
  const namespaces = objects.filter((o) => o.kind === 'Namespace' && TIER_NAMESPACES.includes(o.metadata!.name!));
  const policies = objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.name === 'default-deny');

  it('creates one namespace per tier, edge included', () => {
    expect(namespaces.map((n) => n.metadata!.name).sort()).toEqual([...TIER_NAMESPACES].sort());
  });

  it.each(TIER_NAMESPACES)('%s enforces the restricted Pod Security Standard and audits/warns on it', (name) => {
    const labels = namespaces.find((n) => n.metadata!.name === name)!.metadata!.labels as Record<string, string>;
    expect(labels).toMatchObject({
      'pod-security.kubernetes.io/enforce': 'restricted',
      'pod-security.kubernetes.io/audit': 'restricted',
      'pod-security.kubernetes.io/warn': 'restricted',
    });
    expect(labels['switchyard.dev/tier']).toBeTruthy();
  });

  it.each(TIER_NAMESPACES)('%s denies all ingress and egress by default, except DNS to kube-dns', (name) => {
    const policy = policies.find((p) => p.metadata!.namespace === name) as KubeObject & { spec: Record<string, unknown> };
    expect(policy.spec).toEqual({
      podSelector: {},
      policyTypes: ['Ingress', 'Egress'],
      ingress: [],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'kube-system' } },
              podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
            },
          ],
          ports: [
            { protocol: 'UDP', port: 53 },
            { protocol: 'TCP', port: 53 },
          ],
        },
      ],
    });
  });

  it('follows renamed namespaces from the config', () => {
    const config = loadPlatformConfig(DEFAULT_CONFIG);
    const renamed = synthKubernetes({ ...config, namespaces: { ...config.namespaces, models: 'llm' } }).objects;
    expect(renamed.some((o) => o.kind === 'Namespace' && o.metadata?.name === 'llm')).toBe(true);
    expect(renamed.some((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === 'llm' && o.metadata.name === 'default-deny')).toBe(
      true,
    );
  });
});
