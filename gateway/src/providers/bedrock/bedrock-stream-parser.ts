/**
 * Bedrock's ConverseStream (AWS event stream, binary) as OpenAI chunks. The body is split into
 * messages by the AWS SDK's chunker (`frames`) and each message decoded by the AWS codec
 * (`event-stream-decoder.ts`); `push` takes one whole message. Each event message names
 * its type in `:event-type`; its JSON payload is the event itself:
 * - `contentBlockStart` with `start.toolUse` opens an OpenAI tool call under the next tool index
 *   (`contentBlockIndex` counts text blocks too) with its id and name;
 * - `contentBlockDelta`: `delta.text` is content, `delta.toolUse.input` an argument fragment (or,
 *   for the JSON-mode tool, content);
 * - `messageStop` carries the stop reason (the finish chunk);
 * - `metadata`, after `messageStop`, carries the usage;
 * - `messageStart`, `contentBlockStop`, reasoning deltas and unknown events add nothing;
 * - an exception message (`:message-type: exception`) or error message throws.
 */
import { type ChatStreamParser, type StreamContext, type TokenUsage, UpstreamStreamError } from '../contract';
import { finishChunk, textChunk } from '../chat-chunks';
import type { ChatCompletionChunk } from '../openai-types';
import { ToolCallBlocks } from '../tool-call-blocks';
import { readJsonObject } from '../upstream-json';
import { bedrockError, bedrockFinishReason, type BedrockUsage, bedrockUsage } from './bedrock-response';
import { decodeEventStreamMessage, eventStreamMessages, type EventStreamMessage } from './event-stream-decoder';

interface StreamEvent {
  contentBlockIndex?: number;
  start?: { toolUse?: { toolUseId?: string; name?: string } };
  delta?: { text?: string; toolUse?: { input?: string } };
  stopReason?: string;
  usage?: BedrockUsage;
  message?: string;
  Message?: string;
}

function header(message: EventStreamMessage, name: string): string | undefined {
  const value = message.headers[name]?.value;
  return typeof value === 'string' ? value : undefined;
}

export class BedrockStreamParser implements ChatStreamParser {
  private readonly text = new TextDecoder('utf-8');
  private readonly tools: ToolCallBlocks;
  private lastUsage: TokenUsage | undefined;

  constructor(private readonly context: StreamContext) {
    this.tools = new ToolCallBlocks(context);
  }

  frames(body: AsyncIterable<Uint8Array>): AsyncIterable<Uint8Array> {
    return eventStreamMessages(body);
  }

  push(message: Uint8Array): ChatCompletionChunk[] {
    return this.translate(decodeEventStreamMessage(message));
  }

  /** A body cut inside a message already failed in `frames`. */
  end(): ChatCompletionChunk[] {
    return [];
  }

  usage(): TokenUsage | undefined {
    return this.lastUsage;
  }

  private translate(message: EventStreamMessage): ChatCompletionChunk[] {
    const chunks: ChatCompletionChunk[] = [];
    const messageType = header(message, ':message-type') ?? 'event';
    const payload = message.body.length > 0 ? this.text.decode(message.body) : '{}';
    if (messageType === 'exception') {
      const event = readJsonObject<StreamEvent>(payload, 'a stream exception');
      throw new UpstreamStreamError(bedrockError(undefined, header(message, ':exception-type'), event.message ?? event.Message));
    }
    if (messageType === 'error')
      throw new UpstreamStreamError(bedrockError(undefined, header(message, ':error-code'), header(message, ':error-message')));
    const event = readJsonObject<StreamEvent>(payload, 'a stream event');
    switch (header(message, ':event-type')) {
      case 'contentBlockStart':
        this.startBlock(event, chunks);
        break;
      case 'contentBlockDelta':
        this.delta(event, chunks);
        break;
      case 'messageStop':
        chunks.push(finishChunk(this.context, bedrockFinishReason(event.stopReason, this.tools.calledTools)));
        break;
      case 'metadata':
        this.lastUsage = bedrockUsage(event.usage) ?? this.lastUsage;
        break;
      default:
      // messageStart, contentBlockStop, and event types added after this was written.
    }
    return chunks;
  }

  private startBlock(event: StreamEvent, chunks: ChatCompletionChunk[]): void {
    const toolUse = event.start?.toolUse;
    if (!toolUse || typeof event.contentBlockIndex !== 'number') return;
    const opened = this.tools.open(event.contentBlockIndex, toolUse.toolUseId, toolUse.name);
    if (opened) chunks.push(opened);
  }

  private delta(event: StreamEvent, chunks: ChatCompletionChunk[]): void {
    const delta = event.delta;
    if (typeof delta?.text === 'string' && delta.text.length > 0) chunks.push(textChunk(this.context, delta.text));
    const input = delta?.toolUse?.input;
    const fragment = typeof input === 'string' ? this.tools.fragment(event.contentBlockIndex ?? -1, input) : undefined;
    if (fragment) chunks.push(fragment);
  }
}
