/**
 * Building OpenAI chat answers for adapters that translate another format (ollama, anthropic,
 * bedrock): one chunk per piece of news (text, a tool call's fragment, the finish reason) and whole
 * completions, stamped with the gateway's id, created time and model name.
 */
import type { StreamContext } from './contract';
import type { ChatCompletion, ChatCompletionChunk, FinishReason, ToolCall, ToolCallDelta } from './openai-types';

type Delta = ChatCompletionChunk['choices'][number]['delta'];

export function chunkOf(context: StreamContext, delta: Delta, finishReason: FinishReason | null = null): ChatCompletionChunk {
  return {
    id: context.id,
    object: 'chat.completion.chunk',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, delta, finish_reason: finishReason }],
  };
}

export const textChunk = (context: StreamContext, text: string): ChatCompletionChunk => chunkOf(context, { content: text });

export const toolCallChunk = (context: StreamContext, call: ToolCallDelta): ChatCompletionChunk => chunkOf(context, { tool_calls: [call] });

export const finishChunk = (context: StreamContext, reason: FinishReason): ChatCompletionChunk => chunkOf(context, {}, reason);

/** A whole completion with one choice; content is null when the model only called tools. */
export function completionOf(context: StreamContext, text: string, toolCalls: ToolCall[], finishReason: FinishReason): ChatCompletion {
  const message: ChatCompletion['choices'][number]['message'] = {
    role: 'assistant',
    content: text.length > 0 || toolCalls.length === 0 ? text : null,
    refusal: null,
  };
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  return {
    id: context.id,
    object: 'chat.completion',
    created: context.created,
    model: context.model,
    choices: [{ index: 0, message, finish_reason: finishReason, logprobs: null }],
  };
}
