/**
 * Reading Ollama's `/api/chat` answers, whole or streamed: each is an object with `message`,
 * `done`, and on the last one `done_reason`, token counts (`prompt_eval_count`, `eval_count`) and
 * durations in nanoseconds (not used: the gateway measures time itself). Tool calls come whole,
 * with their arguments as an object and, in the documented answers, no id: the gateway gives each a
 * stable id derived from the response id and the call's position (an id Ollama sends is kept). Errors are `{ "error": "..." }`, as the
 * body of a non-2xx answer or as a line of a stream that already started.
 */
import type { StreamContext, TokenUsage, UpstreamError } from '../contract';
import type { FinishReason, ToolCall } from '../openai-types';
import { clip, kindForStatus } from '../upstream-errors';
import type { OllamaMessage } from './ollama-request';

export interface OllamaChatResponse {
  model?: string;
  message?: OllamaMessage;
  done?: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: unknown;
}

export function ollamaUsage(response: OllamaChatResponse): TokenUsage {
  return { inputTokens: response.prompt_eval_count ?? 0, outputTokens: response.eval_count ?? 0 };
}

/** `done_reason` as an OpenAI finish reason; Ollama says "stop" after tool calls too. */
export function ollamaFinishReason(doneReason: string | undefined, calledTools: boolean): FinishReason {
  if (doneReason === 'length') return 'length';
  return calledTools ? 'tool_calls' : 'stop';
}

/** The OpenAI tool call for Ollama's call number `index` of this response. */
export function ollamaToolCall(context: StreamContext, call: NonNullable<OllamaMessage['tool_calls']>[number], index: number): ToolCall {
  const id = typeof call.id === 'string' && call.id.length > 0 ? call.id : `call_${context.id.replace(/^chatcmpl-/, '')}_${index}`;
  return { id, type: 'function', function: { name: call.function?.name ?? '', arguments: JSON.stringify(call.function?.arguments ?? {}) } };
}

/**
 * An Ollama error as the gateway's kind. Messages about the request (unknown model, bad option)
 * are kept; server-side failures get a generic message.
 */
export function ollamaError(status: number, error: unknown, retryAfterMs?: number): UpstreamError {
  const { kind, retryable } = kindForStatus(status);
  const detail = typeof error === 'string' ? error : undefined;
  const message = kind === 'bad_request' && detail ? clip(detail) : `Ollama failed (HTTP ${status})`;
  return { kind, status, message, retryable, retryAfterMs };
}
