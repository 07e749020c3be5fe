/**
 * Reading Bedrock Converse answers: stop reasons as OpenAI finish reasons, usage (cache reads and
 * writes are counted apart from `inputTokens`; OpenAI's prompt tokens include them), whole
 * answers as completions, and errors as the gateway's kinds. Errors come as an HTTP status with
 * `x-amzn-errortype` and a `{"message"}` body, or, inside a stream, as an exception message whose
 * `:exception-type` header names the error (`throttlingException`...).
 */
import type { StreamContext, TokenUsage, UpstreamError } from '../contract';
import { completionOf } from '../chat-chunks';
import { JSON_MODE_TOOL_NAME } from '../json-mode-tool';
import type { ChatCompletion, FinishReason, ToolCall } from '../openai-types';
import { clip, kindForStatus } from '../upstream-errors';

export interface BedrockUsage {
  inputTokens?: number;
  outputTokens?: number;
  cacheReadInputTokens?: number;
  cacheWriteInputTokens?: number;
}

export interface BedrockConverseResponse {
  output?: { message?: { content?: Array<{ text?: string; toolUse?: { toolUseId: string; name: string; input: unknown } }> } };
  stopReason?: string;
  usage?: BedrockUsage;
}

const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
  model_context_window_exceeded: 'length',
  tool_use: 'tool_calls',
  guardrail_intervened: 'content_filter',
  content_filtered: 'content_filter',
};

/** The finish reason; a `tool_use` stop that only answered through the JSON-mode tool is `stop`. */
export function bedrockFinishReason(stopReason: string | undefined, calledClientTools: boolean): FinishReason {
  const reason = FINISH_REASONS[stopReason ?? ''] ?? 'stop';
  return reason === 'tool_calls' && !calledClientTools ? 'stop' : reason;
}

export function bedrockUsage(usage: BedrockUsage | undefined): TokenUsage | undefined {
  if (!usage) return undefined;
  const cacheRead = usage.cacheReadInputTokens ?? 0;
  const result: TokenUsage = {
    inputTokens: (usage.inputTokens ?? 0) + cacheRead + (usage.cacheWriteInputTokens ?? 0),
    outputTokens: usage.outputTokens ?? 0,
  };
  if (cacheRead > 0) result.cachedInputTokens = cacheRead;
  return result;
}

export function bedrockCompletion(
  response: BedrockConverseResponse,
  context: StreamContext,
): { completion: ChatCompletion; usage: TokenUsage } {
  let text = '';
  const toolCalls: ToolCall[] = [];
  for (const block of response.output?.message?.content ?? []) {
    if (typeof block.text === 'string') text += block.text;
    else if (block.toolUse) {
      const { toolUseId, name, input } = block.toolUse;
      if (name === JSON_MODE_TOOL_NAME) text += JSON.stringify(input ?? {});
      else toolCalls.push({ id: toolUseId, type: 'function', function: { name, arguments: JSON.stringify(input ?? {}) } });
    }
    // reasoningContent, citations and guard content have no OpenAI chat counterpart.
  }
  return {
    completion: completionOf(context, text, toolCalls, bedrockFinishReason(response.stopReason, toolCalls.length > 0)),
    usage: bedrockUsage(response.usage) ?? { inputTokens: 0, outputTokens: 0 },
  };
}

/** HTTP statuses of the exceptions ConverseStream sends inside a 200 stream (API reference). */
const STATUS_OF_EXCEPTION: Readonly<Record<string, number>> = {
  validationException: 400,
  modelTimeoutException: 408,
  throttlingException: 429,
  modelStreamErrorException: 424,
  internalServerException: 500,
  serviceUnavailableException: 503,
};

/** The error type from `x-amzn-errortype` (`ThrottlingException:http://...`) or an exception header. */
export function errorTypeOf(header: string | string[] | undefined): string | undefined {
  const value = Array.isArray(header) ? header[0] : header;
  return value ? value.split(':')[0] : undefined;
}

/**
 * A Bedrock error as the gateway's kind. `status` is the HTTP status, or undefined for an
 * exception inside a stream (then its type decides). A model that failed (ModelErrorException,
 * HTTP 424) may succeed on another attempt; validation messages are kept, others made generic.
 */
export function bedrockError(status: number | undefined, type: string | undefined, detail: unknown, retryAfterMs?: number): UpstreamError {
  const lowered = type ? type.charAt(0).toLowerCase() + type.slice(1) : '';
  const effective = status ?? STATUS_OF_EXCEPTION[lowered] ?? 500;
  const classified = kindForStatus(effective);
  const modelFailed = effective === 424;
  const kind = modelFailed ? 'server_error' : classified.kind;
  const retryable = modelFailed || classified.retryable;
  let message: string;
  if (kind === 'bad_request' && typeof detail === 'string' && detail.length > 0) message = clip(detail);
  else if (kind === 'auth') message = `the provider refused the gateway's credentials (HTTP ${effective})`;
  else message = `Bedrock failed (HTTP ${effective}${type ? `, ${clip(type, 60)}` : ''})`;
  return { kind, status: effective, message, retryable, retryAfterMs };
}
