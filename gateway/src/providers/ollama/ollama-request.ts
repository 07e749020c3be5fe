/**
 * OpenAI chat and embeddings requests as Ollama's native `/api/chat` and `/api/embed` bodies
 * (github.com/ollama/ollama docs/api.md): sampling settings move under `options`, `max_tokens`
 * becomes `num_predict`, JSON mode becomes `format`, images travel as base64 beside the text, and
 * tool calls carry their arguments as objects. Tool results name their tool (`tool_name`), found
 * from the assistant message that called it.
 */
import { messageParts, messageText, requireSingleChoice, stopSequences, textOnlyContent, toolArguments } from '../chat-content';
import type { ChatCompletionRequest, ChatMessage, EmbeddingsRequest } from '../openai-types';
import { untranslatable } from '../upstream-errors';

export interface OllamaToolCall {
  id?: string;
  function: { index?: number; name: string; arguments: Record<string, unknown> };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  images?: string[];
  tool_calls?: OllamaToolCall[];
  tool_name?: string;
  thinking?: string;
}

export interface OllamaChatBody {
  model: string;
  messages: OllamaMessage[];
  stream: boolean;
  tools?: unknown[];
  format?: 'json' | Record<string, unknown>;
  options?: Record<string, unknown>;
}

/** Sampling settings Ollama reads from `options` under the same name as OpenAI's. */
const SAME_NAME_OPTIONS = ['temperature', 'top_p', 'seed', 'presence_penalty', 'frequency_penalty'] as const;

function userMessage(message: ChatMessage, at: string): OllamaMessage {
  const texts: string[] = [];
  const images: string[] = [];
  messageParts(message.content, at).forEach((part, p) => {
    if (part.kind === 'text') texts.push(part.text);
    else if (part.inline) images.push(part.inline.base64);
    else throw untranslatable(`${at}.content[${p}].image_url.url`, 'Ollama takes images inline only: send a data: URL with base64 data');
  });
  const out: OllamaMessage = { role: 'user', content: texts.join('\n') };
  if (images.length > 0) out.images = images;
  return out;
}

function assistantMessage(message: ChatMessage, at: string): OllamaMessage {
  const out: OllamaMessage = { role: 'assistant', content: messageText(message.content, at) };
  if (message.tool_calls?.length)
    out.tool_calls = message.tool_calls.map((call, c) => ({
      function: {
        name: call.function.name,
        arguments: toolArguments(call.function.arguments, `${at}.tool_calls[${c}].function.arguments`),
      },
    }));
  return out;
}

function toOllamaMessages(messages: readonly ChatMessage[]): OllamaMessage[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, i) => {
    const at = `messages[${i}]`;
    switch (message.role) {
      case 'system':
      case 'developer':
        return { role: 'system', content: textOnlyContent(message.content, at) };
      case 'user':
        return userMessage(message, at);
      case 'assistant':
        for (const call of message.tool_calls ?? []) toolNames.set(call.id, call.function.name);
        return assistantMessage(message, at);
      default: {
        // `tool`, and the legacy `function` role (which names its function itself).
        const name = (message.tool_call_id !== undefined ? toolNames.get(message.tool_call_id) : undefined) ?? message.name;
        const out: OllamaMessage = { role: 'tool', content: textOnlyContent(message.content, at) };
        if (name) out.tool_name = name;
        return out;
      }
    }
  });
}

function options(request: ChatCompletionRequest): Record<string, unknown> | undefined {
  const out: Record<string, unknown> = {};
  for (const name of SAME_NAME_OPTIONS) if (typeof request[name] === 'number') out[name] = request[name];
  const maxTokens = request.max_completion_tokens ?? request.max_tokens;
  if (typeof maxTokens === 'number') out.num_predict = maxTokens;
  const stop = stopSequences(request.stop);
  if (stop) out.stop = stop;
  return Object.keys(out).length > 0 ? out : undefined;
}

function format(request: ChatCompletionRequest): OllamaChatBody['format'] {
  const responseFormat = request.response_format;
  if (responseFormat?.type === 'json_object') return 'json';
  if (responseFormat?.type === 'json_schema') {
    const schema = (responseFormat.json_schema as { schema?: unknown } | undefined)?.schema;
    return typeof schema === 'object' && schema !== null ? (schema as Record<string, unknown>) : 'json';
  }
  return undefined;
}

export function ollamaChatBody(request: ChatCompletionRequest, model: string): OllamaChatBody {
  requireSingleChoice(request.n);
  const body: OllamaChatBody = { model, messages: toOllamaMessages(request.messages), stream: request.stream === true };
  // Ollama cannot force a tool call; `none` is honoured by not offering the tools at all.
  if (request.tools?.length && request.tool_choice !== 'none') body.tools = request.tools;
  const fmt = format(request);
  if (fmt !== undefined) body.format = fmt;
  const opts = options(request);
  if (opts) body.options = opts;
  return body;
}

export function ollamaEmbedBody(request: EmbeddingsRequest, model: string): Record<string, unknown> {
  const { input } = request;
  if (!(typeof input === 'string' || (Array.isArray(input) && input.every((item) => typeof item === 'string'))))
    throw untranslatable('input', 'Ollama embeds text only: send a string or an array of strings, not token ids');
  const body: Record<string, unknown> = { model, input };
  if (typeof request.dimensions === 'number') body.dimensions = request.dimensions;
  return body;
}
