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

/** `jsonText(value)`, without building anything for a string or a number (most values). */
function valueText(value: unknown): string {
  if (typeof value === 'string') return value;
  return typeof value === 'object' && value !== null ? jsonText(value) : '';
}

function messageText(message: ChatMessage, parts: string[]): void {
  const fields = message as unknown as Record<string, unknown>;
  // for-in over a parsed JSON object: its own keys, in order (its prototype has no enumerable keys).
  for (const key in fields) {
    if (key === 'role') continue;
    const value = fields[key];
    if (key !== 'content' || !Array.isArray(value)) {
      parts.push(valueText(value));
      continue;
    }
    for (const part of value as Array<Record<string, unknown>>) if (typeof part.text === 'string') parts.push(part.text);
  }
}

export function chatText(request: ChatCompletionRequest): string {
  const parts: string[] = [];
  for (const message of request.messages) messageText(message, parts);
  const fields = request as unknown as Record<string, unknown>;
  for (const key in fields) if (!NOT_CONTENT.has(key)) parts.push(valueText(fields[key]));
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
