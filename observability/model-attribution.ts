/**
 * Per-model resource use of the in-cluster model servers, as far as it can be measured.
 *
 * One Ollama pod serves every model, so cAdvisor and the GPU exporter report its CPU, memory and
 * GPU use only for the pod as a whole. What the platform does know per model is how long the
 * gateway's requests to that pod took (`gen_ai_client_operation_duration_seconds`, by the
 * provider's model id). The model server's CPU and GPU busy time is split between its models in
 * proportion to those request-seconds: an estimate, labelled as one in the dashboard.
 *
 * Memory is not split: a model holds RAM and VRAM while it is loaded, whether requests arrive or
 * not, so request time says nothing about it. Ollama reports each loaded model's size and VRAM
 * share (`GET /api/ps`, `ollama ps`), but no exporter the platform runs turns that into metrics.
 */
import { gatewayRuntime } from '../charts/gateway-chart';
import { platformPodGroups } from '../charts/pod-groups';
import type { PlatformConfig } from '../config/platform-config';
import { oneOf, regexLiteral } from './promql-regex';

/** The in-cluster model servers: the namespace, and a regex for their pod names. */
export interface ModelServerPods {
  readonly namespace: string;
  /** Ollama is a StatefulSet: pods `<name>-0`, `<name>-1`, ... (not the model pull Job's). */
  readonly podRegex: string;
}

export function modelServerPods(config: PlatformConfig): ModelServerPods {
  const ollama = platformPodGroups(config).ollama;
  return { namespace: ollama.namespace, podRegex: `${regexLiteral(ollama.name)}-[0-9]+` };
}

/** `namespace="...", pod=~"..."`: a matcher for series of the model server pods. */
export function modelServerPodMatcher(config: PlatformConfig): string {
  const pods = modelServerPods(config);
  return `namespace="${pods.namespace}", pod=~"${pods.podRegex}"`;
}

/**
 * The gateway providers that are the in-cluster Ollama: type `ollama` with a base URL on its
 * Service (`<name>.<namespace>`, `.svc` or `.svc.cluster.local`). Empty when Ollama or the gateway
 * is off, or when the gateway's runtime sends no model to it.
 */
export function modelServerProviders(config: PlatformConfig): string[] {
  if (!config.components.ollama || !config.components.gateway) return [];
  const ollama = platformPodGroups(config).ollama;
  const service = `${ollama.name}.${ollama.namespace}`;
  const hosts = new Set([service, `${service}.svc`, `${service}.svc.cluster.local`]);
  return gatewayRuntime(config)
    .providers.filter((p) => p.type === 'ollama' && p.baseUrl !== undefined && hosts.has(new URL(p.baseUrl).hostname))
    .map((p) => p.name);
}

/** `gen_ai_provider_name=~"..."` for the in-cluster model server providers. */
export function modelServerProviderMatcher(providers: readonly string[]): string {
  return `gen_ai_provider_name=~"${oneOf(providers)}"`;
}
