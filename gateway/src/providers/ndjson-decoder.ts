/**
 * Incremental decoder of newline-delimited JSON (Ollama's streams): bytes may be split anywhere,
 * even inside a UTF-8 sequence; each complete line comes out as its text. Blank lines are skipped;
 * a last line without its newline is still returned at the end of the body.
 */
import { LineBytes } from './line-bytes';

export class NdjsonDecoder {
  private readonly bytes = new LineBytes('lf');
  private buffer = '';

  push(bytes: Uint8Array): string[] {
    const text = this.bytes.push(bytes);
    return text === undefined ? [] : this.lines(text, false);
  }

  end(): string[] {
    return this.lines(this.bytes.end(), true);
  }

  private lines(text: string, final: boolean): string[] {
    this.buffer += text;
    const parts = this.buffer.split('\n');
    this.buffer = final ? '' : (parts.pop() ?? '');
    return parts.map((line) => line.trim()).filter((line) => line.length > 0);
  }
}
