/**
 * Anthropic's Messages API (`POST /v1/messages`), translated to and from the OpenAI shape. The
 * provider's `baseUrl` is the API origin (`https://api.anthropic.com`); its key, from `apiKeyEnv`,
 * goes in `x-api-key`, with `anthropic-version: 2023-06-01`. Anthropic has no embeddings API.
 */
import type { ProviderAdapter, StreamContext, TargetContext, UpstreamRequest } from '../contract';
import type { ChatCompletionRequest } from '../openai-types';
import { retryAfterMs, unreadable } from '../upstream-errors';
import { readJsonObject, tryJson } from '../upstream-json';
import { anthropicBody } from './anthropic-request';
import { type AnthropicErrorPayload, anthropicCompletion, anthropicError, type AnthropicMessageResponse } from './anthropic-response';
import { AnthropicStreamParser } from './anthropic-stream-parser';

/** The API version whose request and event shapes this adapter speaks. */
export const ANTHROPIC_VERSION = '2023-06-01';

export const anthropicAdapter: ProviderAdapter = {
  type: 'anthropic',

  buildChatRequest(request: ChatCompletionRequest, target: TargetContext): UpstreamRequest {
    const headers: Record<string, string> = { 'content-type': 'application/json', 'anthropic-version': ANTHROPIC_VERSION };
    if (target.apiKey) headers['x-api-key'] = target.apiKey;
    return { method: 'POST', path: '/v1/messages', headers, body: JSON.stringify(anthropicBody(request, target.upstreamModel)) };
  },

  parseChatResponse(body: string, context: StreamContext) {
    const message = readJsonObject<AnthropicMessageResponse>(body, 'a completion');
    if (!Array.isArray(message.content)) throw unreadable('a completion');
    return anthropicCompletion(message, context);
  },

  createChatStreamParser(context: StreamContext) {
    return new AnthropicStreamParser(context);
  },

  parseError(status, headers, body) {
    return anthropicError(status, tryJson(body) as AnthropicErrorPayload | undefined, retryAfterMs(headers));
  },
};
