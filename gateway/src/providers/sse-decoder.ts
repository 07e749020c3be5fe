/**
 * Incremental decoder of Server-Sent Events (the WHATWG `text/event-stream` format) for adapters
 * whose providers stream SSE (openai, anthropic). Bytes may be split anywhere, even inside a UTF-8
 * sequence or between `\r` and `\n`; events come out once their blank line has arrived.
 */
import { LineBytes } from './line-bytes';

export interface SseEvent {
  /** The `event:` field; empty when the event named none (the spec's "message"). */
  readonly event: string;
  /** The `data:` lines joined with `\n`. */
  readonly data: string;
}

export class SseDecoder {
  private readonly bytes = new LineBytes();
  private buffer = '';
  private data: string[] = [];
  private event = '';
  /** A `\r` ended the previous push; a `\n` starting the next one belongs to it. */
  private pendingCr = false;

  push(bytes: Uint8Array): SseEvent[] {
    const text = this.bytes.push(bytes);
    return text === undefined ? [] : this.consume(text);
  }

  /**
   * The end of the body. Unlike browsers, a last event missing its closing blank line is still
   * dispatched: a server that ends the body right after `data: ...` has said all it had to say.
   */
  end(): SseEvent[] {
    const events = this.consume(this.bytes.end());
    if (this.buffer.length > 0) {
      this.line(this.buffer, events);
      this.buffer = '';
    }
    this.line('', events);
    return events;
  }

  private consume(text: string): SseEvent[] {
    const events: SseEvent[] = [];
    let input = text;
    if (this.pendingCr && input.startsWith('\n')) input = input.slice(1);
    this.pendingCr = false;
    let buffer = this.buffer + input;
    let start = 0;
    // The next CR, found once and searched again only once passed: most streams have none, and
    // searching the rest of the buffer for one on every line made a push quadratic in its lines.
    let cr = buffer.indexOf('\r');
    for (;;) {
      const lf = buffer.indexOf('\n', start);
      if (cr !== -1 && cr < start) cr = buffer.indexOf('\r', start);
      let end: number;
      let next: number;
      if (cr !== -1 && (lf === -1 || cr < lf)) {
        end = cr;
        if (cr + 1 < buffer.length) next = buffer[cr + 1] === '\n' ? cr + 2 : cr + 1;
        else {
          next = cr + 1;
          this.pendingCr = true;
        }
      } else if (lf !== -1) {
        end = lf;
        next = lf + 1;
      } else break;
      this.line(buffer.slice(start, end), events);
      start = next;
    }
    buffer = buffer.slice(start);
    this.buffer = buffer;
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line.length === 0) {
      if (this.data.length > 0) events.push({ event: this.event, data: this.data.join('\n') });
      this.data = [];
      this.event = '';
      return;
    }
    if (line.charCodeAt(0) === 58 /* ':' comment */) return;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.charCodeAt(0) === 32) value = value.slice(1);
    if (field === 'data') this.data.push(value);
    else if (field === 'event') this.event = value;
    // `id` and `retry` only matter to reconnecting browsers; no provider stream relies on them.
  }
}
