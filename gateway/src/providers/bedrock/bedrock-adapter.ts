/**
 * AWS Bedrock's Converse API (`/model/{modelId}/converse`) and ConverseStream
 * (`/model/{modelId}/converse-stream`, an AWS event stream), translated to and from the OpenAI
 * shape. Requests are signed with SigV4 (service `bedrock`, the provider's region) by the HTTP
 * client, with credentials from the AWS SDK's default chain (EKS Pod Identity, IRSA, env, ...);
 * a provider with `apiKeyEnv` instead sends that Bedrock API key as a bearer token. The base URL
 * defaults to `https://bedrock-runtime.<region>.amazonaws.com`. Embeddings are not served
 * (Bedrock has them only through InvokeModel, in per-model formats).
 */
import type { ProviderAdapter, StreamContext, TargetContext, UpstreamRequest } from '../contract';
import type { ChatCompletionRequest } from '../openai-types';
import { retryAfterMs, unreadable } from '../upstream-errors';
import { readJsonObject, tryJson } from '../upstream-json';
import { bedrockBody } from './bedrock-request';
import { type BedrockConverseResponse, bedrockCompletion, bedrockError, errorTypeOf } from './bedrock-response';
import { BedrockStreamParser } from './bedrock-stream-parser';

/** SigV4 service name of bedrock-runtime. */
export const BEDROCK_SIGNING_SERVICE = 'bedrock';

export const bedrockAdapter: ProviderAdapter = {
  type: 'bedrock',

  buildChatRequest(request: ChatCompletionRequest, target: TargetContext): UpstreamRequest {
    // Model ids hold ':' (versions) and ARNs hold '/': one encoded path segment either way.
    const path = `/model/${encodeURIComponent(target.upstreamModel)}/${request.stream ? 'converse-stream' : 'converse'}`;
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: request.stream ? 'application/vnd.amazon.eventstream' : 'application/json',
    };
    const body = JSON.stringify(bedrockBody(request));
    if (target.apiKey) return { method: 'POST', path, headers: { ...headers, authorization: `Bearer ${target.apiKey}` }, body };
    if (!target.region) throw new Error('bedrock targets need a region (validated by the config schema)');
    return { method: 'POST', path, headers, body, sigv4: { service: BEDROCK_SIGNING_SERVICE, region: target.region } };
  },

  parseChatResponse(body: string, context: StreamContext) {
    const response = readJsonObject<BedrockConverseResponse>(body, 'a completion');
    if (!response.output?.message) throw unreadable('a completion');
    return bedrockCompletion(response, context);
  },

  createChatStreamParser(context: StreamContext) {
    return new BedrockStreamParser(context);
  },

  parseError(status, headers, body) {
    const payload = tryJson(body) as { message?: unknown; Message?: unknown } | undefined;
    return bedrockError(status, errorTypeOf(headers['x-amzn-errortype']), payload?.message ?? payload?.Message, retryAfterMs(headers));
  },
};
