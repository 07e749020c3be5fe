/**
 * One JSON line per API request (model calls here, the rest through access-record.ts; probes
 * write none): ids, key, tenant, model, target, classification and reasons, tokens, cost,
 * latency, status. Never prompt or completion content, never keys. Lines are batched and
 * written once per event-loop turn, so logging costs one write per burst rather than per request.
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

export class AuditLog {
  private pending: string[] = [];
  private scheduled = false;

  /** `sink` undefined: audit off. */
  constructor(private readonly sink: LineSink | undefined) {}

  write(record: AuditRecord): void {
    if (!this.sink) return;
    this.pending.push(JSON.stringify(record));
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
  }

  flush(): void {
    this.scheduled = false;
    if (this.pending.length === 0 || !this.sink) return;
    const text = `${this.pending.join('\n')}\n`;
    this.pending = [];
    this.sink(text);
  }
}

export function auditSinkFor(destination: 'stdout' | 'stderr' | 'off'): LineSink | undefined {
  if (destination === 'off') return undefined;
  const stream = destination === 'stdout' ? process.stdout : process.stderr;
  return (text) => stream.write(text);
}
