/**
 * Reading Anthropic Messages API answers: stop reasons as OpenAI finish reasons, usage (Anthropic
 * counts cache reads and cache writes apart from `input_tokens`; OpenAI's prompt tokens include
 * them), whole messages as completions, and errors (`{"type":"error","error":{"type","message"}}`,
 * as an HTTP body or a mid-stream `error` event) as the gateway's kinds.
 */
import type { StreamContext, TokenUsage, UpstreamError } from '../contract';
import { completionOf } from '../chat-chunks';
import { JSON_MODE_TOOL_NAME } from '../json-mode-tool';
import type { ChatCompletion, FinishReason, ToolCall } from '../openai-types';
import { clip, kindForStatus } from '../upstream-errors';

export interface AnthropicUsage {
  input_tokens?: number | null;
  output_tokens?: number | null;
  cache_read_input_tokens?: number | null;
  cache_creation_input_tokens?: number | null;
}

export type AnthropicContentBlock =
  | { type: 'text'; text: string }
  | { type: 'tool_use'; id: string; name: string; input: unknown }
  | { type: string; [key: string]: unknown };

export interface AnthropicMessageResponse {
  content?: AnthropicContentBlock[];
  stop_reason?: string | null;
  usage?: AnthropicUsage;
}

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  pause_turn: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  refusal: 'content_filter',
};

/** The finish reason; a `tool_use` stop that only answered through the JSON-mode tool is `stop`. */
export function anthropicFinishReason(stopReason: string | null | undefined, calledClientTools: boolean): FinishReason {
  const reason = FINISH_REASONS[stopReason ?? ''] ?? 'stop';
  return reason === 'tool_calls' && !calledClientTools ? 'stop' : reason;
}

/** Token counts reported so far as the gateway's usage; fields absent from `update` keep their value. */
export class AnthropicUsageCounter {
  private readonly counts = { input: 0, output: 0, cacheRead: 0, cacheWrite: 0 };
  seen = false;

  add(update: AnthropicUsage | undefined): void {
    if (!update) return;
    this.seen = true;
    if (typeof update.input_tokens === 'number') this.counts.input = update.input_tokens;
    if (typeof update.output_tokens === 'number') this.counts.output = update.output_tokens;
    if (typeof update.cache_read_input_tokens === 'number') this.counts.cacheRead = update.cache_read_input_tokens;
    if (typeof update.cache_creation_input_tokens === 'number') this.counts.cacheWrite = update.cache_creation_input_tokens;
  }

  usage(): TokenUsage {
    const { input, output, cacheRead, cacheWrite } = this.counts;
    const usage: TokenUsage = { inputTokens: input + cacheRead + cacheWrite, outputTokens: output };
    if (cacheRead > 0) usage.cachedInputTokens = cacheRead;
    return usage;
  }
}

export function anthropicCompletion(
  message: AnthropicMessageResponse,
  context: StreamContext,
): { completion: ChatCompletion; usage: TokenUsage } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of message.content ?? []) {
    if (block.type === 'text' && typeof block.text === 'string') text += block.text;
    else if (block.type === 'tool_use') {
      const { id, name, input } = block as { id: string; name: string; input: unknown };
      if (name === JSON_MODE_TOOL_NAME) text += JSON.stringify(input ?? {});
      else toolCalls.push({ id, type: 'function', function: { name, arguments: JSON.stringify(input ?? {}) } });
    }
    // thinking, redacted_thinking and server tool blocks have no OpenAI chat counterpart.
  }
  const counter = new AnthropicUsageCounter();
  counter.add(message.usage);
  return {
    completion: completionOf(context, text, toolCalls, anthropicFinishReason(message.stop_reason, toolCalls.length > 0)),
    usage: counter.usage(),
  };
}

/** HTTP statuses of Anthropic's error types, for errors that arrive inside a 200 stream. */
const STATUS_OF_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

export interface AnthropicErrorPayload {
  error?: { type?: unknown; message?: unknown };
}

/**
 * An Anthropic error as the gateway's kind. `status` is the HTTP status, or undefined for a
 * mid-stream `error` event (then the error type decides). Messages about the request are kept;
 * others get a generic message naming the error type.
 */
export function anthropicError(
  status: number | undefined,
  payload: AnthropicErrorPayload | undefined,
  retryAfterMs?: number,
): UpstreamError {
  const type = typeof payload?.error?.type === 'string' ? payload.error.type : undefined;
  const effective = status ?? STATUS_OF_TYPE[type ?? ''] ?? 500;
  const classified = kindForStatus(effective);
  // Billing (402) is the gateway's account, not the request: another target may still serve it.
  const kind = effective === 402 ? 'auth' : classified.kind;
  const { retryable } = classified;
  const detail = typeof payload?.error?.message === 'string' ? payload.error.message : undefined;
  let message: string;
  if (kind === 'bad_request' && detail) message = clip(detail);
  else if (kind === 'auth') message = `the provider refused the gateway's credentials (HTTP ${effective})`;
  else message = `Anthropic failed (HTTP ${effective}${type ? `, ${clip(type, 60)}` : ''})`;
  return { kind, status: effective, message, retryable, retryAfterMs };
}
