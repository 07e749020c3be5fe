/**
 * The state layer as pipeline stages (`startGateway` uses it by default): the guard (rate limits,
 * budgets), the response cache and GET /v1/spend, over Redis when `state.redis` is set, else over
 * this process's memory (with a warning when anything stateful is configured: each replica would
 * enforce its own limits). Everything that can be done once is done here, at startup: the Redis
 * connection and its scripts, the tokenizer (only when a `tpm` limit exists), the compiled limits.
 *
 * A reload applies new limits, budgets, tenants and cache settings at once; a changed
 * `state.redis` needs a restart (logged).
 */
import { GatewayConfigError } from '../config/config-error';
import type { GatewayConfig } from '../config/schema';
import type { Logger } from '../log/logger';
import type { PipelineStages, StageDependencies, StagesFactory } from '../pipeline/stages';
import { periodOf, spendKey } from './billing-period';
import { MemoryStateStore } from './memory-state-store';
import { spendRoute } from './spend-route';
import { StateFaults } from './state-faults';
import { StateGuard } from './state-guard';
import { StateResponseCache } from './state-response-cache';
import type { StateStore } from './state-store';
import { loadTokenCounter } from './token-counter';

function isStateful(config: GatewayConfig): boolean {
  const limited = (l: { rpm?: number; tpm?: number; monthlyBudgetUsd?: number }) =>
    l.rpm !== undefined || l.tpm !== undefined || l.monthlyBudgetUsd !== undefined;
  return config.cache !== undefined || config.keys.some(limited) || (config.tenants ?? []).some(limited) || config.models.some(limited);
}

async function openStore(config: GatewayConfig, deps: StageDependencies): Promise<StateStore> {
  const redis = config.state?.redis;
  if (!redis) {
    if (isStateful(config))
      deps.log.warn(
        'state.redis is not set: rate limits, budgets, spend and the cache live in this process only, so each replica enforces its own limits (N replicas admit N times the limits); set state.redis when running more than one replica',
      );
    return new MemoryStateStore();
  }
  let password: string | undefined;
  if (redis.passwordEnv) {
    password = (deps.env ?? process.env)[redis.passwordEnv];
    if (!password)
      throw new GatewayConfigError(deps.source ?? '<config>', [
        {
          path: 'state.redis.passwordEnv',
          got: `${redis.passwordEnv} (not set)`,
          expected: 'the name of a set, non-empty environment variable',
        },
      ]);
  }
  // Loaded only here: gateways with in-memory state never pay for ioredis at startup.
  const { RedisStateStore } = await import('./redis-state-store');
  return RedisStateStore.connect({
    url: redis.url,
    password,
    keyPrefix: redis.keyPrefix,
    commandTimeoutMs: redis.commandTimeoutMs,
    log: deps.log,
  });
}

function loadCounterFor(guard: StateGuard, log: Logger): Promise<void> {
  const started = performance.now();
  return loadTokenCounter().then(
    (counter) => {
      guard.counter = counter;
      log.info('tokenizer loaded for tpm reservations', { encoding: 'o200k_base', ms: Math.round(performance.now() - started) });
    },
    (error: unknown) => log.error('tokenizer failed to load; tpm reservations use a byte estimate', { error: String(error) }),
  );
}

export const createStateStages: StagesFactory = async (config, deps): Promise<PipelineStages> => {
  const { metrics, log } = deps;
  const store = await openStore(config, deps);
  const faults = new StateFaults(metrics, log);
  const guard = new StateGuard(store, config, metrics, faults);
  const cache = new StateResponseCache(store, config, metrics, faults);
  // Not awaited: the server listens at once and reserves by the byte estimate until it is loaded.
  const warming = guard.limits.countsTokens ? loadCounterFor(guard, log) : undefined;
  const budgets = guard.limits.budgets;
  if (budgets.length > 0) {
    await store.readSpend(spendKey(periodOf(Date.now()))).then(
      (hash) =>
        guard.setBudgetGauges(
          budgets,
          budgets.map((b) => hash[b.costField] ?? 0),
        ),
      (error: unknown) => faults.report('spend', 'error', error),
    );
  }
  let redisSettings = JSON.stringify(config.state?.redis ?? null);

  return {
    guard,
    cache,
    warming,
    routes: [spendRoute(store, guard, faults)],
    reconfigure(next) {
      guard.reconfigure(next);
      cache.reconfigure(next);
      if (guard.limits.countsTokens && !guard.counter) void loadCounterFor(guard, log);
      const nextRedis = JSON.stringify(next.state?.redis ?? null);
      if (nextRedis !== redisSettings) log.warn('state.redis changed: the running gateway keeps its current state backend until restarted');
      redisSettings = nextRedis;
    },
    close: () => store.close(),
  };
};
