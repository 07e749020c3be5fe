/**
 * Converts between a streamed answer and a whole completion: `CompletionAssembler` folds chunks
 * into one completion (so a streamed answer can be cached), `completionToChunks` turns a
 * completion back into chunks (so a cached answer can be replayed as a stream).
 */
import type { ChatCompletion, ChatCompletionChunk, FinishReason, ToolCall } from '../providers/openai-types';
import type { StreamIdentity } from './chat-stream-writer';
import { ContentDelta } from '../providers/content-delta';
import type { StreamChunk } from '../providers/contract';

interface ChoiceDraft {
  content: string | null;
  refusal: string | null;
  toolCalls: ToolCall[];
  finishReason: FinishReason | null;
}

export class CompletionAssembler {
  private readonly choices = new Map<number, ChoiceDraft>();
  private systemFingerprint: string | null | undefined;

  add(chunks: readonly StreamChunk[]): void {
    for (const chunk of chunks) {
      if (chunk instanceof ContentDelta) {
        const draft = this.draft(0);
        draft.content = (draft.content ?? '') + chunk.content;
        continue;
      }
      if (chunk.system_fingerprint !== undefined) this.systemFingerprint = chunk.system_fingerprint;
      for (const choice of chunk.choices) {
        const draft = this.draft(choice.index);
        const delta = choice.delta ?? {};
        if (typeof delta.content === 'string') draft.content = (draft.content ?? '') + delta.content;
        if (typeof delta.refusal === 'string') draft.refusal = (draft.refusal ?? '') + delta.refusal;
        for (const call of delta.tool_calls ?? []) {
          const existing = draft.toolCalls[call.index];
          if (!existing)
            draft.toolCalls[call.index] = {
              id: call.id ?? '',
              type: 'function',
              function: { name: call.function?.name ?? '', arguments: call.function?.arguments ?? '' },
            };
          else existing.function.arguments += call.function?.arguments ?? '';
        }
        if (choice.finish_reason) draft.finishReason = choice.finish_reason;
      }
    }
  }

  private draft(index: number): ChoiceDraft {
    let draft = this.choices.get(index);
    if (!draft) {
      draft = { content: null, refusal: null, toolCalls: [], finishReason: null };
      this.choices.set(index, draft);
    }
    return draft;
  }

  completion(identity: StreamIdentity): ChatCompletion {
    const choices = [...this.choices.entries()]
      .sort(([a], [b]) => a - b)
      .map(([index, draft]) => {
        const toolCalls = draft.toolCalls.filter(Boolean);
        const message: ChatCompletion['choices'][number]['message'] = { role: 'assistant', content: draft.content, refusal: draft.refusal };
        if (toolCalls.length > 0) message.tool_calls = toolCalls;
        return { index, message, finish_reason: draft.finishReason, logprobs: null };
      });
    const completion: ChatCompletion = {
      id: identity.id,
      object: 'chat.completion',
      created: identity.created,
      model: identity.model,
      choices,
    };
    if (this.systemFingerprint !== undefined) completion.system_fingerprint = this.systemFingerprint;
    return completion;
  }
}

/** One chunk per choice with its whole content and tool calls, then the finish chunk. */
export function completionToChunks(completion: ChatCompletion, identity: StreamIdentity): ChatCompletionChunk[] {
  const base = { id: identity.id, object: 'chat.completion.chunk' as const, created: identity.created, model: identity.model };
  const chunks: ChatCompletionChunk[] = [];
  for (const choice of completion.choices) {
    const { message } = choice;
    const delta: ChatCompletionChunk['choices'][number]['delta'] = { role: 'assistant', content: message.content ?? '' };
    if (message.tool_calls?.length)
      delta.tool_calls = message.tool_calls.map((call, index) => ({
        index,
        id: call.id,
        type: 'function',
        function: { name: call.function.name, arguments: call.function.arguments },
      }));
    chunks.push({ ...base, choices: [{ index: choice.index, delta, finish_reason: null }] });
    chunks.push({ ...base, choices: [{ index: choice.index, delta: {}, finish_reason: choice.finish_reason ?? 'stop' }] });
  }
  return chunks;
}
