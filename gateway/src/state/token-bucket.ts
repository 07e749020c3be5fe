/**
 * The rate-limit algorithm, shared by both stores: a token bucket per limit. A bucket holds up to
 * `limit` units and refills continuously at `limit` per minute, so a client may burst up to the
 * limit and then gets `limit` per minute, with no window edge at which twice the limit passes.
 * A bucket may go below zero when a request used more tokens than it reserved; it then refuses
 * until the debt is paid back by the refill.
 *
 * The memory store runs these functions; redis-scripts.ts runs the same steps in Lua, on Redis's
 * clock, so every replica sees one bucket. Keep the two in step (state-store.test.ts runs one
 * table of cases against both).
 */
import type { BucketLevel } from './state-store';

export interface BucketState {
  /** Units in the bucket at `at`. */
  level: number;
  /** Milliseconds since the epoch. */
  at: number;
}

export const MS_PER_MINUTE = 60_000;

/** The level at `now`: the stored level plus the refill since, capped at the limit (full when unknown). */
export function levelAt(state: BucketState | undefined, limit: number, now: number): number {
  if (!state) return limit;
  return Math.min(limit, state.level + (Math.max(0, now - state.at) * limit) / MS_PER_MINUTE);
}

/** Milliseconds until a bucket at `level` holds `units`. */
export function msUntil(level: number, units: number, limit: number): number {
  return level >= units ? 0 : Math.ceil(((units - level) * MS_PER_MINUTE) / limit);
}

/** What the headers report for a bucket at `level`. */
export function describeLevel(level: number, limit: number): BucketLevel {
  return { remaining: Math.max(0, Math.floor(level)), resetMs: msUntil(level, limit, limit) };
}

/** How long to keep an idle bucket: until it is full again (then it equals a missing one), plus a second. */
export function idleTtlMs(level: number, limit: number): number {
  return msUntil(level, limit, limit) + 1000;
}
