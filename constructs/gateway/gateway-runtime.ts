/**
 * The gateway's runtime config as the platform deploys it: derived from the platform when the
 * config gives none, rendered to the YAML the gateway reads, and read back for what the deployment
 * needs to know (which Secrets to reference, whether the pods must reach the internet).
 *
 * Secrets never enter this config: providers name the environment variable that holds their key
 * (`apiKeyEnv`), Redis its password's (`passwordEnv`), and API keys (their SHA-256 digests) are
 * read from the file `keysFile` names, a mounted Secret (SwitchyardGateway sets it).
 */
import { createHash } from 'node:crypto';
import { stringify } from 'yaml';
import type { GatewayConfig, GatewayConfigInput, ProviderConfig } from '../../gateway/src/config/schema';

/** The one provider of a derived runtime: the in-cluster Ollama. */
export const IN_CLUSTER_OLLAMA_PROVIDER = 'ollama';
/** The environment variable the derived runtime reads the Redis password from. */
export const REDIS_PASSWORD_ENV = 'REDIS_PASSWORD';

export interface DerivedRuntimeInputs {
  /** Base URL of the in-cluster Ollama, e.g. http://ollama.ai-models.svc.cluster.local:11434. */
  readonly ollamaUrl: string;
  /** The Ollama models to serve, each under its own name. */
  readonly models: readonly string[];
  /** The in-cluster Redis for rate limits, budgets and the cache. @default - in-memory state */
  readonly redisUrl?: string;
}

/**
 * The runtime the platform runs when the config gives none: the in-cluster Ollama as the one
 * provider, private (it may receive sensitive data), serving each configured model under its own
 * name; shared state in the in-cluster Redis when there is one. No keys: they come from the
 * API keys Secret.
 */
export function derivedGatewayRuntime(inputs: DerivedRuntimeInputs): GatewayConfigInput {
  return {
    providers: [{ name: IN_CLUSTER_OLLAMA_PROVIDER, type: 'ollama', baseUrl: inputs.ollamaUrl, private: true }],
    models: inputs.models.map((name) => ({ name, targets: [{ provider: IN_CLUSTER_OLLAMA_PROVIDER, model: name }] })),
    ...(inputs.redisUrl ? { state: { redis: { url: inputs.redisUrl, passwordEnv: REDIS_PASSWORD_ENV } } } : {}),
  };
}

/** The config file's text: YAML, keys in a stable order, so its checksum changes only with its content. */
export function renderGatewayConfig(runtime: GatewayConfig): string {
  return `# Rendered by Switchyard from the platform config; edit platform.yaml, not this.\n${stringify(runtime, { lineWidth: 0, sortMapEntries: true })}`;
}

export function sha256Hex(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** Whether a provider URL points into the cluster (a Service DNS name). */
export function isInClusterUrl(url: string | undefined): boolean {
  if (!url) return false;
  const host = new URL(url).hostname;
  return host.endsWith('.svc') || host.endsWith('.svc.cluster.local') || host.endsWith('.cluster.local');
}

/**
 * Providers the gateway reaches outside the cluster (the public clouds' APIs, a hosted server):
 * every provider whose URL is not a cluster Service, Bedrock included (its URL is derived from the
 * region). Marked private or not, the pods need egress to reach them.
 */
export function externalProviders(runtime: GatewayConfig): ProviderConfig[] {
  return runtime.providers.filter((p) => !isInClusterUrl(p.baseUrl));
}

/** Environment variables the runtime reads secrets from: provider API keys, then the Redis password. */
export function secretEnvNames(runtime: GatewayConfig): { providerKeys: string[]; redisPassword?: string } {
  const providerKeys = [...new Set(runtime.providers.flatMap((p) => (p.apiKeyEnv ? [p.apiKeyEnv] : [])))];
  return { providerKeys, redisPassword: runtime.state?.redis?.passwordEnv };
}
