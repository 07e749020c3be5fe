/** How long to wait before retrying the same target. */
import type { RoutingConfig } from '../config/routing-schema';
import type { CancelSignal } from '../http/cancellation';

/**
 * The delay before retry number `retry` (1-based): the provider's Retry-After when it sent one
 * (undefined when that is longer than `maxRetryAfterMs`: better to try the next target), else
 * exponential backoff with full jitter, capped at `maxBackoffMs`.
 */
export function retryDelayMs(
  retry: number,
  routing: RoutingConfig,
  retryAfterMs: number | undefined,
  random: () => number = Math.random,
): number | undefined {
  if (retryAfterMs !== undefined) return retryAfterMs <= routing.maxRetryAfterMs ? retryAfterMs : undefined;
  const ceiling = Math.min(routing.maxBackoffMs, routing.backoffMs * 2 ** (retry - 1));
  return Math.round(random() * ceiling);
}

/** Resolves after `ms`, or rejects as soon as `signal` aborts. */
export function sleep(ms: number, signal: CancelSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
