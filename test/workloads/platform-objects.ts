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

/** Metrics scrapers the observability tier lets in everywhere it scrapes; the data-plane flows are the rest. */
const METRICS_SOURCES = ['prometheus', 'redis-exporter'];

/** Names of the ingress policies into `name`, except the metrics scrapers'. */
export function dataPlaneSources(objects: readonly KubeObject[], name: string): string[] {
  return objects
    .filter((o) => o.kind === 'NetworkPolicy' && o.metadata!.name!.startsWith(`${name}-from-`))
    .map((o) => o.metadata!.name!.slice(`${name}-from-`.length))
    .filter((source) => !METRICS_SOURCES.includes(source))
    .sort();
}
