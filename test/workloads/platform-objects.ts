/** Synthesized objects of a platform config (through the validation gate), with typed lookups. */
import { loadPlatformConfig, parsePlatformConfig } from '../../config/load-config';
import type { PlatformConfig } from '../../config/platform-config';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS } from '../support/paths';
import { find, type Obj } from './synth-scope';

export const PROFILE_CONFIGS = { ...EXAMPLE_CONFIGS, default: DEFAULT_CONFIG } as const;

export function objectsOf(config: PlatformConfig | keyof typeof PROFILE_CONFIGS): KubeObject[] {
  return synthKubernetes(typeof config === 'string' ? loadPlatformConfig(PROFILE_CONFIGS[config]) : config).objects;
}

/** A config from raw YAML-shaped input, defaults merged in. */
export function configOf(raw: Record<string, unknown>): PlatformConfig {
  return parsePlatformConfig(raw);
}

/** The pod spec of a workload object (Deployment, StatefulSet, Job). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function podSpecOf(objects: readonly KubeObject[], kind: string, name: string): any {
  return find(objects, kind, name).spec.template.spec;
}

/** A NetworkPolicy by namespace and name. */
export function policy(objects: readonly KubeObject[], namespace: string, name: string): Obj {
  const found = objects.find((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === namespace && o.metadata?.name === name);
  if (!found) throw new Error(`no NetworkPolicy ${namespace}/${name}`);
  return found as Obj;
}

export const selector = (name: string) => ({ 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': 'switchyard' });

/** The peer `allowTraffic` writes for pods of `name` in `namespace`. */
export const podPeer = (namespace: string, name: string) => ({
  namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': namespace } },
  podSelector: { matchLabels: selector(name) },
});

/** What a NetworkPolicy peer names, for reading in a test: `namespace/name` of a platform pod group, else the peer as JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function describePeer(peer: Record<string, any>): string {
  const namespace = peer.namespaceSelector?.matchLabels?.['kubernetes.io/metadata.name'];
  const name = peer.podSelector?.matchLabels?.['app.kubernetes.io/name'];
  return namespace && name && Object.keys(peer).length === 2 ? `${namespace}/${name}` : JSON.stringify(peer);
}

/**
 * Every source let into the pods of workload `name` in `namespace`, with the TCP ports it may use,
 * as `<namespace>/<source> -> <port>[,<port>]`, sorted: read from the ingress rules of every
 * NetworkPolicy whose pod selector selects those pods (whatever the policy is called), so a flow a
 * test does not expect, metrics scrapers included, makes the list differ. A rule without peers
 * or without ports (open to all) shows as `*`.
 */
export function ingressSources(objects: readonly KubeObject[], namespace: string, name: string): string[] {
  const labels: Record<string, string> = selector(name);
  const sources = objects
    .filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === namespace)
    .map((o) => (o as Obj).spec)
    .filter((spec) => (spec.policyTypes ?? []).includes('Ingress'))
    .filter((spec) => Object.entries(spec.podSelector?.matchLabels ?? {}).every(([key, value]) => labels[key] === value))
    .flatMap((spec) =>
      (spec.ingress ?? []).flatMap((rule: { from?: Record<string, unknown>[]; ports?: { port: number }[] }) => {
        const ports = rule.ports?.map((p) => p.port).join(',') ?? '*';
        return (rule.from ?? [{ '*': true }]).map((peer) => `${peer['*'] ? '*' : describePeer(peer)} -> ${ports}`);
      }),
    );
  return [...new Set(sources)].sort();
}
