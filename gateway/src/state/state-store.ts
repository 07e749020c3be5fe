/**
 * The small interface the state layer keeps its shared state behind: token buckets (rate limits),
 * spend counters per billing period (budgets, GET /v1/spend) and the response cache. Two
 * implementations: Redis (redis-state-store.ts; every replica shares it, each call is one atomic
 * round trip) and memory (memory-state-store.ts; one process only).
 *
 * Keys are logical (`rl:k:team-a:rpm`, `spend:2025-06`, `cache:a:<sha256>`); the Redis store adds
 * the configured prefix. Every method may reject (Redis down, command timeout): callers apply the
 * configured fail mode, the store never does.
 */

/** One token bucket to check and charge: `limit` units per minute, refilled continuously. */
export interface BucketCharge {
  readonly key: string;
  /** Capacity, and units added back per minute. */
  readonly limit: number;
  /** Units this request takes: 1 for a request bucket, the reserved tokens for a token bucket. */
  readonly cost: number;
}

/** A spend counter that must stay below its limit (both in nano-USD: integers, no float drift). */
export interface BudgetCheck {
  readonly field: string;
  readonly limitNanoUsd: number;
}

export interface AdmitCall {
  /** Checked and charged all together, or not at all. */
  readonly buckets: readonly BucketCharge[];
  readonly budgets: readonly BudgetCheck[];
  /** The spend hash of the current period (`spend:<YYYY-MM>`). */
  readonly spendKey: string;
}

export type AdmitOutcome =
  | 'admitted'
  /** A bucket holds less than the cost; `retryAfterMs` says when it will hold enough. */
  | 'rate_limited'
  /** A budget's counter reached its limit. */
  | 'budget_exceeded'
  /** The cost is larger than a bucket's whole capacity: no wait will help. */
  | 'too_large';

export interface BucketLevel {
  /** Whole units left (after this request's charge when admitted). */
  readonly remaining: number;
  /** Milliseconds until the bucket is full again. */
  readonly resetMs: number;
}

export interface AdmitReply {
  readonly outcome: AdmitOutcome;
  /** Index of the bucket (rate_limited, too_large) or budget (budget_exceeded) that refused. */
  readonly failedIndex: number;
  readonly retryAfterMs: number;
  /** One per bucket, in call order. */
  readonly levels: readonly BucketLevel[];
  /** Spend so far per budget, in call order (nano-USD). */
  readonly spentNanoUsd: readonly number[];
}

/** A later correction of a token bucket: positive charges more, negative gives units back. */
export interface BucketAdjustment {
  readonly key: string;
  readonly limit: number;
  readonly delta: number;
}

/** One request's spend, added to each of its scopes' counters (spend-fields.ts). */
export interface SpendEntry {
  /** `k:<key id>`, `t:<tenant>`, `m:<model>`. */
  readonly scopes: readonly string[];
  readonly requests: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Integer nano-USD. */
  readonly costNanoUsd: number;
}

export interface SettleCall {
  readonly adjustments: readonly BucketAdjustment[];
  readonly spendKey: string;
  readonly spend?: SpendEntry;
  /** Spend-hash fields whose totals to read back after adding the spend (budget gauges). */
  readonly readBack: readonly string[];
}

export interface StateStore {
  readonly kind: 'redis' | 'memory';
  /** Answered synchronously by a store that can (memory): the guard then decides without a promise. */
  admit(call: AdmitCall): AdmitReply | Promise<AdmitReply>;
  /** Applies the adjustments and adds the spend atomically; returns the `readBack` totals. */
  settle(call: SettleCall): Promise<number[]>;
  /** Every field of a spend hash (empty when the period has none). */
  readSpend(spendKey: string): Promise<Record<string, number>>;
  cacheGet(key: string): Promise<string | undefined>;
  cacheSet(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Subscribes to the backend becoming usable again after an outage (Redis reconnected). */
  onRecovered(listener: () => void): void;
  close(): Promise<void>;
}

/**
 * Thrown when the store is not connected: the call was not sent, so it had no effect and may be
 * retried. Any other failure (a timeout, a connection lost mid-call) leaves it unknown whether the
 * call ran.
 */
export class StoreNotConnectedError extends Error {
  constructor(state: string) {
    super(`the state store is not connected (${state}); the call was not sent`);
    this.name = 'StoreNotConnectedError';
  }
}

/** How long a period's spend hash is kept: a year of history for GET /v1/spend?period=. */
export const SPEND_RETENTION_SECONDS = 400 * 24 * 3600;
