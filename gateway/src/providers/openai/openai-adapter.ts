/**
 * Any OpenAI-compatible server (OpenAI, Azure OpenAI's v1 API, vLLM, llama.cpp, LocalAI): the
 * request passes through with the model rewritten to the target's, and streaming always asks for
 * usage so the gateway can count tokens. Responses keep every field the server sent.
 */
import { bearerJsonHeaders } from '../json-headers';
import type {
  ChatStreamParser,
  StreamChunk,
  ProviderAdapter,
  StreamContext,
  TargetContext,
  TokenUsage,
  UpstreamError,
  UpstreamRequest,
} from '../contract';
import { UpstreamStreamError } from '../contract';
import type { ChatCompletion, ChatCompletionRequest, EmbeddingsRequest, EmbeddingsResponse } from '../openai-types';
import { ChunkTailReader, type TailedChunk, UPSTREAM_TAIL } from '../chunk-tail';
import { SseDecoder } from '../sse-decoder';
import { readContentDelta } from '../content-delta';
import { clip, kindForStatus, retryAfterMs } from '../upstream-errors';
import { fromOpenAIUsage } from './openai-usage';

interface OpenAIErrorPayload {
  error?: { message?: unknown; type?: unknown; code?: unknown; param?: unknown } | string;
}

/** Normalises an OpenAI error object (from an HTTP error body or a mid-stream `error` event). */
function normaliseError(status: number, payload: OpenAIErrorPayload | undefined, retryAfter?: number): UpstreamError {
  const error = typeof payload?.error === 'object' && payload.error !== null ? payload.error : undefined;
  const code = typeof error?.code === 'string' ? error.code : undefined;
  const upstreamMessage =
    typeof error?.message === 'string' ? error.message : typeof payload?.error === 'string' ? payload.error : undefined;
  let { kind, retryable } = kindForStatus(status);
  if (code === 'content_filter' || code === 'content_policy_violation') kind = 'content_filter';
  if (code === 'insufficient_quota') retryable = false;
  let message: string;
  if ((kind === 'bad_request' || kind === 'content_filter') && upstreamMessage) message = clip(upstreamMessage);
  else if (kind === 'auth') message = `the provider refused the gateway's credentials (HTTP ${status})`;
  else message = `the provider failed (HTTP ${status}${code ? `, ${clip(code, 60)}` : ''})`;
  return { kind, status, message, retryable, retryAfterMs: retryAfter };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

class OpenAIStreamParser implements ChatStreamParser {
  private readonly decoder = new SseDecoder();
  private readonly tails = new ChunkTailReader();
  private lastUsage: TokenUsage | undefined;

  constructor(private readonly context: StreamContext) {}

  push(bytes: Uint8Array): StreamChunk[] {
    return this.translate(this.decoder.push(bytes));
  }

  end(): StreamChunk[] {
    return this.translate(this.decoder.end());
  }

  usage(): TokenUsage | undefined {
    return this.lastUsage;
  }

  private translate(events: ReadonlyArray<{ event: string; data: string }>): StreamChunk[] {
    const chunks: StreamChunk[] = [];
    for (const { event, data } of events) {
      if (data === '[DONE]') continue;
      const known = event === 'error' ? 0 : this.tails.knownPrefixLength(data);
      const delta = known === 0 ? undefined : readContentDelta(data, known);
      if (delta !== undefined) {
        chunks.push(delta);
        continue;
      }
      const parsed = parseJson(data) as (TailedChunk & OpenAIErrorPayload) | undefined;
      if (parsed === undefined || typeof parsed !== 'object') {
        throw new UpstreamStreamError({
          kind: 'unknown',
          status: 502,
          retryable: false,
          message: 'the provider sent an unreadable stream event',
        });
      }
      if (event === 'error' || parsed.error !== undefined) throw new UpstreamStreamError(normaliseError(500, parsed));
      if (parsed.usage) this.lastUsage = fromOpenAIUsage(parsed.usage);
      if (!Array.isArray(parsed.choices) || parsed.choices.length === 0) continue;
      const tail = this.tails.tailOf(data, parsed);
      if (tail !== undefined) parsed[UPSTREAM_TAIL] = tail;
      // Set, not deleted: deleting a property turns the object into a slow dictionary, and
      // JSON.stringify leaves an undefined value out anyway.
      if (parsed.usage !== undefined) parsed.usage = undefined;
      parsed.id = this.context.id;
      parsed.created = this.context.created;
      parsed.model = this.context.model;
      chunks.push(parsed);
    }
    return chunks;
  }
}

export const openaiAdapter: ProviderAdapter = {
  type: 'openai',

  buildChatRequest(request: ChatCompletionRequest, target: TargetContext): UpstreamRequest {
    const body: ChatCompletionRequest = { ...request, model: target.upstreamModel };
    if (request.stream) body.stream_options = { ...request.stream_options, include_usage: true };
    return { method: 'POST', path: '/chat/completions', headers: bearerJsonHeaders(target.apiKey), body: JSON.stringify(body) };
  },

  parseChatResponse(body: string, context: StreamContext) {
    const completion = parseJson(body) as ChatCompletion | undefined;
    if (!completion || typeof completion !== 'object' || !Array.isArray(completion.choices)) {
      throw new UpstreamStreamError({
        kind: 'unknown',
        status: 502,
        retryable: false,
        message: 'the provider sent an unreadable completion',
      });
    }
    const usage = completion.usage ? fromOpenAIUsage(completion.usage) : { inputTokens: 0, outputTokens: 0 };
    completion.id = context.id;
    completion.created = context.created;
    completion.model = context.model;
    return { completion, usage };
  },

  createChatStreamParser(context: StreamContext): ChatStreamParser {
    return new OpenAIStreamParser(context);
  },

  parseError(status, headers, body) {
    return normaliseError(status, parseJson(body) as OpenAIErrorPayload | undefined, retryAfterMs(headers));
  },

  embeddings: {
    buildRequest(request: EmbeddingsRequest, target: TargetContext): UpstreamRequest {
      return {
        method: 'POST',
        path: '/embeddings',
        headers: bearerJsonHeaders(target.apiKey),
        body: JSON.stringify({ ...request, model: target.upstreamModel }),
      };
    },
    parseResponse(body: string, model: string) {
      const response = parseJson(body) as EmbeddingsResponse | undefined;
      if (!response || !Array.isArray(response.data)) {
        throw new UpstreamStreamError({
          kind: 'unknown',
          status: 502,
          retryable: false,
          message: 'the provider sent unreadable embeddings',
        });
      }
      response.model = model;
      const inputTokens = response.usage?.prompt_tokens ?? 0;
      return { response, usage: { inputTokens, outputTokens: 0 } };
    },
  },
};
