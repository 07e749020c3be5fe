/**
 * The gateway's runtime config: providers, models and their targets, API keys, compliance, prices,
 * timeouts and routing. Imports only zod, so the platform IaC validates `gateway.runtime` in
 * platform.yaml with this same schema. Cross-field rules (targets name known providers, names are
 * unique...) live here too, as issues with a path; their message says what is allowed.
 *
 * `state`, `tenants`, `cache` and the per-key `rpm`, `tpm`, `monthlyBudgetUsd` are read by the state
 * layer (gateway/src/state: Redis rate limits, budgets, response cache); without it they are inert.
 */
import * as z from 'zod';
import { DEFAULT_AUDIT_FLUSH_MS } from '../audit/audit-log';
import { complianceSchema } from './compliance-schema';
import { routingSchema, timeoutsSchema } from './routing-schema';

export const PROVIDER_TYPES = ['openai', 'ollama', 'anthropic', 'bedrock', 'http'] as const;
export const ROUTING_STRATEGIES = ['priority', 'weighted', 'cheapest-capable', 'lowest-latency'] as const;

/** Names used in metric labels and headers: letters, digits, `.`, `_`, `-`. */
const identifier = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/, {
  message: 'a name of 1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
});
const envVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, { message: 'an environment variable name such as OPENAI_API_KEY' });
const httpUrl = z.string().regex(/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/, { message: 'an http(s) URL without query or fragment' });

