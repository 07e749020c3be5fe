/**
 * A programmable upstream on 127.0.0.1 for gateway tests: records every request and answers with
 * whatever the test's handler does (JSON, SSE split at random byte boundaries, errors, hangs,
 * resets mid-stream).
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface SeenRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
  json<T = Record<string, unknown>>(): T;
}

export type UpstreamHandler = (request: SeenRequest, res: ServerResponse) => void | Promise<void>;

export interface FakeUpstream {
  readonly url: string;
  readonly requests: SeenRequest[];
  handler: UpstreamHandler;
  close(): Promise<void>;
}

export async function startFakeUpstream(handler: UpstreamHandler): Promise<FakeUpstream> {
  const requests: SeenRequest[] = [];
  const sockets = new Set<Socket>();
  const fake: FakeUpstream = {
    url: '',
    requests,
    handler,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const seen: SeenRequest = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body, json: () => JSON.parse(body) };
      requests.push(seen);
      res.socket?.setNoDelay(true);
      Promise.resolve(fake.handler(seen, res)).catch((error: unknown) => {
        res.destroy(error instanceof Error ? error : new Error(String(error)));
      });
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  (fake as { url: string }).url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return fake;
}

/** A small seeded PRNG (mulberry32), so random splits are reproducible from the seed in a failure message. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Splits bytes at random boundaries (pieces of 1..maxPiece bytes, so UTF-8 sequences get cut too). */
export function splitAtRandom(bytes: Buffer, random: () => number, maxPiece = 40): Buffer[] {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length;) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(i, i + size));
    i += size;
  }
  return pieces;
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Writes a body in random pieces, yielding between them so each reaches the gateway on its own. */
export async function writeInPieces(res: ServerResponse, body: string | Buffer, random: () => number, maxPiece = 40): Promise<void> {
  for (const piece of splitAtRandom(Buffer.isBuffer(body) ? body : Buffer.from(body), random, maxPiece)) {
    if (res.destroyed) return;
    res.write(piece);
    await tick();
  }
}

export function sendJsonResponse(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

/** A non-streamed OpenAI chat completion whose answer is `content`, with the given usage. */
export function chatCompletion(content: string, usage = { prompt_tokens: 5, completion_tokens: 2 }, model = 'm'): Record<string, unknown> {
  return {
    id: 'u',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
  };
}

/** An OpenAI-style SSE body from chunk objects (and optionally a usage chunk), ending with [DONE]. */
export function sseBody(chunks: readonly unknown[]): string {
  return `${chunks.map((c) => `data: ${JSON.stringify(c)}\n\n`).join('')}data: [DONE]\n\n`;
}
