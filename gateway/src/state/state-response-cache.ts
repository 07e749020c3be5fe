/**
 * The ResponseCache of the state layer: exact-match answers to chat completions, per tenant, for
 * `cache.ttlSeconds`. Streamed answers are stored as the completion the pipeline assembled from
 * the normalised chunks, and replayed as a well-formed stream (or as JSON: one entry serves both).
 * Not cached: requests that opt out (cache-key.ts), sensitive requests unless
 * `cache.cacheSensitive`, answers over 2 MiB. Any store failure is a bypass (miss, no write),
 * counted and logged; the cache never fails a request.
 */
import type { GatewayConfig } from '../config/schema';
import type { MetricsRegistry } from '../metrics/registry';
import type { CachedCompletion, ResponseCache, StageContext } from '../pipeline/stages';
import { cacheDirective, cacheKey, RouteFingerprints } from './cache-key';
import type { StateFaults } from './state-faults';
import type { StateStore } from './state-store';

/** Longest serialized answer stored, in UTF-16 code units. */
const MAX_ENTRY_CHARS = 2 * 1024 * 1024;

type LookupResult = 'hit' | 'miss' | 'bypass' | 'error';

function isCachedCompletion(value: unknown): value is CachedCompletion {
  const entry = value as Partial<CachedCompletion> | null;
  return (
    typeof entry === 'object' &&
    entry !== null &&
    Array.isArray(entry.completion?.choices) &&
    typeof entry.usage?.inputTokens === 'number' &&
    typeof entry.usage.outputTokens === 'number' &&
    typeof entry.provider === 'string' &&
    typeof entry.targetModel === 'string'
  );
}

export class StateResponseCache implements ResponseCache {
  private settings: GatewayConfig['cache'];
  private fingerprints: RouteFingerprints;

  constructor(
    private readonly store: StateStore,
    config: GatewayConfig,
    private readonly metrics: MetricsRegistry,
    private readonly faults: StateFaults,
  ) {
    this.settings = config.cache;
    this.fingerprints = new RouteFingerprints(config);
  }

  reconfigure(config: GatewayConfig): void {
    this.settings = config.cache;
    this.fingerprints = new RouteFingerprints(config);
  }

  keyFor(ctx: StageContext): string | undefined {
    const settings = this.settings;
    if (!settings || ctx.operation !== 'chat') return undefined;
    const sensitive = ctx.classification.dataClass === 'sensitive';
    if (cacheDirective(ctx.headers) === 'no-store' || (sensitive && !settings.cacheSensitive)) {
      this.count(ctx, 'bypass');
      return undefined;
    }
    const fingerprint = this.fingerprints.for(ctx.model);
    if (fingerprint === undefined) return undefined;
    return cacheKey(ctx.caller.tenant, fingerprint, ctx.classification.dataClass, ctx.body as Parameters<typeof cacheKey>[3]);
  }

  async get(key: string, ctx: StageContext): Promise<CachedCompletion | undefined> {
    if (cacheDirective(ctx.headers) === 'refresh') {
      this.count(ctx, 'bypass');
      return undefined;
    }
    let text: string | undefined;
    try {
      text = await this.store.cacheGet(key);
    } catch (error) {
      this.faults.report('cache', 'bypass', error);
      this.count(ctx, 'error');
      return undefined;
    }
    const entry = text === undefined ? undefined : parseEntry(text);
    this.count(ctx, entry ? 'hit' : 'miss');
    return entry;
  }

  async put(key: string, value: CachedCompletion): Promise<void> {
    const settings = this.settings;
    if (!settings) return;
    const text = JSON.stringify(value);
    if (text.length > MAX_ENTRY_CHARS) return;
    try {
      await this.store.cacheSet(key, text, settings.ttlSeconds);
    } catch (error) {
      this.faults.report('cache', 'bypass', error);
    }
  }

  private count(ctx: StageContext, result: LookupResult): void {
    this.metrics.counter('cacheLookups').labels(ctx.model, result).inc();
  }
}

function parseEntry(text: string): CachedCompletion | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return isCachedCompletion(value) ? value : undefined;
  } catch {
    return undefined;
  }
}
