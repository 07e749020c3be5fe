/**
 * The limits and budgets of the config, compiled once per config (re)load into what one request
 * must pass: its key's rpm/tpm, its tenant's, its model's (`models[].rpm/tpm`, the catch-all `*`
 * for names it routes), and the monthly budgets of its key and tenant. Looked up per request by
 * (key, model entry) and remembered, so the hot path does one map lookup.
 */
import type { Caller } from '../auth/caller';
import type { GatewayConfig } from '../config/schema';
import { spendField, usdToNano } from './spend-fields';

export type LimitScope = 'key' | 'tenant' | 'model';

export interface LimitSpec {
  /** The token bucket's logical key. */
  readonly bucket: string;
  /** Per minute. */
  readonly limit: number;
  readonly unit: 'requests' | 'tokens';
  readonly scope: LimitScope;
  /** The key id, tenant id or model entry name. */
  readonly id: string;
  /** The `limit` label of switchyard_rate_limit_rejections_total. */
  readonly metricLimit: string;
}

export interface BudgetSpec {
  readonly scope: 'key' | 'tenant';
  readonly id: string;
  readonly limitUsd: number;
  readonly limitNanoUsd: number;
  /** The spend-hash field holding this scope's cost. */
  readonly costField: string;
}

export interface RequestLimits {
  /** Request buckets first, then token buckets. */
  readonly buckets: readonly LimitSpec[];
  readonly hasTokenBuckets: boolean;
  readonly budgets: readonly BudgetSpec[];
}

const NO_LIMITS: RequestLimits = Object.freeze({ buckets: [], hasTokenBuckets: false, budgets: [] });

interface Limits {
  readonly rpm?: number;
  readonly tpm?: number;
  readonly monthlyBudgetUsd?: number;
}

function bucketsOf(scope: LimitScope, id: string, limits: Limits | undefined): LimitSpec[] {
  const specs: LimitSpec[] = [];
  const short = scope[0];
  const prefix = scope === 'key' ? '' : `${scope}_`;
  if (limits?.rpm)
    specs.push({ bucket: `rl:${short}:${id}:rpm`, limit: limits.rpm, unit: 'requests', scope, id, metricLimit: `${prefix}rpm` });
  if (limits?.tpm)
    specs.push({ bucket: `rl:${short}:${id}:tpm`, limit: limits.tpm, unit: 'tokens', scope, id, metricLimit: `${prefix}tpm` });
  return specs;
}

function budgetOf(scope: 'key' | 'tenant', id: string, limits: Limits | undefined): BudgetSpec[] {
  const usd = limits?.monthlyBudgetUsd;
  if (usd === undefined) return [];
  return [{ scope, id, limitUsd: usd, limitNanoUsd: usdToNano(usd), costField: spendField(scope === 'key' ? 'k' : 't', id, 'c') }];
}

export class LimitBook {
  private readonly keys: ReadonlyMap<string, Limits>;
  private readonly tenants: ReadonlyMap<string, Limits>;
  private readonly models: ReadonlyMap<string, Limits>;
  private readonly remembered = new Map<string, RequestLimits>();
  /** Every configured budget (gauges, GET /v1/spend). */
  readonly budgets: readonly BudgetSpec[];
  /** Whether any tpm limit exists (the tokenizer is loaded only then). */
  readonly countsTokens: boolean;

  constructor(config: GatewayConfig) {
    this.keys = new Map(config.keys.map((k) => [k.id, k]));
    this.tenants = new Map((config.tenants ?? []).map((t) => [t.id, t]));
    this.models = new Map(config.models.filter((m) => m.rpm || m.tpm).map((m) => [m.name, m]));
    this.budgets = [
      ...config.keys.flatMap((k) => budgetOf('key', k.id, k)),
      ...(config.tenants ?? []).flatMap((t) => budgetOf('tenant', t.id, t)),
    ];
    this.countsTokens = [...this.keys.values(), ...this.tenants.values(), ...this.models.values()].some((l) => l.tpm !== undefined);
  }

  /** What a request by `caller` for the client model name `model` must pass. */
  for(caller: Caller, model: string): RequestLimits {
    const modelEntry = this.models.has(model) ? model : this.models.has('*') ? '*' : undefined;
    const id = modelEntry === undefined ? caller.keyId : `${caller.keyId}\u0000${modelEntry}`;
    let limits = this.remembered.get(id);
    if (!limits) {
      limits = this.compile(caller, modelEntry);
      this.remembered.set(id, limits);
    }
    return limits;
  }

  private compile(caller: Caller, modelEntry: string | undefined): RequestLimits {
    const key = this.keys.get(caller.keyId);
    const tenant = this.tenants.get(caller.tenant);
    const specs = [
      ...bucketsOf('key', caller.keyId, key),
      ...bucketsOf('tenant', caller.tenant, tenant),
      ...(modelEntry === undefined ? [] : bucketsOf('model', modelEntry, this.models.get(modelEntry))),
    ];
    const buckets = [...specs.filter((s) => s.unit === 'requests'), ...specs.filter((s) => s.unit === 'tokens')];
    const budgets = [...budgetOf('key', caller.keyId, key), ...budgetOf('tenant', caller.tenant, tenant)];
    if (buckets.length === 0 && budgets.length === 0) return NO_LIMITS;
    return { buckets, hasTokenBuckets: buckets.some((b) => b.unit === 'tokens'), budgets };
  }
}
