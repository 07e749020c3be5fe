/**
 * The RequestGuard of the state layer: rate limits and budgets.
 *
 * admit: one store call checks the request's budgets (key, tenant) and charges its token buckets
 * (requests and reserved tokens per key, tenant, model) all together, or refuses it: 429
 * `rate_limit_exceeded` with Retry-After, 429 `budget_exceeded` (not retryable), or 503
 * `state_unavailable` when the store fails and `state.onRedisError` is fail-closed. A request with
 * nothing to check makes no store call.
 *
 * settle: one store call replaces the reservation with the tokens really used (streams, cancelled
 * streams and failures included) and adds the request's cost and tokens to the period's spend by
 * key, tenant and model. Failed spend writes wait in a backlog until the store recovers.
 */
import type { GatewayConfig } from '../config/schema';
import { GatewayError } from '../errors/gateway-error';
import type { MetricsRegistry } from '../metrics/registry';
import type { GuardAdmitted, GuardDecision, RequestGuard, RequestOutcome, StageContext } from '../pipeline/stages';
import { periodBounds, periodOf, spendKey } from './billing-period';
import { type BudgetSpec, LimitBook, type LimitSpec, type RequestLimits } from './limit-book';
import { formatDuration, rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers';
import { type RequestTokens, requestTokens } from './request-tokens';
import { SettleBacklog } from './settle-backlog';
import { NANO_PER_USD, spendScope, usdToNano } from './spend-fields';
import type { StateFaults } from './state-faults';
import type { AdmitReply, BucketAdjustment, SpendEntry, StateStore } from './state-store';
import { estimateTokens, type TokenCounter } from './token-counter';

/** What admit() hands to settle(). */
interface Reservation {
  /** False when the store failed and the request was let through (fail-open): nothing was charged. */
  readonly charged: boolean;
  readonly limits: RequestLimits;
  readonly reservedTokens: number;
  readonly period: string;
}

const ADMITTED: GuardAdmitted = Object.freeze({ admitted: true });
const NO_TOKENS: RequestTokens = Object.freeze({ prompt: 0, completion: 0 });

function scopeName(scope: LimitSpec['scope'] | BudgetSpec['scope'], id: string): string {
  return scope === 'key' ? `API key "${id}"` : `${scope} "${id}"`;
}

export class StateGuard implements RequestGuard {
  private book: LimitBook;
  private failClosed: boolean;
  private completionReservation: number;
  private readonly backlog: SettleBacklog;
  /** Set once loaded; until then token reservations use the byte estimate. */
  counter: TokenCounter | undefined;

  constructor(
    private readonly store: StateStore,
    config: GatewayConfig,
    private readonly metrics: MetricsRegistry,
    private readonly faults: StateFaults,
  ) {
    this.book = new LimitBook(config);
    this.failClosed = config.state?.onRedisError === 'fail-closed';
    this.completionReservation = config.state?.completionTokenReservation ?? 1024;
    this.backlog = new SettleBacklog(store, faults);
  }

  get limits(): LimitBook {
    return this.book;
  }

  reconfigure(config: GatewayConfig): void {
    this.book = new LimitBook(config);
    this.failClosed = config.state?.onRedisError === 'fail-closed';
    this.completionReservation = config.state?.completionTokenReservation ?? 1024;
  }

  /** Synchronous with the memory store (no promise per request), a promise with Redis. */
  admit(ctx: StageContext): GuardDecision | Promise<GuardDecision> {
    const limits = this.book.for(ctx.caller, ctx.model);
    if (limits.buckets.length === 0 && limits.budgets.length === 0) return ADMITTED;
    const tokens = limits.hasTokenBuckets ? this.reserveTokens(ctx) : NO_TOKENS;
    const reservedTokens = tokens.prompt + tokens.completion;
    const period = periodOf(ctx.receivedAt);
    const call = {
      buckets: limits.buckets.map((b) => ({ key: b.bucket, limit: b.limit, cost: b.unit === 'requests' ? 1 : reservedTokens })),
      budgets: limits.budgets.map((b) => ({ field: b.costField, limitNanoUsd: b.limitNanoUsd })),
      spendKey: spendKey(period),
    };
    let reply: AdmitReply | Promise<AdmitReply>;
    try {
      reply = this.store.admit(call);
    } catch (error) {
      return this.storeFailed(limits, reservedTokens, period, error);
    }
    if (!(reply instanceof Promise)) return this.decide(ctx, limits, tokens, period, reply);
    return reply.then(
      (answer) => this.decide(ctx, limits, tokens, period, answer),
      (error: unknown) => this.storeFailed(limits, reservedTokens, period, error),
    );
  }

  /** The store could not answer: let the request through uncharged (fail-open) or refuse it with 503. */
  private storeFailed(limits: RequestLimits, reservedTokens: number, period: string, error: unknown): GuardDecision {
    const stage = limits.buckets.length > 0 ? 'rate_limit' : 'budget';
    if (!this.failClosed) {
      this.faults.report(stage, 'fail_open', error);
      return { admitted: true, ticket: { charged: false, limits, reservedTokens, period } satisfies Reservation };
    }
    this.faults.report(stage, 'fail_closed', error);
    const message =
      'Rate limits and budgets cannot be checked right now (the state backend is unavailable), and this gateway refuses requests until they can be (state.onRedisError: fail-closed).';
    return { admitted: false, error: new GatewayError('state_unavailable', message, null, retryAfterHeaders(1000)) };
  }

  /** The decision from the store's reply: admitted with rate-limit headers, or the refusal. */
  private decide(ctx: StageContext, limits: RequestLimits, tokens: RequestTokens, period: string, reply: AdmitReply): GuardDecision {
    const reservedTokens = tokens.prompt + tokens.completion;
    this.setBudgetGauges(limits.budgets, reply.spentNanoUsd);
    const headers = rateLimitHeaders(limits.buckets, reply.levels);
    switch (reply.outcome) {
      case 'admitted':
        return { admitted: true, headers, ticket: { charged: true, limits, reservedTokens, period } satisfies Reservation };
      case 'budget_exceeded':
        return {
          admitted: false,
          error: this.overBudget(ctx, limits.budgets[reply.failedIndex], reply.spentNanoUsd[reply.failedIndex], period),
        };
      case 'too_large':
        return { admitted: false, error: this.tooLarge(ctx, limits.buckets[reply.failedIndex], tokens, headers) };
      case 'rate_limited': {
        const spec = limits.buckets[reply.failedIndex];
        this.metrics.counter('rateLimitRejections').labels(ctx.caller.keyId, ctx.caller.tenant, ctx.model, spec.metricLimit).inc();
        const wanted = spec.unit === 'tokens' ? `requested ${reservedTokens}, ` : '';
        const message = `Rate limit reached for ${scopeName(spec.scope, spec.id)} on ${spec.unit} per minute: limit ${spec.limit}, ${wanted}remaining ${reply.levels[reply.failedIndex].remaining}. Try again in ${formatDuration(reply.retryAfterMs)}.`;
        return {
          admitted: false,
          error: new GatewayError('rate_limit_exceeded', message, null, { ...headers, ...retryAfterHeaders(reply.retryAfterMs) }),
        };
      }
    }
  }

  settle(ctx: StageContext, decision: GuardAdmitted, outcome: RequestOutcome): Promise<void> | undefined {
    const ticket = decision.ticket as Reservation | undefined;
    const usage = outcome.cacheHit ? undefined : outcome.usage;
    const used = usage ? usage.inputTokens + usage.outputTokens : 0;
    const adjustments: BucketAdjustment[] = [];
    if (ticket) {
      const delta = ticket.charged ? used - ticket.reservedTokens : used;
      if (delta !== 0)
        for (const b of ticket.limits.buckets) if (b.unit === 'tokens') adjustments.push({ key: b.bucket, limit: b.limit, delta });
    }
    // Spend counts requests that reached a target or the cache.
    const spend: SpendEntry | undefined =
      outcome.provider === undefined
        ? undefined
        : {
            scopes: [spendScope('k', ctx.caller.keyId), spendScope('t', ctx.caller.tenant), spendScope('m', ctx.model)],
            requests: 1,
            inputTokens: usage?.inputTokens ?? 0,
            outputTokens: usage?.outputTokens ?? 0,
            costNanoUsd: usdToNano(outcome.costUsd),
          };
    if (adjustments.length === 0 && !spend) return undefined;
    const budgets = ticket?.limits.budgets ?? this.book.for(ctx.caller, ctx.model).budgets;
    const call = {
      adjustments,
      spendKey: spendKey(ticket?.period ?? periodOf(ctx.receivedAt)),
      spend,
      readBack: budgets.map((b) => b.costField),
    };
    return this.store.settle(call).then(
      (totals) => {
        this.setBudgetGauges(budgets, totals);
        // The store works again (also after a stall that never dropped the connection).
        if (this.backlog.size > 0) void this.backlog.flush();
      },
      (error: unknown) => this.backlog.keep(call, error),
    );
  }

  /** Sets switchyard_budget_remaining_usd for budgets whose spend was just read. */
  setBudgetGauges(budgets: readonly BudgetSpec[], spentNanoUsd: readonly number[]): void {
    budgets.forEach((b, i) =>
      this.metrics
        .gauge('budgetRemaining')
        .labels(b.scope, b.id)
        .set((b.limitNanoUsd - spentNanoUsd[i]) / NANO_PER_USD),
    );
  }

  private reserveTokens(ctx: StageContext): RequestTokens {
    if (this.counter) return requestTokens(ctx, this.counter, this.completionReservation);
    return { prompt: estimateTokens(JSON.stringify(ctx.body)), completion: this.completionReservation };
  }

  private overBudget(ctx: StageContext, budget: BudgetSpec, spentNano: number, period: string): GatewayError {
    this.metrics.counter('budgetRejections').labels(ctx.caller.keyId, ctx.caller.tenant, budget.scope).inc();
    const spent = (spentNano / NANO_PER_USD).toFixed(2);
    const message = `Monthly budget exhausted: ${scopeName(budget.scope, budget.id)} has spent $${spent} of its $${budget.limitUsd.toFixed(2)} budget for ${period}; it resets at ${periodBounds(period).end}.`;
    return new GatewayError('budget_exceeded', message);
  }

  private tooLarge(ctx: StageContext, spec: LimitSpec, tokens: RequestTokens, headers: Record<string, string>): GatewayError {
    this.metrics.counter('rateLimitRejections').labels(ctx.caller.keyId, ctx.caller.tenant, ctx.model, spec.metricLimit).inc();
    const message = `Request too large for ${scopeName(spec.scope, spec.id)}: it needs about ${tokens.prompt + tokens.completion} tokens (${tokens.prompt} for the prompt, ${tokens.completion} reserved for the completion) but the limit is ${spec.limit} tokens per minute. Send a shorter prompt or a smaller max_tokens.`;
    return new GatewayError('rate_limit_exceeded', message, tokens.prompt > spec.limit ? 'messages' : 'max_tokens', {
      ...headers,
      'x-should-retry': 'false',
    });
  }
}
