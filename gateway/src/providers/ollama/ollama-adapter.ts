/**
 * Ollama's native API (`/api/chat`, `/api/embed`), translated to and from the OpenAI shape. The
 * native API rather than Ollama's OpenAI-compatible one: it reports token counts on every answer,
 * takes JSON schemas for structured output, and is the API every Ollama version serves. Ollama has
 * no authentication of its own; a key from `apiKeyEnv` (for a proxy in front of it) is sent as a
 * bearer token.
 */
import { bearerJsonHeaders } from '../json-headers';
import type { ProviderAdapter, StreamContext, TargetContext, UpstreamRequest } from '../contract';
import { completionOf } from '../chat-chunks';
import type { ChatCompletionRequest, EmbeddingsRequest, EmbeddingsResponse } from '../openai-types';
import { retryAfterMs, unreadable } from '../upstream-errors';
import { readJsonObject, tryJson } from '../upstream-json';
import { ollamaChatBody, ollamaEmbedBody } from './ollama-request';
import { type OllamaChatResponse, ollamaError, ollamaFinishReason, ollamaToolCall, ollamaUsage } from './ollama-response';
import { OllamaStreamParser } from './ollama-stream-parser';

interface OllamaEmbedResponse {
  embeddings?: number[][];
  prompt_eval_count?: number;
}

/** A vector as OpenAI's base64 encoding: little-endian float32s (what the openai SDKs ask for by default). */
function base64Floats(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

export const ollamaAdapter: ProviderAdapter = {
  type: 'ollama',

  buildChatRequest(request: ChatCompletionRequest, target: TargetContext): UpstreamRequest {
    return {
      method: 'POST',
      path: '/api/chat',
      headers: bearerJsonHeaders(target.apiKey),
      body: JSON.stringify(ollamaChatBody(request, target.upstreamModel)),
    };
  },

  parseChatResponse(body: string, context: StreamContext) {
    const response = readJsonObject<OllamaChatResponse>(body, 'a completion');
    const message = response.message;
    if (!message) throw unreadable('a completion');
    const toolCalls = (message.tool_calls ?? []).map((call, index) => ollamaToolCall(context, call, index));
    const text = typeof message.content === 'string' ? message.content : '';
    return {
      completion: completionOf(context, text, toolCalls, ollamaFinishReason(response.done_reason, toolCalls.length > 0)),
      usage: ollamaUsage(response),
    };
  },

  createChatStreamParser(context: StreamContext) {
    return new OllamaStreamParser(context);
  },

  parseError(status, headers, body) {
    return ollamaError(status, (tryJson(body) as { error?: unknown } | undefined)?.error, retryAfterMs(headers));
  },

  embeddings: {
    buildRequest(request: EmbeddingsRequest, target: TargetContext): UpstreamRequest {
      return {
        method: 'POST',
        path: '/api/embed',
        headers: bearerJsonHeaders(target.apiKey),
        body: JSON.stringify(ollamaEmbedBody(request, target.upstreamModel)),
      };
    },
    parseResponse(body: string, model: string, request: EmbeddingsRequest) {
      const parsed = readJsonObject<OllamaEmbedResponse>(body, 'embeddings');
      if (!Array.isArray(parsed.embeddings)) throw unreadable('embeddings');
      const base64 = request.encoding_format === 'base64';
      const inputTokens = parsed.prompt_eval_count ?? 0;
      const response: EmbeddingsResponse = {
        object: 'list',
        data: parsed.embeddings.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? base64Floats(vector) : vector })),
        model,
        usage: { prompt_tokens: inputTokens, total_tokens: inputTokens },
      };
      return { response, usage: { inputTokens, outputTokens: 0 } };
    },
  },
};
