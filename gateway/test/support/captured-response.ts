/**
 * A stand-in for a ServerResponse that keeps what a stream writer sends: the status, the headers,
 * the body text, and the cork and end calls.
 */
export class CapturedResponse {
  out = '';
  status = 0;
  headers: Record<string, string> = {};
  ended = false;
  corks = 0;
  destroyed = false;
  get writableEnded() {
    return this.ended;
  }
  cork() {
    this.corks++;
  }
  uncork() {
    this.corks--;
  }
  /** Takes headers as Node does: an object, or a flat [name, value, ...] list. */
  writeHead(status: number, headers: Record<string, string> | string[]) {
    this.status = status;
    if (!Array.isArray(headers)) this.headers = headers;
    else for (let i = 0; i < headers.length; i += 2) this.headers[headers[i]] = headers[i + 1];
  }
  write(text: string) {
    this.out += text;
    return true;
  }
  end(text?: string) {
    if (text) this.out += text;
    this.ended = true;
    this.corks = 0;
  }
  on() {}
  off() {}
  frames(): Array<Record<string, unknown> | '[DONE]'> {
    return this.out
      .split('\n\n')
      .filter(Boolean)
      .map((f) => (f === 'data: [DONE]' ? '[DONE]' : JSON.parse(f.slice(6))));
  }
}