export const providerSchema = z.strictObject({
  name: identifier,
  type: z.enum(PROVIDER_TYPES),
  /** Base URL the adapter's paths are appended to. Bedrock derives it from `region` when absent. */
  baseUrl: httpUrl.optional(),
  /** Whether the provider may receive sensitive data (in-cluster or contractually private). */
  private: z.boolean().default(false),
  /** Environment variable holding the provider's API key; the key itself never appears in config. */
  apiKeyEnv: envVarName.optional(),
  /** AWS region (bedrock only). */
  region: z
    .string()
    .regex(/^[a-z]{2}(-[a-z]+)+-\d$/, { message: 'an AWS region such as us-east-1' })
    .optional(),
  /** Request path of an `http` inference service. @default "/infer" */
  path: z
    .string()
    .regex(/^\/[^\s?#]*$/, { message: 'a path starting with "/"' })
    .optional(),
  /** Per-provider timeouts, overriding the top-level `timeouts`. */
  timeouts: timeoutsSchema.partial().optional(),
});

export const targetSchema = z.strictObject({
  /** A `providers[].name`. */
  provider: identifier,
  /** The provider's model id. Omitted only under the catch-all model `*`: the client's model name is used. */
  model: z.string().min(1).optional(),
  /** Share of traffic under the `weighted` strategy. @default 1 */
  weight: z.number().positive().optional(),
  /** What the target can do; read by `cheapest-capable`. Absent means not known to be limited. */
  capabilities: z
    .strictObject({
      contextWindow: z.number().int().positive().optional(),
      tools: z.boolean().optional(),
      vision: z.boolean().optional(),
    })
    .optional(),
});

export const modelSchema = z.strictObject({
  /** What clients ask for; `*` is a catch-all that routes any other model name. */
  name: z.string().min(1).max(200),
  targets: z.array(targetSchema).min(1),
  /** How the first target is chosen; the others are fallbacks in the resulting order. @default "priority" */
  strategy: z.enum(ROUTING_STRATEGIES).default('priority'),
  /** Requests per minute to this model, all keys together (state layer); on `*`, all names it routes together. */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute to this model, all keys together (state layer). */
  tpm: z.number().int().positive().optional(),
});

export const keySchema = z.strictObject({
  id: identifier,
  /** Hex SHA-256 of the API key; the key itself never appears in config. */
  sha256: z.string().regex(/^[0-9a-fA-F]{64}$/, { message: 'a hex SHA-256 digest (64 hex characters)' }),
  tenant: identifier,
  /** Model names the key may use; `*` allows every model. */
  models: z.array(z.string().min(1)).min(1),
  /** May call admin endpoints (GET /v1/spend). @default false */
  admin: z.boolean().default(false),
  /** Requests per minute (state layer). */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute (state layer). */
  tpm: z.number().int().positive().optional(),
  /** Monthly budget in USD (state layer). */
  monthlyBudgetUsd: z.number().nonnegative().optional(),
});

export const priceSchema = z.strictObject({
  /** The provider's model id, as in `targets[].model`. */
  model: z.string().min(1),
  /** Restricts the price to one provider's model of that id. @default - any provider */
  provider: identifier.optional(),
  inputUsdPerMillion: z.number().nonnegative(),
  outputUsdPerMillion: z.number().nonnegative(),
  /** Price of prompt-cache hits. @default inputUsdPerMillion */
  cachedInputUsdPerMillion: z.number().nonnegative().optional(),
});

export const stateSchema = z.strictObject({
  /** Absent: in-memory state, limits per process. */
  redis: z
    .strictObject({
      url: z.string().regex(/^rediss?:\/\//, { message: 'a redis:// or rediss:// URL' }),
      /** Environment variable holding the Redis password (a Secret); never in the URL. */
      passwordEnv: envVarName.optional(),
      /** Prefix of every key the gateway writes, so several deployments can share one Redis. @default "switchyard:" */
      keyPrefix: z
        .string()
        .regex(/^[A-Za-z0-9:._-]{0,64}$/, { message: 'up to 64 letters, digits, ":", ".", "_" or "-"' })
        .default('switchyard:'),
      /** Longest wait for one Redis command before the fail mode applies. @default 250 */
      commandTimeoutMs: z.number().int().positive().max(10_000).default(250),
    })
    .optional(),
  onRedisError: z.enum(['fail-open', 'fail-closed']).default('fail-open'),
  /** Completion tokens reserved against `tpm` when a request sets no `max_tokens`/`max_completion_tokens`. @default 1024 */
  completionTokenReservation: z.number().int().positive().default(1024),
});

export const tenantSchema = z.strictObject({
  id: identifier,
  monthlyBudgetUsd: z.number().nonnegative().optional(),
  /** Requests per minute for all the tenant's keys together (state layer). */
  rpm: z.number().int().positive().optional(),
  /** Tokens per minute for all the tenant's keys together (state layer). */
  tpm: z.number().int().positive().optional(),
});

export const cacheSchema = z.strictObject({
  ttlSeconds: z.number().int().positive(),
  /** Cache responses to sensitive requests too. @default false */
  cacheSensitive: z.boolean().default(false),
});

const gatewayConfigObject = z.strictObject({
  providers: z.array(providerSchema).min(1),
  models: z.array(modelSchema).min(1),
  keys: z.array(keySchema).default([]),
  /**
   * A YAML file listing more keys, with the schema of `keys` (a Secret's key mounted as a file, so
   * digests stay out of ConfigMaps): absolute, or relative to the config file's directory. Read at
   * start and on every reload, and watched like the config. @default - no keys file
   */
  keysFile: z
    .string()
    .regex(/^[^\0]+$/, { message: 'a file path' })
    .optional(),
  auth: z.strictObject({ allowAnonymous: z.boolean().default(false) }).prefault({}),
  compliance: complianceSchema.prefault({}),
  prices: z.array(priceSchema).default([]),
  timeouts: timeoutsSchema.prefault({}),
  routing: routingSchema.prefault({}),
  limits: z
    .strictObject({
      maxBodyBytes: z
        .number()
        .int()
        .positive()
        .default(10 * 1024 * 1024),
    })
    .prefault({}),
  audit: z
    .strictObject({
      destination: z.enum(['stdout', 'stderr', 'off']).default('stdout'),
      /** How long a line may wait to be written with others (0: once per event-loop turn). */
      flushMs: z.number().int().min(0).max(1000).default(DEFAULT_AUDIT_FLUSH_MS),
    })
    .prefault({}),
  state: stateSchema.optional(),
  tenants: z.array(tenantSchema).optional(),
  cache: cacheSchema.optional(),
});

type RawConfig = z.infer<typeof gatewayConfigObject>;

function duplicates(values: readonly string[]): Set<string> {
  const seen = new Set<string>();
  const dupes = new Set<string>();
  for (const value of values) (seen.has(value) ? dupes : seen).add(value);
  return dupes;
}

/** Cross-field rules; each adds an issue at the offending path with what is allowed. */
function checkReferences(config: RawConfig, ctx: z.RefinementCtx): void {
  const issue = (path: PropertyKey[], message: string) => ctx.addIssue({ code: 'custom', path, message, input: undefined });
  const providerNames = config.providers.map((p) => p.name);
  const providers = new Map(config.providers.map((p) => [p.name, p]));
  for (const name of duplicates(providerNames))
    issue(['providers', providerNames.lastIndexOf(name), 'name'], `a provider name not used before (${JSON.stringify(name)} is taken)`);
  config.providers.forEach((p, i) => {
    if (p.type === 'bedrock' && !p.region) issue(['providers', i, 'region'], 'an AWS region (bedrock providers need one)');
    if (p.type !== 'bedrock' && !p.baseUrl) issue(['providers', i, 'baseUrl'], `an http(s) URL (${p.type} providers need one)`);
    if (p.type !== 'bedrock' && p.region) issue(['providers', i, 'region'], 'no region (only bedrock providers take one)');
    if (p.type !== 'http' && p.path) issue(['providers', i, 'path'], 'no path (only http providers take one)');
  });
  const modelNames = config.models.map((m) => m.name);
  for (const name of duplicates(modelNames))
    issue(['models', modelNames.lastIndexOf(name), 'name'], `a model name not used before (${JSON.stringify(name)} is taken)`);
  config.models.forEach((model, m) => {
    const kinds = new Set<string>();
    model.targets.forEach((target, t) => {
      const provider = providers.get(target.provider);
      if (!provider)
        issue(
          ['models', m, 'targets', t, 'provider'],
          `one of the provider names ${providerNames.map((n) => JSON.stringify(n)).join(', ')}`,
        );
      else kinds.add(provider.type === 'http' ? 'http' : 'llm');
      if (!target.model && model.name !== '*')
        issue(['models', m, 'targets', t, 'model'], 'a model id (only targets of the catch-all model "*" may omit it)');
    });
    if (kinds.size > 1) issue(['models', m, 'targets'], 'targets of one kind: all http inference services, or all LLM providers');
  });
  const keyIds = config.keys.map((k) => k.id);
  for (const id of duplicates(keyIds))
    issue(['keys', keyIds.lastIndexOf(id), 'id'], `a key id not used before (${JSON.stringify(id)} is taken)`);
  const hashes = config.keys.map((k) => k.sha256.toLowerCase());
  for (const hash of duplicates(hashes)) issue(['keys', hashes.lastIndexOf(hash), 'sha256'], 'a digest not used by another key');
  config.keys.forEach((key, k) =>
    key.models.forEach((name, i) => {
      if (name !== '*' && !modelNames.includes(name) && !modelNames.includes('*') && providers.get(name)?.type !== 'http')
        issue(
          ['keys', k, 'models', i],
          `"*", a model name (${modelNames.map((n) => JSON.stringify(n)).join(', ')}) or the name of an http provider`,
        );
    }),
  );
  if (config.tenants) {
    const tenantIds = config.tenants.map((t) => t.id);
    for (const id of duplicates(tenantIds))
      issue(['tenants', tenantIds.lastIndexOf(id), 'id'], `a tenant id not used before (${JSON.stringify(id)} is taken)`);
  }
  const redisUrl = config.state?.redis?.url;
  if (redisUrl && /^rediss?:\/\/[^/@]*:[^/@]*@/.test(redisUrl))
    issue(['state', 'redis', 'url'], 'a URL without a password (put it in the environment variable named by state.redis.passwordEnv)');
  config.prices.forEach((price, i) => {
    if (price.provider && !providers.has(price.provider))
      issue(['prices', i, 'provider'], `one of the provider names ${providerNames.map((n) => JSON.stringify(n)).join(', ')}`);
  });
}

export const gatewayConfigSchema = gatewayConfigObject.superRefine(checkReferences);

/** A validated config, defaults applied. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;
/** A config as written in YAML, before defaults. */
export type GatewayConfigInput = z.input<typeof gatewayConfigSchema>;
export type ProviderConfig = GatewayConfig['providers'][number];
export type ModelConfig = GatewayConfig['models'][number];
export type TargetConfig = ModelConfig['targets'][number];
export type KeyConfig = GatewayConfig['keys'][number];
export type PriceConfig = GatewayConfig['prices'][number];
