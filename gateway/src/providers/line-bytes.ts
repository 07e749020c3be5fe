/**
 * Turns body bytes into text whole lines at a time, without a decoder's state: a line break byte
 * (LF or CR) never occurs inside a UTF-8 sequence, so the bytes up to the last break in hand decode
 * on their own (Buffer's native UTF-8 decoding: malformed bytes become U+FFFD, as with
 * TextDecoder, whose per-stream ICU converter cost more than the rest of the decoding here). Bytes
 * after the last break wait for the next push or the end. A byte order mark opening the body is
 * dropped, as the SSE spec's UTF-8 decode does.
 */
export class LineBytes {
  private waiting: Buffer[] = [];
  private started = false;

  constructor(private readonly breaks: 'lf' | 'cr-lf' = 'cr-lf') {}

  /** The text up to the last line break so far (undefined: none in hand yet). */
  push(bytes: Uint8Array): string | undefined {
    const part = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const cut = this.lastBreak(part) + 1;
    if (cut === 0) {
      // Copied: the caller may reuse its chunk's memory.
      this.waiting.push(Buffer.from(part));
      return undefined;
    }
    let text: string;
    if (this.waiting.length > 0) {
      text = this.text(Buffer.concat([...this.waiting, part.subarray(0, cut)]));
      this.waiting = [];
    } else text = this.text(part, cut); // the usual case: decoded in place, no view made
    if (cut < part.length) this.waiting.push(Buffer.from(part.subarray(cut)));
    return text;
  }

  /** The rest of the body's text (its last line had no break). */
  end(): string {
    const rest = this.waiting.length === 0 ? '' : this.text(Buffer.concat(this.waiting));
    this.waiting = [];
    return rest;
  }

  private lastBreak(part: Buffer): number {
    // A stream's pieces mostly end with a line break: then no search.
    const last = part.length - 1;
    const end = part[last];
    if (end === 10 || (end === 13 && this.breaks === 'cr-lf')) return last;
    const lf = part.lastIndexOf(10);
    return this.breaks === 'lf' ? lf : Math.max(lf, part.lastIndexOf(13));
  }

  private text(bytes: Buffer, end = bytes.length): string {
    const text = bytes.toString('utf8', 0, end);
    if (this.started) return text;
    this.started = true;
    return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  }
}
