/**
 * The tokens a request reserves against `tpm` before it goes upstream: its prompt, counted with
 * the tokenizer, plus what it may generate (`max_completion_tokens` or `max_tokens`, else the
 * configured `state.completionTokenReservation`, times `n`). Settlement later replaces the
 * reservation with the provider's usage.
 *
 * Prompt framing follows OpenAI's published counting recipe: 3 tokens per message, 1 more for a
 * name, 3 to prime the reply. Images count as a flat 765 tokens (a 1024x1024 image at high
 * detail; 85 at low detail); tool definitions and a JSON schema count as their JSON text.
 */
import type { ChatCompletionRequest, ContentPart, EmbeddingsRequest } from '../providers/openai-types';
import type { StageContext } from '../pipeline/stages';
import { CountBudget, type TokenCounter } from './token-counter';

const TOKENS_PER_MESSAGE = 3;
const TOKENS_PER_NAME = 1;
const REPLY_PRIMING_TOKENS = 3;
const IMAGE_TOKENS_HIGH = 765;
const IMAGE_TOKENS_LOW = 85;

export interface RequestTokens {
  readonly prompt: number;
  readonly completion: number;
}

/** Tokens to reserve for a chat or embeddings request (an /api/infer request reserves none). */
export function requestTokens(
  ctx: Pick<StageContext, 'operation' | 'body'>,
  counter: TokenCounter,
  completionReservation: number,
): RequestTokens {
  const budget = new CountBudget();
  if (ctx.operation === 'chat') return chatTokens(ctx.body as ChatCompletionRequest, counter, budget, completionReservation);
  if (ctx.operation === 'embeddings') return { prompt: embeddingsTokens(ctx.body as EmbeddingsRequest, counter, budget), completion: 0 };
  return { prompt: 0, completion: 0 };
}

function chatTokens(
  request: ChatCompletionRequest,
  counter: TokenCounter,
  budget: CountBudget,
  completionReservation: number,
): RequestTokens {
  let prompt = REPLY_PRIMING_TOKENS;
  for (const message of request.messages) {
    prompt += TOKENS_PER_MESSAGE;
    const { content } = message;
    if (typeof content === 'string') prompt += counter.count(content, budget);
    else if (Array.isArray(content)) for (const part of content) prompt += partTokens(part, counter, budget);
    if (typeof message.name === 'string') prompt += TOKENS_PER_NAME + counter.count(message.name, budget);
    for (const call of message.tool_calls ?? [])
      prompt += counter.count(call.function?.name ?? '', budget) + counter.count(call.function?.arguments ?? '', budget);
  }
  if (request.tools?.length) prompt += counter.count(JSON.stringify(request.tools), budget);
  const schema = request.response_format?.json_schema;
  if (schema) prompt += counter.count(JSON.stringify(schema), budget);
  const perChoice = request.max_completion_tokens ?? request.max_tokens ?? completionReservation;
  return { prompt, completion: perChoice * (request.n ?? 1) };
}

function partTokens(part: ContentPart, counter: TokenCounter, budget: CountBudget): number {
  if (part.type === 'text' && typeof part.text === 'string') return counter.count(part.text, budget);
  if (part.type === 'image_url')
    return (part as { image_url?: { detail?: string } }).image_url?.detail === 'low' ? IMAGE_TOKENS_LOW : IMAGE_TOKENS_HIGH;
  return 0;
}

function embeddingsTokens(request: EmbeddingsRequest, counter: TokenCounter, budget: CountBudget): number {
  const { input } = request;
  if (typeof input === 'string') return counter.count(input, budget);
  let tokens = 0;
  for (const item of input) {
    if (typeof item === 'string') tokens += counter.count(item, budget);
    else if (typeof item === 'number') tokens += 1;
    else tokens += item.length;
  }
  return tokens;
}
