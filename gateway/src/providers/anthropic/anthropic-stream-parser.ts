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
import { finishChunk, textChunk, toolCallChunk } from '../chat-chunks';
import { JSON_MODE_TOOL_NAME } from '../json-mode-tool';
import type { ChatCompletionChunk } from '../openai-types';
import { SseDecoder, type SseEvent } from '../sse-decoder';
import { readJsonObject } from '../upstream-json';
import { type AnthropicContentBlock, type AnthropicErrorPayload, anthropicError, anthropicFinishReason, type AnthropicUsage, AnthropicUsageCounter } from './anthropic-response';

interface StreamEvent extends AnthropicErrorPayload {
  type?: string;
  index?: number;
  message?: { usage?: AnthropicUsage };
  content_block?: AnthropicContentBlock;
  delta?: { type?: string; text?: string; partial_json?: string; stop_reason?: string | null };
  usage?: AnthropicUsage;
}

/** What a content block turned into: a client tool call (its OpenAI index) or JSON-mode content. */
type BlockRole = { readonly tool: number } | { readonly json: true };

export class AnthropicStreamParser implements ChatStreamParser {
  private readonly decoder = new SseDecoder();
  private readonly blocks = new Map<number, BlockRole>();
  private readonly counter = new AnthropicUsageCounter();
  private toolCalls = 0;

  constructor(private readonly context: StreamContext) {}

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
          if (event.delta?.stop_reason) chunks.push(finishChunk(this.context, anthropicFinishReason(event.delta.stop_reason, this.toolCalls > 0)));
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
    if (name === JSON_MODE_TOOL_NAME) {
      this.blocks.set(event.index, { json: true });
      return;
    }
    const tool = this.toolCalls++;
    this.blocks.set(event.index, { tool });
    chunks.push(toolCallChunk(this.context, { index: tool, id, type: 'function', function: { name, arguments: '' } }));
  }

  private delta(event: StreamEvent, chunks: ChatCompletionChunk[]): void {
    const delta = event.delta;
    if (delta?.type === 'text_delta' && typeof delta.text === 'string' && delta.text.length > 0) chunks.push(textChunk(this.context, delta.text));
    if (delta?.type !== 'input_json_delta' || typeof delta.partial_json !== 'string' || delta.partial_json.length === 0) return;
    const role = this.blocks.get(event.index ?? -1);
    if (!role) return;
    if ('json' in role) chunks.push(textChunk(this.context, delta.partial_json));
    else chunks.push(toolCallChunk(this.context, { index: role.tool, function: { arguments: delta.partial_json } }));
  }
}
