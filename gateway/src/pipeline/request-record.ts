/**
 * Everything known about one request as it goes through the pipeline, and its closing: the guard
 * settles, metrics are counted and one audit line is written, exactly once, whatever happened.
 */
import { isoTime } from '../audit/audit-log';
import type { Caller } from '../auth/caller';
import type { Classification } from '../compliance/classification';
import type { GatewayError } from '../errors/gateway-error';
import type { MetricErrorType } from '../metrics/catalog';
import type { TokenUsage } from '../providers/contract';
import type { GatewayContext } from './gateway-context';
import type { GuardAdmitted, Operation, StageContext } from './stages';

/** Status recorded when the client went away before the response ended (nginx's convention). */
export const CLIENT_CLOSED_STATUS = 499;

export class RequestRecord {
  readonly receivedAt = Date.now();
  readonly startedAt = performance.now();
  caller: Caller | undefined;
  model = '';
  stream = false;
  classification: Classification | undefined;
  provider: string | undefined;
  targetModel: string | undefined;
  status = 200;
  errorCode: string | null = null;
  errorType: MetricErrorType = 'none';
  usage: TokenUsage | undefined;
  usageEstimated = false;
  costUsd = 0;
  cacheHit = false;
  attempts = 0;
  /** Time spent waiting on upstreams and on a slow client: not gateway overhead. */
  waitMs = 0;
  firstChunkAt: number | undefined;
  /** Set once the guard admitted the request; settle() is then owed. */
  admission: { ctx: StageContext; decision: GuardAdmitted } | undefined;
  /** Compliance outcome to count: routed (reached a target) or refused. */
  complianceOutcome: 'routed' | 'refused' | undefined;
  private finished = false;

  constructor(
    readonly requestId: string,
    readonly operation: Operation,
    /** The route, for the audit line: `POST`, `/v1/chat/completions`. */
    readonly method: string,
    readonly path: string,
  ) {}

  fail(error: GatewayError): void {
    this.status = error.status;
    this.errorCode = error.code;
    this.errorType = error.definition.metricErrorType;
    if (error.code.startsWith('compliance_')) this.complianceOutcome = 'refused';
  }

  cancelled(): void {
    this.status = CLIENT_CLOSED_STATUS;
    this.errorCode = 'client_cancelled';
    this.errorType = 'client_cancelled';
  }

  /** Milliseconds the gateway itself spent so far. */
  overheadMs(now = performance.now()): number {
    return Math.max(0, now - this.startedAt - this.waitMs);
  }

  /** `now`: when the answer was complete (the bookkeeping may run later in the same turn). */
  finish(gw: GatewayContext, now = performance.now()): void {
    if (this.finished) return;
    this.finished = true;
    const latencyMs = now - this.startedAt;
    const overheadMs = this.overheadMs(now);
    const m = gw.metrics;
    const provider = this.provider ?? 'none';
    const targetModel = this.targetModel ?? 'none';
    const model = this.model || 'none';
    const op = this.operation;
    m.counter('requests').labels(op, model, provider, targetModel, String(this.status), this.errorType).inc();
    m.histogram('overhead')
      .labels(op)
      .observe(overheadMs / 1000);
    if (this.provider) {
      m.histogram('operationDuration')
        .labels(op, provider, model, targetModel, this.errorType)
        .observe(latencyMs / 1000);
      if (this.firstChunkAt !== undefined)
        m.histogram('timeToFirstToken')
          .labels(op, provider, model, targetModel)
          .observe((this.firstChunkAt - this.startedAt) / 1000);
    }
    const usage = this.usage;
    const keyId = this.caller?.keyId ?? 'none';
    const tenant = this.caller?.tenant ?? 'none';
    if (usage && this.provider && !this.cacheHit) {
      m.histogram('tokenUsage').labels(op, provider, model, targetModel, 'input').observe(usage.inputTokens);
      m.histogram('tokenUsage').labels(op, provider, model, targetModel, 'output').observe(usage.outputTokens);
      m.counter('tokens').labels(keyId, tenant, model, 'input').inc(usage.inputTokens);
      m.counter('tokens').labels(keyId, tenant, model, 'output').inc(usage.outputTokens);
      if (this.costUsd > 0) m.counter('cost').labels(keyId, tenant, model).inc(this.costUsd);
    }
    const classification = this.classification;
    if (classification && this.complianceOutcome) {
      m.counter('complianceDecisions').labels(op, classification.dataClass, this.complianceOutcome).inc();
      for (const reason of classification.reasons) m.counter('complianceDetections').labels(reason).inc();
    }
    if (this.admission) this.settle(gw, this.admission);
    gw.audit.write({
      time: isoTime(this.receivedAt),
      request_id: this.requestId,
      operation: op,
      method: this.method,
      path: this.path,
      key_id: this.caller?.keyId ?? null,
      tenant: this.caller?.tenant ?? null,
      model: this.model || null,
      provider: this.provider ?? null,
      target_model: this.targetModel ?? null,
      data_class: classification?.dataClass ?? null,
      reasons: classification?.reasons ?? [],
      status: this.status,
      error_code: this.errorCode,
      stream: this.stream,
      cache_hit: this.cacheHit,
      input_tokens: usage?.inputTokens ?? 0,
      output_tokens: usage?.outputTokens ?? 0,
      usage_estimated: this.usageEstimated,
      cost_usd: this.costUsd,
      latency_ms: Math.round(latencyMs * 1000) / 1000,
      ttft_ms: this.firstChunkAt === undefined ? null : Math.round((this.firstChunkAt - this.startedAt) * 1000) / 1000,
      overhead_ms: Math.round(overheadMs * 1000) / 1000,
      attempts: this.attempts,
    });
  }

  private settle(gw: GatewayContext, { ctx, decision }: NonNullable<RequestRecord['admission']>): void {
    const outcome = {
      status: this.status,
      usage: this.usage,
      usageEstimated: this.usageEstimated,
      costUsd: this.costUsd,
      provider: this.provider,
      targetModel: this.targetModel,
      cancelled: this.status === CLIENT_CLOSED_STATUS,
      cacheHit: this.cacheHit,
    };
    try {
      const settled = gw.stages.guard.settle(ctx, decision, outcome);
      if (settled)
        settled.catch((error: unknown) => gw.log.error('guard settle failed', { requestId: this.requestId, error: String(error) }));
    } catch (error) {
      gw.log.error('guard settle failed', { requestId: this.requestId, error: String(error) });
    }
  }
}
