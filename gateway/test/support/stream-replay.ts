/**
 * Replays an upstream stream body through an adapter's stream parser, whole or split at random
 * byte boundaries, and folds the chunks it returns into what a client would assemble: the text,
 * the tool calls by index, the finish reason, and how each tool call's fragments were shaped.
 */
import { ContentDelta } from '../../src/providers/content-delta';
import type { ChatStreamParser, StreamChunk } from '../../src/providers/contract';
import type { FinishReason } from '../../src/providers/openai-types';
import { splitAtRandom } from './fake-upstream';

export const FIXTURES_DIR = `${__dirname}/../fixtures`;

/** Feeds `body` to the parser in pieces (one piece when no random source is given). */
export function replayStream(parser: ChatStreamParser, body: Uint8Array, random?: () => number, maxPiece = 17): StreamChunk[] {
  const pieces = random ? splitAtRandom(Buffer.from(body), random, maxPiece) : [body];
  const chunks: StreamChunk[] = [];
  for (const piece of pieces) chunks.push(...parser.push(piece));
  chunks.push(...parser.end());
  return chunks;
}

/**
 * Feeds `body` to the parser as the gateway does: the pieces (one when no random source is given)
 * arrive as an async body, go through the parser's `frames` when it has one, and each piece that
 * comes out is pushed. For parsers whose framing a library splits asynchronously (bedrock).
 */
export async function replayBody(parser: ChatStreamParser, body: Uint8Array, random?: () => number, maxPiece = 17): Promise<StreamChunk[]> {
  const pieces = random ? splitAtRandom(Buffer.from(body), random, maxPiece) : [body];
  async function* source(): AsyncGenerator<Uint8Array> {
    for (const piece of pieces) yield piece;
  }
  const chunks: StreamChunk[] = [];
  for await (const piece of parser.frames ? parser.frames(source()) : source()) chunks.push(...parser.push(piece));
  chunks.push(...parser.end());
  return chunks;
}

export interface AssembledToolCall {
  id: string | undefined;
  name: string | undefined;
  arguments: string;
  /** Fragments after the first that repeated id, type or name (must be 0). */
  repeatedIdentity: number;
}

export interface AssembledStream {
  content: string;
  toolCalls: AssembledToolCall[];
  finishReasons: FinishReason[];
  /** Whether any chunk after the one with a finish_reason carried choices. */
  choicesAfterFinish: boolean;
}

export function assemble(chunks: readonly StreamChunk[]): AssembledStream {
  const out: AssembledStream = { content: '', toolCalls: [], finishReasons: [], choicesAfterFinish: false };
  for (const chunk of chunks) {
    if (chunk instanceof ContentDelta) {
      if (out.finishReasons.length > 0) out.choicesAfterFinish = true;
      out.content += chunk.content;
      continue;
    }
    for (const choice of chunk.choices) {
      if (out.finishReasons.length > 0) out.choicesAfterFinish = true;
      const delta = choice.delta ?? {};
      if (typeof delta.content === 'string') out.content += delta.content;
      for (const call of delta.tool_calls ?? []) {
        const existing = out.toolCalls[call.index];
        if (!existing)
          out.toolCalls[call.index] = {
            id: call.id,
            name: call.function?.name,
            arguments: call.function?.arguments ?? '',
            repeatedIdentity: 0,
          };
        else {
          existing.arguments += call.function?.arguments ?? '';
          if (call.id !== undefined || call.type !== undefined || call.function?.name !== undefined) existing.repeatedIdentity++;
        }
      }
      if (choice.finish_reason) out.finishReasons.push(choice.finish_reason);
    }
  }
  return out;
}
