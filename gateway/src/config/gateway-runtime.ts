/**
 * A validated config compiled into what the hot path reads: providers with their adapter and
 * endpoint, model routes with their targets (prices and private flags resolved), the
 * authenticator and the classifier. Built once per config (re)load; a request keeps the runtime it
 * started with, so a reload never changes a request half-way.
 */
import { Authenticator } from '../auth/authenticator';
import { Classifier } from '../compliance/classifier';
import type { Detector } from '../compliance/detectors';
import type { UpstreamEndpoint } from '../http/upstream-client';
import type { ProviderAdapter, ProviderType, TargetContext } from '../providers/contract';
import { providerAdapters } from '../providers/registry';
import { type ConfigProblem, GatewayConfigError } from './config-error';
import type { GatewayConfig, ModelConfig, PriceConfig, ProviderConfig, TargetConfig } from './schema';

export interface ProviderRuntime {
  readonly name: string;
  readonly type: ProviderType;
  readonly adapter: ProviderAdapter;
  readonly private: boolean;
  readonly endpoint: UpstreamEndpoint;
  /** Resolved from `apiKeyEnv`; never logged. */
  readonly apiKey?: string;
  readonly config: ProviderConfig;
}

export interface TargetRuntime {
  /** `provider/model`, the key of its circuit breaker and latency average. */
  readonly id: string;
  readonly provider: ProviderRuntime;
  readonly upstreamModel: string;
  readonly weight: number;
  readonly capabilities: TargetConfig['capabilities'];
  readonly price: PriceConfig | undefined;
  readonly context: TargetContext;
}

export interface ModelRoute {
  readonly name: string;
  /** `infer` routes lead to http inference services (POST /api/infer); `chat` to LLM providers. */
  readonly kind: 'chat' | 'infer';
  readonly strategy: ModelConfig['strategy'];
  readonly targets: readonly TargetRuntime[];
  /** Whether any target's adapter has an embeddings API. */
  readonly embeddings: boolean;
  /** Whether the route comes from config (listed by GET /v1/models) rather than the catch-all. */
  readonly listed: boolean;
}

export interface GatewayRuntime {
  readonly config: GatewayConfig;
  readonly providers: ReadonlyMap<string, ProviderRuntime>;
  readonly auth: Authenticator;
  readonly classifier: Classifier;
  /** The route for a client model name (exact names first, then the catch-all `*`). */
  resolveModel(name: string): ModelRoute | undefined;
  /** Routes declared in config, in config order. */
  readonly listedModels: readonly ModelRoute[];
}

export interface RuntimeOptions {
  /** Reads provider API keys. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Custom detectors run after the configured ones. */
  readonly extraDetectors?: readonly Detector[];
  /** Adapters by provider type. @default providerAdapters (providers/registry.ts) */
  readonly adapters?: Readonly<Partial<Record<ProviderType, ProviderAdapter>>>;
}

/** Routes created for names under the catch-all are remembered up to this many. */
const CATCH_ALL_CACHE_LIMIT = 1000;

function splitBaseUrl(baseUrl: string): { origin: string; basePath: string } {
  const url = new URL(baseUrl);
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, '') };
}

function priceFor(prices: readonly PriceConfig[], provider: string, model: string): PriceConfig | undefined {
  return (
    prices.find((p) => p.model === model && p.provider === provider) ?? prices.find((p) => p.model === model && p.provider === undefined)
  );
}

