/**
 * The text a request carries, as the classifier reads it: every string a person or tool wrote.
 * Chat requests are read whole, so a field the gateway does not know (and passes through to an
 * OpenAI-compatible upstream) is classified too: fail closed. Left out are only the model name,
 * developer-written schemas (`tools`, `response_format`, legacy `functions`), `logit_bias`, and
 * content parts that are not text (image and audio data, which detectors cannot read and whose
 * base64 would only yield false matches).
 */
import type { ChatCompletionRequest, ChatMessage, EmbeddingsRequest } from '../providers/openai-types';

/** Top-level chat fields that carry no request content. */
const NOT_CONTENT = new Set(['model', 'messages', 'tools', 'tool_choice', 'response_format', 'functions', 'function_call', 'logit_bias']);

function messageText(message: ChatMessage, parts: string[]): void {
  for (const [key, value] of Object.entries(message)) {
    if (key === 'role') continue;
    if (key !== 'content' || !Array.isArray(value)) {
      parts.push(jsonText(value));
      continue;
    }
    for (const part of value as Array<Record<string, unknown>>) if (typeof part.text === 'string') parts.push(part.text);
  }
}

export function chatText(request: ChatCompletionRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) messageText(message, parts);
  for (const [key, value] of Object.entries(request)) if (!NOT_CONTENT.has(key)) parts.push(jsonText(value));
  return parts.join('\n');
}

export function embeddingsText(request: EmbeddingsRequest): string {
  const { input } = request;
  const parts =
    typeof input === 'string' ? [input] : Array.isArray(input) ? input.filter((item): item is string => typeof item === 'string') : [];
  for (const [key, value] of Object.entries(request)) if (key !== 'input' && key !== 'model') parts.push(jsonText(value));
  return parts.join('\n');
}

/** Every string inside an arbitrary JSON value (the /api/infer payload), keys included, at any depth. */
export function jsonText(value: unknown): string {
  const parts: string[] = [];
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const node = stack.pop();
    if (typeof node === 'string') parts.push(node);
    else if (Array.isArray(node)) for (const item of node) stack.push(item);
    else if (node !== null && typeof node === 'object') {
      for (const [key, item] of Object.entries(node)) {
        parts.push(key);
        stack.push(item);
      }
    }
  }
  return parts.join('\n');
}
