/**
 * The audit line of an API request that calls no model: the model and provider lists, spend, and
 * the refusal of a request no route serves (404, 405). It has the shape of a model call's line
 * (audit-log.ts), with no model, target, tokens or cost. Health, readiness and metrics probes write
 * none (see the gateway README). One object and one line per request, batched like every line.
 */
import type { Caller } from '../auth/caller';
import type { GatewayError } from '../errors/gateway-error';
import { type AuditLog, isoTime } from './audit-log';

export class AccessRecord {
  readonly receivedAt = Date.now();
  readonly startedAt = performance.now();
  caller: Caller | undefined;
  errorCode: string | null = null;

  constructor(
    readonly requestId: string,
    /** `models`, `providers`, an extra route's name (`spend`), or `none` when no route matched (404, 405). */
    readonly operation: string,
    readonly method: string,
    /** The route's path; null for a 404, whose path is the client's text and is not logged. */
    readonly path: string | null,
  ) {}

  fail(error: GatewayError): void {
    this.errorCode = error.code;
  }

  /** Writes the line, with the status the response was sent with. */
  finish(audit: AuditLog, status: number): void {
    const latencyMs = Math.round((performance.now() - this.startedAt) * 1000) / 1000;
    audit.write({
      time: isoTime(this.receivedAt),
      request_id: this.requestId,
      operation: this.operation,
      method: this.method,
      path: this.path,
      key_id: this.caller?.keyId ?? null,
      tenant: this.caller?.tenant ?? null,
      model: null,
      provider: null,
      target_model: null,
      data_class: null,
      reasons: [],
      status,
      error_code: this.errorCode,
      stream: false,
      cache_hit: false,
      input_tokens: 0,
      output_tokens: 0,
      usage_estimated: false,
      cost_usd: 0,
      latency_ms: latencyMs,
      ttft_ms: null,
      overhead_ms: latencyMs,
      attempts: 0,
    });
  }
}
