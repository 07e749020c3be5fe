/**
 * Cancelling a request's upstream work when its client goes away (or on shutdown).
 *
 * The pipeline takes any `CancelSignal`: a DOM AbortSignal fits it (tests use those), and so does
 * `Cancellation`, which the server makes once per request. Cancellation exists because an
 * AbortController per request was ~3 % of the gateway's CPU under load (EventTarget set-up and
 * listener bookkeeping in Node); this one is a flag and a short listener list.
 */
import { UpstreamCancelledError } from './upstream-client';

export interface CancelSignal {
  readonly aborted: boolean;
  readonly reason?: unknown;
  addEventListener(type: 'abort', listener: () => void, options?: { once?: boolean }): void;
  removeEventListener(type: 'abort', listener: () => void): void;
}

export class Cancellation implements CancelSignal {
  aborted = false;
  reason: unknown = undefined;
  private listeners: Array<() => void> | undefined;

  /** Listeners run once, in order, on the first abort(); later ones added after it never run. */
  addEventListener(_type: 'abort', listener: () => void): void {
    if (this.aborted) return;
    (this.listeners ??= []).push(listener);
  }

  removeEventListener(_type: 'abort', listener: () => void): void {
    const listeners = this.listeners;
    if (!listeners) return;
    const index = listeners.indexOf(listener);
    if (index !== -1) listeners.splice(index, 1);
  }

  /** `reason` is what pending work (a retry's backoff) rejects with. */
  abort(reason: unknown = new UpstreamCancelledError()): void {
    if (this.aborted) return;
    this.aborted = true;
    this.reason = reason;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}
