/**
 * State in this process's memory: for one local gateway. Limits, spend and the cache are per
 * process, so with N replicas a key gets N times its limits; the stages factory warns about it.
 * Same semantics as the Redis store (token-bucket.ts), synchronous underneath.
 */
import { parseSpendField, SPEND_MEASURES } from './spend-fields';
import type { AdmitCall, AdmitReply, BucketLevel, SettleCall, StateStore } from './state-store';
import { type BucketState, describeLevel, idleTtlMs, levelAt, msUntil } from './token-bucket';

interface CacheEntry {
  readonly value: string;
  readonly expiresAt: number;
}

/** Spend hashes kept (a year of months, like the Redis retention). */
const SPEND_PERIODS_KEPT = 13;
/** Cached answers held at most, in UTF-16 code units (~2 bytes each); the oldest go first. */
const CACHE_MAX_CHARS = 32 * 1024 * 1024;

export class MemoryStateStore implements StateStore {
  readonly kind = 'memory';
  private readonly buckets = new Map<string, BucketState & { expiresAt: number }>();
  /**
   * Spend per period, then per scope (`k:team-a`): counters in SPEND_MEASURES order (requests,
   * input and output tokens, nano-USD), so settling builds no field names; fields are spelt only
   * when read.
   */
  private readonly spend = new Map<string, Map<string, number[]>>();
  /** Read-back fields (budget cost fields, a handful) parsed once; null for other shapes. */
  private readonly parsedFields = new Map<string, { scope: string; measure: number } | null>();
  /** Insertion-ordered: re-inserted on hit, so the first entry is the least recently used. */
  private readonly cache = new Map<string, CacheEntry>();
  private cacheChars = 0;

  constructor(private readonly now: () => number = Date.now) {}

  admit(call: AdmitCall): AdmitReply {
    // Plain loops: this runs on every request (closures and array destructuring showed in profiles).
    const now = this.now();
    const period = this.spend.get(call.spendKey);
    const { budgets, buckets } = call;
    let outcome: AdmitReply['outcome'] = 'admitted';
    let failedIndex = -1;
    const spentNanoUsd = new Array<number>(budgets.length);
    for (let j = 0; j < budgets.length; j++) {
      spentNanoUsd[j] = this.read(period, budgets[j].field);
      if (outcome === 'admitted' && spentNanoUsd[j] >= budgets[j].limitNanoUsd) {
        outcome = 'budget_exceeded';
        failedIndex = j;
      }
    }
    let retryAfterMs = 0;
    const levels = new Array<number>(buckets.length);
    for (let i = 0; i < buckets.length; i++) {
      const b = buckets[i];
      levels[i] = levelAt(this.bucket(b.key, now), b.limit, now);
      if (b.cost > b.limit) {
        if (outcome === 'admitted') {
          outcome = 'too_large';
          failedIndex = i;
        }
      } else if (levels[i] < b.cost) {
        if (outcome === 'admitted') {
          outcome = 'rate_limited';
          failedIndex = i;
        }
        retryAfterMs = Math.max(retryAfterMs, msUntil(levels[i], b.cost, b.limit));
      }
    }
    if (outcome === 'admitted')
      for (let i = 0; i < buckets.length; i++) {
        const b = buckets[i];
        levels[i] -= b.cost;
        this.buckets.set(b.key, { level: levels[i], at: now, expiresAt: now + idleTtlMs(levels[i], b.limit) });
      }
    const described = new Array<BucketLevel>(buckets.length);
    for (let i = 0; i < buckets.length; i++) described[i] = describeLevel(levels[i], buckets[i].limit);
    return { outcome, failedIndex, retryAfterMs, levels: described, spentNanoUsd };
  }

  async settle(call: SettleCall): Promise<number[]> {
    const now = this.now();
    for (const { key, limit, delta } of call.adjustments) {
      const level = Math.min(limit, levelAt(this.bucket(key, now), limit, now) - delta);
      this.buckets.set(key, { level, at: now, expiresAt: now + idleTtlMs(level, limit) });
    }
    const period = this.spendPeriod(call.spendKey);
    const entry = call.spend;
    if (entry)
      for (const scope of entry.scopes) {
        let counters = period.get(scope);
        if (!counters) period.set(scope, (counters = [0, 0, 0, 0]));
        counters[0] += entry.requests;
        counters[1] += entry.inputTokens;
        counters[2] += entry.outputTokens;
        counters[3] += entry.costNanoUsd;
      }
    return call.readBack.map((field) => this.read(period, field));
  }

  async readSpend(spendKey: string): Promise<Record<string, number>> {
    const fields: Record<string, number> = {};
    for (const [scope, counters] of this.spend.get(spendKey) ?? [])
      counters.forEach((amount, i) => {
        // Like the Redis hash, where zero amounts are never added: no field for a zero counter.
        if (amount > 0) fields[`${scope}:${SPEND_MEASURES[i]}`] = amount;
      });
    return fields;
  }

  async cacheGet(key: string): Promise<string | undefined> {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    this.cache.delete(key);
    if (entry.expiresAt <= this.now()) {
      this.cacheChars -= entry.value.length;
      return undefined;
    }
    this.cache.set(key, entry);
    return entry.value;
  }

  async cacheSet(key: string, value: string, ttlSeconds: number): Promise<void> {
    const old = this.cache.get(key);
    if (old) {
      this.cache.delete(key);
      this.cacheChars -= old.value.length;
    }
    this.cache.set(key, { value, expiresAt: this.now() + ttlSeconds * 1000 });
    this.cacheChars += value.length;
    for (const [oldest, entry] of this.cache) {
      if (this.cacheChars <= CACHE_MAX_CHARS) break;
      this.cache.delete(oldest);
      this.cacheChars -= entry.value.length;
    }
  }

  onRecovered(): void {
    // Memory never fails.
  }

  async close(): Promise<void> {
    this.buckets.clear();
    this.spend.clear();
    this.cache.clear();
    this.cacheChars = 0;
  }

  /** The bucket's state, forgetting it once idle long enough to be full again. */
  private bucket(key: string, now: number): BucketState | undefined {
    const state = this.buckets.get(key);
    if (state && state.expiresAt <= now) {
      this.buckets.delete(key);
      return undefined;
    }
    return state;
  }

  private spendPeriod(spendKey: string): Map<string, number[]> {
    let period = this.spend.get(spendKey);
    if (!period) {
      period = new Map();
      this.spend.set(spendKey, period);
      if (this.spend.size > SPEND_PERIODS_KEPT) this.spend.delete(this.spend.keys().next().value!);
    }
    return period;
  }

  /** One spend-hash field's total in a period (0 when never added to). */
  private read(period: Map<string, number[]> | undefined, field: string): number {
    let parsed = this.parsedFields.get(field);
    if (parsed === undefined) {
      parsed = parseSpendField(field) ?? null;
      if (this.parsedFields.size >= 10_000) this.parsedFields.clear();
      this.parsedFields.set(field, parsed);
    }
    return parsed ? (period?.get(parsed.scope)?.[parsed.measure] ?? 0) : 0;
  }
}
