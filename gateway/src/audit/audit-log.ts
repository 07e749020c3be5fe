/**
 * One JSON line per API request (model calls here, the rest through access-record.ts; probes
 * write none): ids, key, tenant, model, target, classification and reasons, tokens, cost,
 * latency, status. Never prompt or completion content, never keys.
 *
 * Lines are batched: written `audit.flushMs` after the first one waiting (10 ms by default; 0 writes
 * once per event-loop turn), or at once when 64 KiB are waiting, on shutdown and at process exit
 * (an uncaught exception included). Under load that is one write per ~100 requests instead of one
 * per request: the write itself (a syscall, ~6 % of a request's CPU at 10 connections when written
 * every turn) was the largest cost of the audit log. What a kill -9 or an OOM kill can lose is at
 * most one window of lines (Envoy's file access log buffers for 1 s by default).
 */
import type { LineSink } from '../log/logger';

export interface AuditRecord {
  readonly time: string;
  readonly request_id: string;
  /** `chat`, `embeddings`, `infer`; `models`, `providers`, `spend`; `none` for a request no route serves. */
  readonly operation: string;
  readonly method: string;
  /** The route's path (no query string); null for a 404. */
  readonly path: string | null;
  readonly key_id: string | null;
  readonly tenant: string | null;
  readonly model: string | null;
  readonly provider: string | null;
  readonly target_model: string | null;
  readonly data_class: string | null;
  readonly reasons: readonly string[];
  readonly status: number;
  readonly error_code: string | null;
  readonly stream: boolean;
  readonly cache_hit: boolean;
  readonly input_tokens: number;
  readonly output_tokens: number;
  readonly usage_estimated: boolean;
  readonly cost_usd: number;
  readonly latency_ms: number;
  readonly ttft_ms: number | null;
  readonly overhead_ms: number;
  readonly attempts: number;
}

let isoSecond = NaN;
let isoPrefix = '';

/**
 * `new Date(ms).toISOString()`, with the part up to the second formatted once per second
 * (formatting a Date was ~1 % of a request's CPU under load).
 */
export function isoTime(time: number): string {
  const ms = Math.floor(time);
  const second = Math.floor(ms / 1000);
  if (second !== isoSecond) {
    isoSecond = second;
    isoPrefix = new Date(second * 1000).toISOString().slice(0, 20); // 2026-12-02T13:04:29.
  }
  const millis = ms - second * 1000;
  return `${isoPrefix}${millis < 10 ? '00' : millis < 100 ? '0' : ''}${millis}Z`;
}

/** `audit.flushMs` when the config names none. */
export const DEFAULT_AUDIT_FLUSH_MS = 10;
/** Lines waiting past this many characters are written at once, whatever the window. */
export const AUDIT_FLUSH_CHARS = 64 * 1024;

export class AuditLog {
  private pending: string[] = [];
  private pendingChars = 0;
  private scheduled = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly flushNow = () => this.flush();

  /**
   * `sink` undefined: audit off. `flushMs`: how long the first line waiting may wait for others
   * (0: until the end of the event-loop turn).
   */
  constructor(
    private readonly sink: LineSink | undefined,
    private readonly flushMs = DEFAULT_AUDIT_FLUSH_MS,
  ) {}

  write(record: AuditRecord): void {
    if (!this.sink) return;
    const line = JSON.stringify(record);
    this.pending.push(line);
    this.pendingChars += line.length + 1;
    if (this.pendingChars >= AUDIT_FLUSH_CHARS) this.flush();
    else if (!this.scheduled) {
      this.scheduled = true;
      if (this.flushMs === 0) setImmediate(this.flushNow);
      else {
        // Unref'd: a waiting line never keeps the process alive; the exit handler writes it.
        this.timer = setTimeout(this.flushNow, this.flushMs);
        this.timer.unref();
      }
    }
  }

  /** Writes every line waiting now (also called on shutdown and at process exit). */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.scheduled = false;
    if (this.pending.length === 0 || !this.sink) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.pendingChars = 0;
    this.sink(text);
  }
}

export function auditSinkFor(destination: 'stdout' | 'stderr' | 'off'): LineSink | undefined {
  if (destination === 'off') return undefined;
  const stream = destination === 'stdout' ? process.stdout : process.stderr;
  return (text) => stream.write(text);
}
