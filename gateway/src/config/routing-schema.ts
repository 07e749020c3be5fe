/** The `timeouts` and `routing` sections of the gateway config. Imports only zod (see schema.ts). */
import * as z from 'zod';

export const timeoutsSchema = z.strictObject({
  /** TCP (and TLS) connect. @default 5000 */
  connectMs: z.number().int().positive().default(5_000),
  /** From request sent to response headers (the first byte). @default 60000 */
  firstByteMs: z.number().int().positive().default(60_000),
  /** Longest silence between two body chunks, streams included. @default 30000 */
  idleMs: z.number().int().positive().default(30_000),
});
export type TimeoutsConfig = z.infer<typeof timeoutsSchema>;

export const routingSchema = z.strictObject({
  /** Attempts on one target before falling back to the next (1 = no retry). @default 2 */
  attemptsPerTarget: z.number().int().min(1).max(10).default(2),
  /** First backoff; doubles per retry, with full jitter. @default 200 */
  backoffMs: z.number().int().nonnegative().default(200),
  /** Cap on one backoff. @default 5000 */
  maxBackoffMs: z.number().int().nonnegative().default(5_000),
  /** A Retry-After longer than this skips to the next target instead of waiting. @default 10000 */
  maxRetryAfterMs: z.number().int().nonnegative().default(10_000),
  circuitBreaker: z
    .strictObject({
      /** Consecutive failures that open a target's circuit. @default 5 */
      failureThreshold: z.number().int().min(1).default(5),
      /** How long an open circuit refuses traffic before one probe is let through. @default 30000 */
      cooldownMs: z.number().int().positive().default(30_000),
    })
    .prefault({}),
  /** Weight of the newest sample in the `lowest-latency` moving average (0-1]. @default 0.3 */
  latencyEwmaAlpha: z.number().gt(0).max(1).default(0.3),
});
export type RoutingConfig = z.infer<typeof routingSchema>;
