/**
 * The one HTTP client for every upstream call. undici with pooled keep-alive connections; three
 * timeouts (connect, first byte, idle between body chunks); cancellation through a CancelSignal (a
 * client that goes away cancels its upstream request); SigV4 signing for requests that ask for it.
 * Requests go through undici's dispatch API with a handler of ours (Exchange) and the body arrives
 * as an UpstreamBody (upstream-body.ts), not through `request()` and its Node stream.
 * Transport failures become UpstreamTransportError carrying a normalised UpstreamError.
 */
import { Agent } from '../vendor/undici-agent';
import type { Dispatcher } from 'undici';
import type { TimeoutsConfig } from '../config/routing-schema';
import type { UpstreamError, UpstreamRequest } from '../providers/contract';
import type { CancelSignal } from './cancellation';
import { SigV4Signer } from './sigv4-signer';
import { UpstreamBody } from './upstream-body';

export interface UpstreamEndpoint {
  /** `scheme://host[:port]` */
  readonly origin: string;
  /** The base URL's path without trailing slash (`/v1`), or empty. */
  readonly basePath: string;
  readonly timeouts: TimeoutsConfig;
}

export type UpstreamHeaders = Readonly<Record<string, string | string[] | undefined>>;

export interface UpstreamResponse {
  readonly status: number;
  readonly headers: UpstreamHeaders;
  readonly body: UpstreamBody;
}

/** A request that failed below HTTP (connect, timeout, reset), normalised. */
export class UpstreamTransportError extends Error {
  constructor(readonly error: UpstreamError) {
    super(error.message);
    this.name = 'UpstreamTransportError';
  }
}

/** The request was cancelled through its CancelSignal (the client went away, or shutdown). */
export class UpstreamCancelledError extends Error {
  constructor() {
    super('upstream request cancelled');
    this.name = 'UpstreamCancelledError';
  }
}

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
]);

/** Maps what undici (or the socket) threw to a normalised error; `phase` words the message. */
export function toTransportError(error: unknown, signal: CancelSignal | undefined, phase: 'request' | 'body'): Error {
  if (signal?.aborted) return new UpstreamCancelledError();
  const code = (error as { code?: string } | undefined)?.code ?? (error as { cause?: { code?: string } } | undefined)?.cause?.code ?? '';
  const failure = (kind: UpstreamError['kind'], message: string) =>
    new UpstreamTransportError({ kind, status: kind === 'timeout' ? 504 : 502, message, retryable: true });
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return failure('timeout', 'connecting to the provider timed out');
    case 'UND_ERR_HEADERS_TIMEOUT':
      return failure('timeout', 'the provider did not answer in time');
    case 'UND_ERR_BODY_TIMEOUT':
      return failure('timeout', 'the provider stopped sending mid-response');
    default:
      if (CONNECTION_CODES.has(code))
        return failure('connection', phase === 'body' ? 'the provider connection broke mid-response' : 'could not reach the provider');
      return failure('connection', phase === 'body' ? 'reading the provider response failed' : 'sending to the provider failed');
  }
}

/**
 * One request's dispatch handler (undici's handler API): resolves `response` at the response
 * head and feeds the body; a cancelled signal aborts the request wherever it is (queued for a
 * connection, waiting for the head, or mid-body).
 */
class Exchange implements Dispatcher.DispatchHandler {
  readonly response: Promise<UpstreamResponse>;
  private resolve!: (response: UpstreamResponse) => void;
  private reject!: (error: unknown) => void;
  private controller: Dispatcher.DispatchController | undefined;
  private body: UpstreamBody | undefined;
  private settled = false;
  private readonly onCancel: (() => void) | undefined;

  constructor(private readonly signal: CancelSignal | undefined) {
    this.response = new Promise<UpstreamResponse>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (signal) {
      this.onCancel = () => this.cancel();
      signal.addEventListener('abort', this.onCancel, { once: true });
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
    if (this.signal?.aborted) controller.abort(new UpstreamCancelledError());
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: UpstreamHeaders): void {
    if (statusCode < 200) return; // 1xx: the real head follows
    this.body = new UpstreamBody(controller);
    this.settled = true;
    this.resolve({ status: statusCode, headers, body: this.body });
  }

  onResponseData(_controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.body?.push(chunk);
  }

  onResponseEnd(): void {
    this.release();
    this.body?.end();
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.release();
    this.fail(error);
  }

  private cancel(): void {
    const error = new UpstreamCancelledError();
    this.controller?.abort(error);
    // Still queued for a connection, there is no controller yet: fail now; undici drops the
    // request when it reaches a socket (onRequestStart sees the signal aborted).
    this.fail(error);
  }

  /** Before the head: the response promise rejects; after it: the body does. */
  private fail(error: unknown): void {
    if (!this.settled) {
      this.settled = true;
      this.reject(error);
    } else this.body?.fail(error);
  }

  private release(): void {
    if (this.onCancel) this.signal!.removeEventListener('abort', this.onCancel);
  }
}

export class UpstreamClient {
  /** One agent per connect timeout (undici sets it per dispatcher); usually just one. */
  private readonly agents = new Map<number, Agent>();
  private readonly signer: SigV4Signer;
  private readonly connections: number | null;

  /** `connections`: most connections per upstream origin (default: no limit; requests queue past it). */
  constructor(options: { signer?: SigV4Signer; connections?: number } = {}) {
    this.signer = options.signer ?? new SigV4Signer();
    this.connections = options.connections ?? null;
  }

  async send(endpoint: UpstreamEndpoint, request: UpstreamRequest, signal?: CancelSignal): Promise<UpstreamResponse> {
    const path = endpoint.basePath + request.path;
    let headers: Readonly<Record<string, string>> = request.headers;
    if (request.sigv4) {
      const signed = await this.signer.sign(
        { method: request.method, url: new URL(path, endpoint.origin), headers, body: request.body },
        request.sigv4,
      );
      delete signed.host; // undici sends the same Host from the origin
      headers = signed;
    }
    if (signal?.aborted) throw new UpstreamCancelledError();
    const { timeouts } = endpoint;
    const exchange = new Exchange(signal);
    this.agentFor(timeouts.connectMs).dispatch(
      {
        origin: endpoint.origin,
        path,
        method: request.method as Dispatcher.HttpMethod,
        headers,
        body: request.body,
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
      },
      exchange,
    );
    try {
      return await exchange.response;
    } catch (error) {
      throw toTransportError(error, signal, 'request');
    }
  }

  /** Reads a whole (non-streamed) body; failures mid-body are transport errors. */
  async readText(response: UpstreamResponse, signal?: CancelSignal): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw toTransportError(error, signal, 'body');
    }
  }

  /** Reads a whole body as bytes (responses forwarded as-is). */
  async readBytes(response: UpstreamResponse, signal?: CancelSignal): Promise<Buffer> {
    try {
      return await response.body.bytes();
    } catch (error) {
      throw toTransportError(error, signal, 'body');
    }
  }

  /** Drops a body the gateway will not read, so the connection goes back to the pool. */
  discard(response: UpstreamResponse): void {
    response.body.dump();
  }

  /** Closes pooled connections once their in-flight requests finish. */
  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
    this.agents.clear();
  }

  private agentFor(connectMs: number): Agent {
    let agent = this.agents.get(connectMs);
    if (!agent) {
      agent = new Agent({
        connect: { timeout: connectMs },
        connections: this.connections,
        keepAliveTimeout: 10_000,
        keepAliveMaxTimeout: 60_000,
      });
      this.agents.set(connectMs, agent);
    }
    return agent;
  }
}
