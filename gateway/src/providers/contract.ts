/**
 * The one contract every provider adapter implements (providers/<name>/). Adapters are pure:
 * they build upstream requests and parse upstream bytes; one HTTP client (http/) does all I/O,
 * including SigV4 signing when a request asks for it. This module imports nothing from any provider.
 */
import type { ChatCompletion, ChatCompletionChunk, ChatCompletionRequest, EmbeddingsRequest, EmbeddingsResponse } from './openai-types';
import type { ContentDelta } from './content-delta';

export type ProviderType = 'openai' | 'ollama' | 'anthropic' | 'bedrock' | 'http';

/** Token usage as the gateway counts it, whatever the provider calls it. */
export interface TokenUsage {
  inputTokens: number;
  outputTokens: number;
  /** Input tokens served from the provider's prompt cache, when it reports them. */
  cachedInputTokens?: number;
  /** Output tokens spent on reasoning, when the provider reports them. */
  reasoningTokens?: number;
}

/** What an adapter knows about the target it is building a request for. */
export interface TargetContext {
  /** The provider's model id (the target's `model`), which replaces the client's model name. */
  readonly upstreamModel: string;
  /** The provider's base URL from config, without trailing slash. */
  readonly baseUrl: string;
  /** The API key resolved from the provider's `apiKeyEnv`, if any; never logged. */
  readonly apiKey?: string;
  /** AWS region (bedrock). */
  readonly region?: string;
  /** The request path of an `http` inference service (config `providers[].path`, default `/infer`). */
  readonly path?: string;
}

/** A request for the HTTP client to send. `path` is appended to the provider's baseUrl. */
export interface UpstreamRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
  /** When set, the HTTP client signs the request with SigV4 using the AWS SDK credential chain. */
  readonly sigv4?: { readonly service: string; readonly region: string };
}

/** The closed set of upstream error kinds the router reacts to. */
export type UpstreamErrorKind =
  | 'rate_limited' // 429: retry after backoff / fall back
  | 'overloaded' // 503/529 and provider "overloaded" errors
  | 'server_error' // other 5xx
  | 'timeout'
  | 'connection'
  | 'bad_request' // 400/404/422: the request itself is wrong; never retried
  | 'auth' // 401/403 from upstream: gateway misconfiguration; never shown raw to clients
  | 'content_filter'
  | 'unknown';

/** An upstream failure, normalised. `message` is safe to show a client (no secrets, no raw bodies). */
export interface UpstreamError {
  readonly kind: UpstreamErrorKind;
  readonly status: number;
  readonly message: string;
  /** Whether another attempt (same or next target) may succeed. */
  readonly retryable: boolean;
  /** From Retry-After / retry-after-ms or the provider's own hint. */
  readonly retryAfterMs?: number;
}

export interface ParsedCompletion {
  readonly completion: ChatCompletion;
  readonly usage: TokenUsage;
}

/** A parsed chunk, or a text delta kept as the upstream's text (content-delta.ts). */
export type StreamChunk = ChatCompletionChunk | ContentDelta;

/**
 * Incremental translator of one upstream stream into OpenAI chunks. The pipeline feeds it raw bytes
 * as they arrive (split anywhere), and applies the OpenAI streaming rules (role first, usage chunk,
 * [DONE]) on the chunks it returns. Chunks it returns never carry `usage`; usage is read from `usage()`.
 */
export interface ChatStreamParser {
  /**
   * Splits the upstream body into the pieces `push` takes, for a binary framing that a library
   * splits (Bedrock's event stream, split by the AWS SDK's chunker). Its failures are
   * UpstreamStreamErrors, or the body's own errors passed through. Absent: `push` takes the body's
   * bytes as they arrive, split anywhere.
   */
  frames?(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array>;
  /**
   * Feeds bytes (as `frames` yields them, when present); returns the chunks completed by them
   * (parsed, or text deltas kept as text: only the OpenAI parser makes those). Throws
   * UpstreamStreamError on an error event.
   */
  push(bytes: Uint8Array): StreamChunk[];
  /** Signals the end of the upstream body; returns any chunks still buffered. */
  end(): StreamChunk[];
  /** Usage seen so far (final once the stream ended; partial if it was cut). */
  usage(): TokenUsage | undefined;
}

/** Thrown by a stream parser when the upstream reports an error mid-stream. */
export class UpstreamStreamError extends Error {
  constructor(readonly error: UpstreamError) {
    super(error.message);
    this.name = 'UpstreamStreamError';
  }
}

export interface StreamContext {
  /** The id and created time the gateway assigns to the response's chunks. */
  readonly id: string;
  readonly created: number;
  /** The model name reported to the client. */
  readonly model: string;
}

export interface ProviderAdapter {
  readonly type: ProviderType;
  buildChatRequest(request: ChatCompletionRequest, target: TargetContext): UpstreamRequest;
  /** Parses a 2xx non-streaming body. */
  parseChatResponse(body: string, context: StreamContext): ParsedCompletion;
  createChatStreamParser(context: StreamContext): ChatStreamParser;
  /** Normalises a non-2xx response. */
  parseError(status: number, headers: Readonly<Record<string, string | string[] | undefined>>, body: string): UpstreamError;
  /**
   * The seed's generic inference contract (`http` providers only): POST /api/infer bodies are
   * forwarded as-is and 2xx answers returned as-is. Providers without it serve no /api/infer models.
   */
  readonly infer?: {
    buildRequest(body: Uint8Array, target: TargetContext): UpstreamRequest;
  };
  /** Whether the adapter serves chat completions. @default true (false for `http` inference services) */
  readonly chat?: boolean;
  /** Absent when the provider has no embeddings API (anthropic). */
  readonly embeddings?: {
    buildRequest(request: EmbeddingsRequest, target: TargetContext): UpstreamRequest;
    /** `request` is the client's: an adapter that builds the answer itself honours its `encoding_format`. */
    parseResponse(body: string, model: string, request: EmbeddingsRequest): { response: EmbeddingsResponse; usage: TokenUsage };
  };
}
