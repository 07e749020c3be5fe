/**
 * The one HTTP client for every upstream call. undici with pooled keep-alive connections; three
 * timeouts (connect, first byte, idle between body chunks); cancellation through an AbortSignal (a
 * client that goes away cancels its upstream request); SigV4 signing for requests that ask for it.
 * Transport failures become UpstreamTransportError carrying a normalised UpstreamError.
 */
import { Agent } from 'undici';
import type { Dispatcher } from 'undici';
import type { TimeoutsConfig } from '../config/routing-schema';
import type { UpstreamError, UpstreamRequest } from '../providers/contract';
import { SigV4Signer } from './sigv4-signer';

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
  readonly body: Dispatcher.ResponseData['body'];
}

/** A request that failed below HTTP (connect, timeout, reset), normalised. */
export class UpstreamTransportError extends Error {
  constructor(readonly error: UpstreamError) {
    super(error.message);
    this.name = 'UpstreamTransportError';
  }
}

/** The request was cancelled through its AbortSignal (the client went away, or shutdown). */
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
export function toTransportError(error: unknown, signal: AbortSignal | undefined, phase: 'request' | 'body'): Error {
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

export class UpstreamClient {
  /** One agent per connect timeout (undici sets it per dispatcher); usually just one. */
  private readonly agents = new Map<number, Agent>();
  private readonly signer: SigV4Signer;

  constructor(options: { signer?: SigV4Signer } = {}) {
    this.signer = options.signer ?? new SigV4Signer();
  }

  async send(endpoint: UpstreamEndpoint, request: UpstreamRequest, signal?: AbortSignal): Promise<UpstreamResponse> {
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
    const { timeouts } = endpoint;
    try {
      const response = await this.agentFor(timeouts.connectMs).request({
        origin: endpoint.origin,
        path,
        method: request.method,
        headers,
        body: request.body,
        signal,
        headersTimeout: timeouts.firstByteMs,
        bodyTimeout: timeouts.idleMs,
      });
      return { status: response.statusCode, headers: response.headers, body: response.body };
    } catch (error) {
      throw toTransportError(error, signal, 'request');
    }
  }

  /** Reads a whole (non-streamed) body; failures mid-body are transport errors. */
  async readText(response: UpstreamResponse, signal?: AbortSignal): Promise<string> {
    try {
      return await response.body.text();
    } catch (error) {
      throw toTransportError(error, signal, 'body');
    }
  }

  /** Reads a whole body as bytes (responses forwarded as-is). */
  async readBytes(response: UpstreamResponse, signal?: AbortSignal): Promise<Buffer> {
    try {
      return Buffer.from(await response.body.arrayBuffer());
    } catch (error) {
      throw toTransportError(error, signal, 'body');
    }
  }

  /** Drops a body the gateway will not read, so the connection goes back to the pool. */
  discard(response: UpstreamResponse): void {
    response.body.dump().catch(() => undefined);
  }

  /** Closes pooled connections once their in-flight requests finish. */
  async close(): Promise<void> {
    await Promise.all([...this.agents.values()].map((agent) => agent.close()));
    this.agents.clear();
  }

  private agentFor(connectMs: number): Agent {
    let agent = this.agents.get(connectMs);
    if (!agent) {
      agent = new Agent({ connect: { timeout: connectMs }, keepAliveTimeout: 10_000, keepAliveMaxTimeout: 60_000 });
      this.agents.set(connectMs, agent);
    }
    return agent;
  }
}
