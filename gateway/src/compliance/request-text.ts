/** The text a request carries, as the classifier reads it: every string a person or tool wrote. */
import type { ChatCompletionRequest, EmbeddingsRequest } from '../providers/openai-types';

export function chatText(request: ChatCompletionRequest): string {
  let text = '';
  for (const message of request.messages) {
    const { content } = message;
    if (typeof content === 'string') text += `${content}\n`;
    else if (Array.isArray(content)) {
      for (const part of content) if ('text' in part && typeof part.text === 'string') text += `${part.text}\n`;
    }
    if (message.tool_calls) for (const call of message.tool_calls) text += `${call.function?.arguments ?? ''}\n`;
  }
  return text;
}

export function embeddingsText(request: EmbeddingsRequest): string {
  const { input } = request;
  if (typeof input === 'string') return input;
  if (Array.isArray(input)) return input.filter((item): item is string => typeof item === 'string').join('\n');
  return '';
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
