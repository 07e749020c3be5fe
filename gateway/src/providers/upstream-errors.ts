/**
 * Helpers every adapter's `parseError` uses: the error kind an HTTP status means, and the retry
 * hint from `retry-after-ms` / `retry-after` headers. Pure; imports only the contract.
 */
import { type UpstreamError, type UpstreamErrorKind, UpstreamStreamError } from './contract';

type Headers = Readonly<Record<string, string | string[] | undefined>>;

/** The kind of failure an upstream HTTP status means, and whether another attempt may succeed. */
export function kindForStatus(status: number): { kind: UpstreamErrorKind; retryable: boolean } {
  if (status === 429) return { kind: 'rate_limited', retryable: true };
  if (status === 503 || status === 529) return { kind: 'overloaded', retryable: true };
  if (status === 408 || status === 504) return { kind: 'timeout', retryable: true };
  if (status >= 500) return { kind: 'server_error', retryable: true };
  if (status === 401 || status === 403) return { kind: 'auth', retryable: false };
  if (status >= 400) return { kind: 'bad_request', retryable: false };
  return { kind: 'unknown', retryable: false };
}

function header(headers: Headers, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/**
 * Milliseconds to wait before retrying, from `retry-after-ms` (OpenAI, Azure) or `retry-after`
 * (delta-seconds or an HTTP date, RFC 9110 §10.2.3); undefined when absent or unreadable.
 */
export function retryAfterMs(headers: Headers, now = Date.now()): number | undefined {
  const ms = header(headers, 'retry-after-ms');
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.ceil(Number(ms));
  const value = header(headers, 'retry-after')?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Cuts a provider's message to a length safe to show (no raw bodies). */
export function clip(message: string, max = 400): string {
  const text = message.replace(/\s+/g, ' ').trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A normalised error with a generic message for `status`, when the body says nothing usable. */
export function genericUpstreamError(status: number, headers: Headers, provider: string): UpstreamError {
  const { kind, retryable } = kindForStatus(status);
  return { kind, status, retryable, retryAfterMs: retryAfterMs(headers), message: `${provider} answered HTTP ${status}` };
}

/**
 * A request this provider cannot express (an image URL Bedrock cannot fetch, `n` > 1 on
 * Anthropic...), refused before anything is sent. It is the request's fault: never retried, and
 * it reaches the client as 400 `upstream_bad_request` naming the request part.
 */
export function untranslatable(param: string, message: string): UpstreamStreamError {
  return new UpstreamStreamError({ kind: 'bad_request', status: 400, retryable: false, message: `${param}: ${message}` });
}

/** An upstream body or event the adapter cannot read (not the provider's documented format). */
export function unreadable(what: string): UpstreamStreamError {
  return new UpstreamStreamError({
    kind: 'unknown',
    status: 502,
    retryable: false,
    message: `the provider sent ${what} the gateway could not read`,
  });
}
