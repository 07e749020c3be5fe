/**
 * Writes OpenAI chat chunks as SSE and enforces the streaming rules for every adapter at once:
 * - the first chunk of each choice carries `role: "assistant"`;
 * - tool calls are deltas keyed by index: id, type and name on a call's first fragment only (an id
 *   is made up when the provider gave none);
 * - the chunk carrying a `finish_reason` is the last one with choices (held until the end);
 * - with `include_usage`, exactly one usage chunk with empty `choices` precedes `data: [DONE]`,
 *   and none otherwise; chunks never carry usage themselves;
 * - an error after the headers becomes one error frame, then the stream ends (no [DONE]).
 * A chunk these rules left as it came, whose upstream text is known (`providers/chunk-tail.ts`),
 * goes out as that text under the gateway's identity instead of being serialised again; so does a
 * held finish chunk that was one whole upstream chunk, and the usage chunk is written from the
 * identity's prefix. A text delta the parser kept as text (`providers/content-delta.ts`) goes out
 * the same way once its choice's role has gone out; before that it is parsed and takes the rules.
 */
import { randomBytes } from 'node:crypto';
import type { ServerResponse } from 'node:http';
import type { GatewayError } from '../errors/gateway-error';
import { identityPrefix, type TailedChunk, tailedText } from '../providers/chunk-tail';
import { ContentDelta } from '../providers/content-delta';
import type { StreamChunk } from '../providers/contract';
import type { ChatCompletionChunk, OpenAIUsage } from '../providers/openai-types';
import { headerList } from './respond';
import { corkUntilTurnEnd, endAtTurnEnd } from './turn-end-writes';

export interface StreamIdentity {
  readonly id: string;
  readonly created: number;
  readonly model: string;
}

type Choice = ChatCompletionChunk['choices'][number];

