/**
 * Runs one request against its planned targets: each target gets up to `attemptsPerTarget`
 * attempts (retryable errors only, waiting Retry-After or a jittered backoff), open circuits are
 * skipped, and failures fall back to the next target. Requests the upstream judged invalid are
 * never retried or rerouted. The plan is the whole world: for a sensitive request it holds only
 * private targets, so no fallback can leave them.
 */
import type { TargetRuntime } from '../config/gateway-runtime';
import type { RoutingConfig } from '../config/routing-schema';
import { type ErrorCode } from '../errors/catalog';
import { GatewayError } from '../errors/gateway-error';
import type { CancelSignal } from '../http/cancellation';
import { UpstreamCancelledError, UpstreamTransportError } from '../http/upstream-client';
import type { Logger } from '../log/logger';
import type { MetricsRegistry } from '../metrics/registry';
import { type UpstreamError, type UpstreamErrorKind, UpstreamStreamError } from '../providers/contract';
import { retryDelayMs, sleep } from './backoff';
import type { HealthBoard } from './target-health';

/** A non-2xx upstream answer, normalised by the adapter's parseError. */
export class UpstreamHttpError extends Error {
  constructor(readonly error: UpstreamError) {
    super(error.message);
    this.name = 'UpstreamHttpError';
  }
}

export interface FallbackEnvironment {
  readonly model: string;
  readonly sensitive: boolean;
  readonly reasons: readonly string[];
  readonly routing: RoutingConfig;
  readonly health: HealthBoard;
  readonly metrics: MetricsRegistry;
  readonly log: Logger;
  readonly signal: CancelSignal;
}

export interface Served<T> {
  readonly value: T;
  readonly target: TargetRuntime;
}

/** Kinds that say nothing bad about the target: the request itself was refused. */
const CLIENT_FAULT: ReadonlySet<UpstreamErrorKind> = new Set(['bad_request', 'content_filter']);

const FINAL_CODE: Record<UpstreamErrorKind, ErrorCode> = {
  rate_limited: 'upstream_rate_limited',
  overloaded: 'upstream_overloaded',
  server_error: 'upstream_server_error',
  timeout: 'upstream_timeout',
  connection: 'upstream_connection_error',
  bad_request: 'upstream_bad_request',
  auth: 'upstream_auth_failed',
  content_filter: 'upstream_content_filter',
  unknown: 'upstream_invalid_response',
};

function upstreamErrorOf(error: unknown, log: Logger, target: TargetRuntime): UpstreamError {
  if (error instanceof UpstreamHttpError || error instanceof UpstreamTransportError || error instanceof UpstreamStreamError)
    return error.error;
  log.error('adapter failed on an upstream response', { target: target.id, error: error instanceof Error ? error.message : String(error) });
  return { kind: 'unknown', status: 502, retryable: false, message: 'the provider sent a response the gateway could not read' };
}

function finalError(last: UpstreamError | undefined, env: FallbackEnvironment, cooldownMs: number): GatewayError {
  if (!last) {
    const retryAfter = Math.max(1, Math.ceil(cooldownMs / 1000));
    const message = env.sensitive
      ? `The request was classified sensitive (${env.reasons.join(', ')}); every private target of model "${env.model}" is unavailable (circuit open), and it was not sent anywhere else.`
      : `Every target of model "${env.model}" is unavailable (circuit open).`;
    return new GatewayError(env.sensitive ? 'compliance_private_unavailable' : 'no_target_available', message, null, {
      'retry-after': String(retryAfter),
    });
  }
  const headers = last.retryAfterMs !== undefined ? { 'retry-after': String(Math.max(1, Math.ceil(last.retryAfterMs / 1000))) } : undefined;
  if (CLIENT_FAULT.has(last.kind))
    return new GatewayError(FINAL_CODE[last.kind], `The provider refused the request: ${last.message}`, null, headers);
  if (env.sensitive)
    return new GatewayError(
      'compliance_private_unavailable',
      `The request was classified sensitive (${env.reasons.join(', ')}); the private targets of model "${env.model}" failed (${last.message}), and it was not sent anywhere else.`,
      null,
      headers,
    );
  return new GatewayError(FINAL_CODE[last.kind], `Model "${env.model}" is unavailable: ${last.message}.`, null, headers);
}

export async function sendWithFallback<T>(
  plan: readonly TargetRuntime[],
  attempt: (target: TargetRuntime) => Promise<T>,
  env: FallbackEnvironment,
): Promise<Served<T>> {
  const { routing, health: board, metrics } = env;
  const attempts = metrics.counter('upstreamAttempts');
  let last: UpstreamError | undefined;
  let failedTarget: TargetRuntime | undefined;
  let cooldownMs = Infinity;

  for (const target of plan) {
    const providerName = target.provider.name;
    const health = board.get(providerName, target.upstreamModel);
    if (!health.breaker.tryAcquire(Date.now())) {
      cooldownMs = Math.min(cooldownMs, health.breaker.remainingCooldownMs(Date.now()));
      continue;
    }
    if (failedTarget && last)
      metrics
        .counter('fallbacks')
        .labels(env.model, failedTarget.provider.name, failedTarget.upstreamModel, providerName, target.upstreamModel, last.kind)
        .inc();

    for (let n = 1; ; n++) {
      const started = performance.now();
      try {
        const value = await attempt(target);
        health.breaker.onSuccess();
        health.recordLatency(performance.now() - started, board.alpha);
        attempts.labels(providerName, target.upstreamModel, 'success').inc();
        return { value, target };
      } catch (error) {
        if (error instanceof UpstreamCancelledError || env.signal.aborted) {
          health.breaker.release();
          throw error instanceof UpstreamCancelledError ? error : new UpstreamCancelledError();
        }
        const failure = upstreamErrorOf(error, env.log, target);
        attempts.labels(providerName, target.upstreamModel, failure.kind).inc();
        if (CLIENT_FAULT.has(failure.kind)) {
          health.breaker.onSuccess();
          throw finalError(failure, env, 0);
        }
        health.breaker.onFailure(Date.now());
        last = failure;
        failedTarget = target;
        if (n >= routing.attemptsPerTarget || !failure.retryable) break;
        const delay = retryDelayMs(n, routing, failure.retryAfterMs);
        if (delay === undefined || !health.breaker.tryAcquire(Date.now() + delay)) break;
        metrics.counter('retries').labels(providerName, target.upstreamModel, failure.kind).inc();
        try {
          await sleep(delay, env.signal);
        } catch {
          health.breaker.release();
          throw new UpstreamCancelledError();
        }
      }
    }
  }
  throw finalError(last, env, cooldownMs === Infinity ? 0 : cooldownMs);
}
