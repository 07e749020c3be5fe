/**
 * OpenAI's rate-limit response headers, for the limit that binds a request:
 *   x-ratelimit-limit-requests / -tokens       the limit per minute
 *   x-ratelimit-remaining-requests / -tokens   what is left now (after this request's reservation)
 *   x-ratelimit-reset-requests / -tokens       until the bucket is full again, as OpenAI writes
 *                                              durations: "20ms", "1.5s", "6m0s"
 * When several scopes limit a request (key, tenant, model), the one with the least remaining is
 * reported. A refusal adds `retry-after` (whole seconds, rounded up) and `retry-after-ms`, which
 * the official SDKs read first.
 */
import type { LimitSpec } from './limit-book';
import type { BucketLevel } from './state-store';

/** A duration the way OpenAI (Go's time.Duration) prints it. */
export function formatDuration(duration: number): string {
  const ms = Math.max(0, Math.ceil(duration));
  if (ms < 1000) return `${ms}ms`;
  const hours = Math.floor(ms / 3_600_000);
  const minutes = Math.floor((ms % 3_600_000) / 60_000);
  const seconds = (ms % 60_000) / 1000;
  const text = `${Number(seconds.toFixed(3))}s`;
  if (hours > 0) return `${hours}h${minutes}m${text}`;
  if (minutes > 0) return `${minutes}m${text}`;
  return text;
}

/** Header names per unit, spelt once (names built per request made each header object a slow dictionary). */
const HEADER_NAMES = [
  {
    unit: 'requests',
    limit: 'x-ratelimit-limit-requests',
    remaining: 'x-ratelimit-remaining-requests',
    reset: 'x-ratelimit-reset-requests',
  },
  { unit: 'tokens', limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
] as const;

export function rateLimitHeaders(specs: readonly LimitSpec[], levels: readonly BucketLevel[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const names of HEADER_NAMES) {
    let tightest = -1;
    for (let i = 0; i < specs.length; i++)
      if (specs[i].unit === names.unit && (tightest < 0 || levels[i].remaining < levels[tightest].remaining)) tightest = i;
    if (tightest < 0) continue;
    headers[names.limit] = String(specs[tightest].limit);
    headers[names.remaining] = String(levels[tightest].remaining);
    headers[names.reset] = formatDuration(levels[tightest].resetMs);
  }
  return headers;
}

export function retryAfterHeaders(retryAfterMs: number): Record<string, string> {
  return {
    'retry-after': String(Math.max(1, Math.ceil(retryAfterMs / 1000))),
    'retry-after-ms': String(Math.max(1, Math.ceil(retryAfterMs))),
  };
}
