/**
 * Ollama's streamed `/api/chat` (newline-delimited JSON) as OpenAI chunks: text as content deltas,
 * each tool call as one whole fragment under the next tool index, the last line (`done: true`) as
 * the finish chunk and the usage. An `{"error": ...}` line ends the stream with an error.
 */
import { type ChatStreamParser, type StreamContext, type TokenUsage, UpstreamStreamError } from '../contract';
import { finishChunk, textChunk, toolCallChunk } from '../chat-chunks';
import { NdjsonDecoder } from '../ndjson-decoder';
import type { ChatCompletionChunk } from '../openai-types';
import { readJsonObject } from '../upstream-json';
import { type OllamaChatResponse, ollamaError, ollamaFinishReason, ollamaToolCall, ollamaUsage } from './ollama-response';

/** Status assumed for an error line: the HTTP status (200) was sent before the failure. */
const MID_STREAM_ERROR_STATUS = 500;

export class OllamaStreamParser implements ChatStreamParser {
  private readonly decoder = new NdjsonDecoder();
  private toolCalls = 0;
  private lastUsage: TokenUsage | undefined;

  constructor(private readonly context: StreamContext) {}

  push(bytes: Uint8Array): ChatCompletionChunk[] {
    return this.translate(this.decoder.push(bytes));
  }

  end(): ChatCompletionChunk[] {
    return this.translate(this.decoder.end());
  }

  usage(): TokenUsage | undefined {
    return this.lastUsage;
  }

  private translate(lines: readonly string[]): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    for (const line of lines) {
      const event = readJsonObject<OllamaChatResponse>(line, 'a stream line');
      if (event.error !== undefined) throw new UpstreamStreamError(ollamaError(MID_STREAM_ERROR_STATUS, event.error));
      const message = event.message;
      if (typeof message?.content === 'string' && message.content.length > 0) chunks.push(textChunk(this.context, message.content));
      for (const call of message?.tool_calls ?? []) {
        const index = this.toolCalls++;
        chunks.push(toolCallChunk(this.context, { index, ...ollamaToolCall(this.context, call, index) }));
      }
      if (event.done) {
        this.lastUsage = ollamaUsage(event);
        chunks.push(finishChunk(this.context, ollamaFinishReason(event.done_reason, this.toolCalls > 0)));
      }
    }
    return chunks;
  }
}