function compileProviders(config: GatewayConfig, options: RuntimeOptions, problems: ConfigProblem[]): Map<string, ProviderRuntime> {
  const providers = new Map<string, ProviderRuntime>();
  const adapters = options.adapters ?? providerAdapters;
  const env = options.env ?? process.env;
  config.providers.forEach((provider, i) => {
    const adapter = adapters[provider.type];
    if (!adapter) {
      const registered = Object.keys(adapters)
        .map((t) => JSON.stringify(t))
        .join(', ');
      problems.push({
        path: `providers[${i}].type`,
        got: JSON.stringify(provider.type),
        expected: `a provider type with a registered adapter (${registered})`,
      });
      return;
    }
    let apiKey: string | undefined;
    if (provider.apiKeyEnv) {
      apiKey = env[provider.apiKeyEnv];
      if (!apiKey)
        problems.push({
          path: `providers[${i}].apiKeyEnv`,
          got: `${provider.apiKeyEnv} (not set)`,
          expected: 'the name of a set, non-empty environment variable',
        });
    }
    const baseUrl = provider.baseUrl ?? `https://bedrock-runtime.${provider.region}.amazonaws.com`;
    const endpoint = { ...splitBaseUrl(baseUrl), timeouts: { ...config.timeouts, ...provider.timeouts } };
    providers.set(provider.name, {
      name: provider.name,
      type: provider.type,
      adapter,
      private: provider.private,
      endpoint,
      apiKey,
      config: provider,
    });
  });
  return providers;
}

function compileTarget(
  target: TargetConfig,
  upstreamModel: string,
  provider: ProviderRuntime,
  prices: readonly PriceConfig[],
): TargetRuntime {
  const endpointBase = provider.config.baseUrl ?? provider.endpoint.origin;
  return {
    id: `${provider.name}/${upstreamModel}`,
    provider,
    upstreamModel,
    weight: target.weight ?? 1,
    capabilities: target.capabilities,
    price: priceFor(prices, provider.name, upstreamModel),
    context: {
      upstreamModel,
      baseUrl: endpointBase.replace(/\/+$/, ''),
      apiKey: provider.apiKey,
      region: provider.config.region,
      path: provider.config.path,
    },
  };
}

function compileRoute(
  model: ModelConfig,
  name: string,
  providers: ReadonlyMap<string, ProviderRuntime>,
  prices: readonly PriceConfig[],
  listed: boolean,
): ModelRoute {
  const targets = model.targets.map((t) => compileTarget(t, t.model ?? name, providers.get(t.provider)!, prices));
  return {
    name,
    kind: targets.every((t) => t.provider.type === 'http') ? 'infer' : 'chat',
    strategy: model.strategy,
    targets,
    embeddings: targets.some((t) => t.provider.adapter.embeddings !== undefined),
    listed,
  };
}

/** Compiles a validated config; throws GatewayConfigError for what only the runtime can check. */
export function compileRuntime(config: GatewayConfig, options: RuntimeOptions = {}, source = '<config>'): GatewayRuntime {
  const problems: ConfigProblem[] = [];
  const providers = compileProviders(config, options, problems);
  if (problems.length > 0) throw new GatewayConfigError(source, problems);

  const exact = new Map<string, ModelRoute>();
  let catchAll: ModelConfig | undefined;
  for (const model of config.models) {
    if (model.name === '*') catchAll = model;
    else exact.set(model.name, compileRoute(model, model.name, providers, config.prices, true));
  }
  // The seed's registry: an http provider is also an /api/infer model of its own name.
  for (const provider of config.providers) {
    if (provider.type === 'http' && !exact.has(provider.name))
      exact.set(
        provider.name,
        compileRoute(
          { name: provider.name, strategy: 'priority', targets: [{ provider: provider.name, model: provider.name }] },
          provider.name,
          providers,
          config.prices,
          false,
        ),
      );
  }
  const listedModels = [...exact.values()].filter((route) => route.listed);
  const underCatchAll = new Map<string, ModelRoute>();

  return {
    config,
    providers,
    auth: new Authenticator(config.keys, config.auth.allowAnonymous),
    classifier: new Classifier(config.compliance, options.extraDetectors),
    listedModels,
    resolveModel(name) {
      const route = exact.get(name) ?? underCatchAll.get(name);
      if (route || !catchAll) return route;
      const created = compileRoute(catchAll, name, providers, config.prices, false);
      if (underCatchAll.size < CATCH_ALL_CACHE_LIMIT) underCatchAll.set(name, created);
      return created;
    },
  };
}
