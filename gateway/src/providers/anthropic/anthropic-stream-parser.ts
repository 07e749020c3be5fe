/**
 * Anthropic's Messages stream (SSE) as OpenAI chunks:
 * - `message_start` carries input and cache token counts (no chunk: a failure before the first
 *   content can still fall back to another target);
 * - `content_block_start` of a `tool_use` block opens an OpenAI tool call under the next tool
 *   index (Anthropic's block index counts text blocks too) with its id and name; its
 *   `input_json_delta`s follow as argument fragments without them;
 * - `text_delta`s are content; the JSON-mode tool's input is content too;
 * - `message_delta` carries the stop reason (the finish chunk) and cumulative usage;
 * - `ping`, `content_block_stop`, `message_stop`, thinking and unknown events add nothing;
 * - an `error` event throws, becoming the gateway's error frame.
 */
import { type ChatStreamParser, type StreamContext, type TokenUsage, UpstreamStreamError } from '../contract';
import { finishChunk, textChunk } from '../chat-chunks';
import type { ChatCompletionChunk } from '../openai-types';
import { SseDecoder, type SseEvent } from '../sse-decoder';
import { ToolCallBlocks } from '../tool-call-blocks';
import { readJsonObject } from '../upstream-json';
import {
  type AnthropicContentBlock,
  type AnthropicErrorPayload,
  anthropicError,
  anthropicFinishReason,
  type AnthropicUsage,
  AnthropicUsageCounter,
} from './anthropic-response';

interface StreamEvent extends AnthropicErrorPayload {
  type?: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: AnthropicContentBlock;
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
}

export class AnthropicStreamParser implements ChatStreamParser {
  private readonly decoder = new SseDecoder();
  private readonly counter = new AnthropicUsageCounter();
  private readonly tools: ToolCallBlocks;

  constructor(private readonly context: StreamContext) {
    this.tools = new ToolCallBlocks(context);
  }

  push(bytes: Uint8Array): ChatCompletionChunk[] {
    return this.translate(this.decoder.push(bytes));
  }

  end(): ChatCompletionChunk[] {
    return this.translate(this.decoder.end());
  }

  usage(): TokenUsage | undefined {
    return this.counter.seen ? this.counter.usage() : undefined;
  }

  private translate(events: readonly SseEvent[]): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    for (const { data } of events) {
      const event = readJsonObject<StreamEvent>(data, 'a stream event');
      switch (event.type) {
        case 'message_start':
          this.counter.add(event.message?.usage);
          break;
        case 'content_block_start':
          this.startBlock(event, chunks);
          break;
        case 'content_block_delta':
          this.delta(event, chunks);
          break;
        case 'message_delta':
          this.counter.add(event.usage);
          if (event.delta?.stop_reason)
            chunks.push(finishChunk(this.context, anthropicFinishReason(event.delta.stop_reason, this.tools.calledTools)));
          break;
        case 'error':
          throw new UpstreamStreamError(anthropicError(undefined, event));
        default:
        // ping, content_block_stop, message_stop, and event types added after this was written.
      }
    }
    return chunks;
  }

  private startBlock(event: StreamEvent, chunks: ChatCompletionChunk[]): void {
    const block = event.content_block;
    if (block?.type === 'text' && typeof block.text === 'string' && block.text.length > 0) chunks.push(textChunk(this.context, block.text));
    if (block?.type !== 'tool_use' || typeof event.index !== 'number') return;
    const { id, name } = block as { id: string; name: string };
    const opened = this.tools.open(event.index, id, name);
    if (opened) chunks.push(opened);
  }

  private delta(event: StreamEvent, chunks: ChatCompletionChunk[]): void {
    const delta = event.delta;
    if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text.length > 0)
      chunks.push(textChunk(this.context, delta.text));
    if (delta?.type !== 'input_json_delta' || typeof delta.partial_json !== 'string') return;
    const fragment = this.tools.fragment(event.index ?? -1, delta.partial_json);
    if (fragment) chunks.push(fragment);
  }
}
