/**
 * The seed's generic inference contract: POST /api/infer `{ model, payload }` is forwarded as-is to
 * a registered model service (`providers[]` of type `http`: baseUrl + path, default `/infer`) and a
 * 2xx answer is returned as-is. These services do not speak chat; the router never offers them
 * chat or embeddings requests.
 */
import { bearerJsonHeaders } from '../json-headers';
import type { ProviderAdapter, TargetContext, UpstreamRequest } from '../contract';
import { genericUpstreamError } from '../upstream-errors';

const DEFAULT_PATH = '/infer';

function notChat(): never {
  throw new Error('http inference services serve POST /api/infer only');
}

export const httpAdapter: ProviderAdapter = {
  type: 'http',
  chat: false,
  buildChatRequest: notChat,
  parseChatResponse: notChat,
  createChatStreamParser: notChat,

  parseError(status, headers) {
    return genericUpstreamError(status, headers, 'the inference service');
  },

  infer: {
    buildRequest(body: Uint8Array, target: TargetContext): UpstreamRequest {
      return { method: 'POST', path: target.path ?? DEFAULT_PATH, headers: bearerJsonHeaders(target.apiKey), body };
    },
  },
};
