/** OpenAI `usage` objects to and from the gateway's TokenUsage. */
import type { TokenUsage } from '../contract';
import type { OpenAIUsage } from '../openai-types';

export function fromOpenAIUsage(usage: OpenAIUsage): TokenUsage {
  const result: TokenUsage = { inputTokens: usage.prompt_tokens ?? 0, outputTokens: usage.completion_tokens ?? 0 };
  const cached = usage.prompt_tokens_details?.cached_tokens;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens;
  if (cached) result.cachedInputTokens = cached;
  if (reasoning) result.reasoningTokens = reasoning;
  return result;
}

export function toOpenAIUsage(usage: TokenUsage): OpenAIUsage {
  const result: OpenAIUsage = {
    prompt_tokens: usage.inputTokens,
    completion_tokens: usage.outputTokens,
    total_tokens: usage.inputTokens + usage.outputTokens,
  };
  if (usage.cachedInputTokens !== undefined) result.prompt_tokens_details = { cached_tokens: usage.cachedInputTokens };
  if (usage.reasoningTokens !== undefined) result.completion_tokens_details = { reasoning_tokens: usage.reasoningTokens };
  return result;
}
