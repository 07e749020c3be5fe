/**
 * The pluggable stages of the request pipeline (handle-chat.ts composes them, in this order):
 *
 *   auth -> parse -> classify -> GUARD.admit -> CACHE.get -> route -> adapter -> respond
 *        -> usage -> GUARD.settle, CACHE.put -> metrics + audit
 *
 * The state layer (gateway/src/state: Redis rate limits, budgets, response cache) implements these
 * interfaces; without it the pass-through stages below run, which admit everything and cache nothing.
 * Stages never see API keys, only the caller's key id and config entry.
 */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';
import type { Caller } from '../auth/caller';
import type { Classification } from '../compliance/classification';
import type { GatewayConfig } from '../config/schema';
import type { GatewayError } from '../errors/gateway-error';
import type { Logger } from '../log/logger';
import type { MetricsRegistry } from '../metrics/registry';
import type { TokenUsage } from '../providers/contract';
import type { ChatCompletion, ChatCompletionRequest, EmbeddingsRequest } from '../providers/openai-types';

export type Operation = 'chat' | 'embeddings' | 'infer';

/** The body of POST /api/infer: the payload is forwarded to the model service as-is. */
export interface InferRequest {
  model: string;
  payload: unknown;
}

/** What every stage may read about a request. Built once per request, before the guard. */
export interface StageContext {
  readonly requestId: string;
  readonly operation: Operation;
  readonly caller: Caller;
  /** The model name the client asked for (a `models[].name`, or any name under the catch-all `*`). */
  readonly model: string;
  /** The validated request body. */
  readonly body: ChatCompletionRequest | EmbeddingsRequest | InferRequest;
  readonly stream: boolean;
  readonly classification: Classification;
  readonly headers: IncomingHttpHeaders;
  /** When the gateway received the request (ms since epoch). */
  readonly receivedAt: number;
}

// --- Guard: rate limits and budgets ---------------------------------------------------------------

export interface GuardAdmitted {
  readonly admitted: true;
  /** Response headers to send (x-ratelimit-*). */
  readonly headers?: Readonly<Record<string, string>>;
  /** Anything the guard needs again in settle() (a token reservation). */
  readonly ticket?: unknown;
}

export interface GuardRefused {
  readonly admitted: false;
  /** `rate_limit_exceeded`, `budget_exceeded` or `state_unavailable`, with Retry-After in its headers. */
  readonly error: GatewayError;
}

export type GuardDecision = GuardAdmitted | GuardRefused;

/** What the request finally consumed; given to settle() exactly once per admitted request. */
export interface RequestOutcome {
  /** HTTP status sent to the client (499 when the client went away). */
  readonly status: number;
  /** Tokens used; partial for a cancelled or failed stream, absent when nothing was generated. */
  readonly usage?: TokenUsage;
  /** Whether `usage` was counted by the gateway because the provider reported none. */
  readonly usageEstimated: boolean;
  /** Cost in USD from the price table (0 when the target has no price). */
  readonly costUsd: number;
  /** The target that served the request, if one did. */
  readonly provider?: string;
  readonly targetModel?: string;
  readonly cancelled: boolean;
  /** Whether the response came from the cache (no upstream tokens spent). */
  readonly cacheHit: boolean;
}

export interface RequestGuard {
  /** Decides before any upstream work; called after auth, validation and classification. */
  admit(ctx: StageContext): GuardDecision | Promise<GuardDecision>;
  /** Reconciles a reservation with what was used. Errors are logged, never sent to the client. */
  settle(ctx: StageContext, decision: GuardAdmitted, outcome: RequestOutcome): void | Promise<void>;
}

// --- Response cache (chat completions) ----------------------------------------------------------------

/** A cached chat answer; the pipeline replays it as JSON or as a well-formed stream. */
export interface CachedCompletion {
  readonly completion: ChatCompletion;
  readonly usage: TokenUsage;
  readonly provider: string;
  readonly targetModel: string;
}

export interface ResponseCache {
  /**
   * The cache key for this request, or undefined when it must not be cached or looked up (cache off,
   * opt-out header, sensitive request...). Only chat requests are offered. The pipeline sends
   * `x-cache: HIT|MISS` only for requests with a key.
   */
  keyFor(ctx: StageContext): string | undefined;
  get(key: string, ctx: StageContext): CachedCompletion | undefined | Promise<CachedCompletion | undefined>;
  /** Called after a complete, successful answer (streams are assembled into one completion first). */
  put(key: string, value: CachedCompletion, ctx: StageContext): void | Promise<void>;
}

// --- Extra routes (GET /v1/spend) -------------------------------------------------------------------------

export interface ExtraRoute {
  /** Names the route in the audit log's `operation`, e.g. `spend`. */
  readonly operation: string;
  readonly method: 'GET' | 'POST';
  /** Exact path, e.g. `/v1/spend`. */
  readonly path: string;
  /** `admin`: only keys with `admin: true` (403 otherwise); `key`: any valid key. */
  readonly access: 'admin' | 'key';
  /** Returns a JSON body; a thrown GatewayError becomes an OpenAI error response. */
  handle(request: IncomingMessage, caller: Caller): Promise<{ status: number; body: unknown }>;
}

// --- The bundle the gateway is started with -----------------------------------------------------------

export interface PipelineStages {
  readonly guard: RequestGuard;
  readonly cache: ResponseCache;
  readonly routes?: readonly ExtraRoute[];
  /** Applies a reloaded, valid config (new limits, tenants, TTL). */
  reconfigure?(config: GatewayConfig): void;
  /** Releases connections on shutdown, after in-flight requests finished. */
  close?(): Promise<void>;
  /**
   * Startup work left to finish after the server listens (loading the tokenizer); requests are
   * served meanwhile, and GET /readyz answers 503 "starting" until it settles.
   */
  readonly warming?: Promise<void>;
}

export interface StageDependencies {
  readonly metrics: MetricsRegistry;
  readonly log: Logger;
  /** Environment for secrets such as the Redis password. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Names the config in error messages. */
  readonly source?: string;
}

/** Builds the stages for the first config; `startGateway({ stages })` takes one. */
export type StagesFactory = (config: GatewayConfig, deps: StageDependencies) => PipelineStages | Promise<PipelineStages>;

// --- Pass-through (no state configured) -------------------------------------------------------------------

const ADMITTED: GuardAdmitted = Object.freeze({ admitted: true });

export const passThroughGuard: RequestGuard = {
  admit: () => ADMITTED,
  settle: () => undefined,
};

export const noCache: ResponseCache = {
  keyFor: () => undefined,
  get: () => undefined,
  put: () => undefined,
};

export const passThroughStages: PipelineStages = { guard: passThroughGuard, cache: noCache };