const SSE_HEADERS = { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', 'x-accel-buffering': 'no' } as const;

export class ChatStreamWriter {
  private started = false;
  private ended = false;
  private readonly roleSent = new Set<number>();
  private readonly toolCallsSeen = new Set<string>();
  private held: Choice[] = [];
  /** The chunk that carried the last finish_reason: its other fields go out with the held choices. */
  private heldFrom: TailedChunk | undefined;
  /** The held choices are all of `heldFrom`'s, which the rules left as it came: its tail applies. */
  private heldIntact = false;
  /** Chunks written with choices (for time-to-first-token and output estimates). */
  chunksWritten = 0;
  /** Characters of content and tool arguments written (for output estimates). */
  charsWritten = 0;
  /** normalise() left the chunk it returned exactly as it came. */
  private intact = false;
  private prefix: string | undefined;

  constructor(
    private readonly res: ServerResponse,
    private readonly identity: StreamIdentity,
    private readonly includeUsage: boolean,
  ) {}

  get headersSent(): boolean {
    return this.started;
  }

  /** Sends the 200 status and SSE headers (once), plus any gateway headers. */
  start(headers: Readonly<Record<string, string>>): void {
    if (this.started) return;
    this.started = true;
    this.res.writeHead(200, headerList(headers, SSE_HEADERS));
  }

  /** Writes chunks after applying the rules; resolves when the socket can take more (backpressure). */
  write(chunks: readonly StreamChunk[]): Promise<void> | undefined {
    if (this.ended || chunks.length === 0) return undefined;
    let out = '';
    for (const item of chunks) {
      let chunk: TailedChunk;
      if (item instanceof ContentDelta) {
        // Text for a choice whose role went out: the rules leave it as it came.
        if (this.roleSent.has(0)) {
          this.charsWritten += item.content.length;
          this.chunksWritten++;
          out += `data: ${this.identityPrefix()}${item.tail}\n\n`;
          continue;
        }
        chunk = item.toChunk(this.identityPrefix());
      } else chunk = item;
      const ready = this.normalise(chunk);
      if (!ready) continue;
      const text = this.intact ? tailedText(ready, this.identity, this.identityPrefix()) : undefined;
      out += `data: ${text ?? JSON.stringify(ready)}\n\n`;
    }
    if (out.length === 0) return undefined;
    corkUntilTurnEnd(this.res);
    if (this.res.write(out)) return undefined;
    return new Promise((resolve) => {
      const done = () => {
        this.res.off('drain', done);
        this.res.off('close', done);
        resolve();
      };
      this.res.on('drain', done);
      this.res.on('close', done);
    });
  }

  /** Ends a successful stream: held finish chunk, the usage chunk when asked for, [DONE]. */
  finish(usage: OpenAIUsage | undefined): void {
    if (this.ended) return;
    this.ended = true;
    let out = '';
    if (this.held.length > 0) {
      const text = this.heldIntact ? tailedText(this.heldFrom!, this.identity, this.identityPrefix()) : undefined;
      out += `data: ${text ?? JSON.stringify({ ...this.heldFrom, choices: this.held })}\n\n`;
    }
    // `{ id, object, created, model, choices: [], usage }` as JSON.stringify writes it.
    if (this.includeUsage)
      out += `data: ${this.identityPrefix()}"choices":[],"usage":${JSON.stringify(usage ?? { prompt_tokens: 0, completion_tokens: 0, total_tokens: 0 })}}\n\n`;
    endAtTurnEnd(this.res, `${out}data: [DONE]\n\n`);
  }

  /** Ends the stream with an error frame in the OpenAI error shape. */
  fail(error: GatewayError): void {
    if (this.ended) return;
    this.ended = true;
    endAtTurnEnd(this.res, `data: ${JSON.stringify(error.toBody())}\n\n`);
  }

  /** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,` for this stream, made once. */
  private identityPrefix(): string {
    return (this.prefix ??= identityPrefix(this.identity.id, this.identity.created, this.identity.model));
  }

  /** Applies the rules to one chunk; returns what to send now (undefined: nothing). */
  private normalise(chunk: TailedChunk): TailedChunk | undefined {
    let intact = true;
    if (chunk.usage !== undefined) {
      chunk.usage = undefined;
      intact = false;
    }
    const choices = chunk.choices;
    if (!Array.isArray(choices) || choices.length === 0) return undefined;
    const heldBefore = this.held.length;
    let kept: Choice[] | undefined;
    for (let i = 0; i < choices.length; i++) {
      const choice = choices[i];
      let delta = choice.delta;
      if (delta === undefined || delta === null) {
        delta = choice.delta = {};
        intact = false;
      }
      if (!this.roleSent.has(choice.index)) {
        this.roleSent.add(choice.index);
        if (delta.role !== 'assistant') {
          delta.role = 'assistant';
          intact = false;
        }
      } else if (delta.role !== undefined) {
        delete delta.role;
        intact = false;
      }
      if (typeof delta.content === 'string') this.charsWritten += delta.content.length;
      if (delta.tool_calls) {
        this.normaliseToolCalls(choice.index, delta);
        intact = false;
      }
      if (choice.finish_reason !== null && choice.finish_reason !== undefined) {
        this.held.push(choice);
        this.heldFrom = chunk;
        if (!kept) kept = choices.slice(0, i);
      } else if (kept) kept.push(choice);
    }
    if (this.held.length > heldBefore) this.heldIntact = intact && heldBefore === 0 && this.held.length === choices.length;
    const out = kept ?? choices;
    if (out.length === 0) return undefined;
    this.intact = intact && !kept;
    if (kept) return { ...chunk, choices: kept };
    this.chunksWritten++;
    return chunk;
  }

  private normaliseToolCalls(choiceIndex: number, delta: Choice['delta']): void {
    for (const call of delta.tool_calls ?? []) {
      const key = `${choiceIndex}:${call.index}`;
      if (call.function?.arguments) this.charsWritten += call.function.arguments.length;
      if (!this.toolCallsSeen.has(key)) {
        this.toolCallsSeen.add(key);
        call.id ??= `call_${randomBytes(12).toString('base64url')}`;
        call.type = 'function';
        continue;
      }
      delete call.id;
      delete call.type;
      if (call.function) delete call.function.name;
    }
  }
}
