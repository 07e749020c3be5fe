import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Cancellation } from './cancellation';
import { SigV4Signer } from './sigv4-signer';
import { UpstreamCancelledError, UpstreamClient, UpstreamTransportError } from './upstream-client';

const credentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};

interface Seen {
  req: IncomingMessage;
  body: string;
}

async function server(respond: (seen: Seen, res: import('node:http').ServerResponse) => void) {
  const seen: Seen[] = [];
  const srv = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      seen.push({ req, body });
      respond({ req, body }, res);
    });
  });
  await new Promise<void>((resolve) => srv.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(srv.address() as AddressInfo).port}`;
  return { seen, origin, close: () => new Promise<void>((resolve) => (srv.closeAllConnections(), srv.close(() => resolve()))) };
}

const timeouts = { connectMs: 1000, firstByteMs: 200, idleMs: 200 };

test('signs requests that ask for SigV4 so that AWS would verify them', async () => {
  const upstream = await server((_s, res) => res.end('{}'));
  const client = new UpstreamClient({ signer: new SigV4Signer(async () => credentials) });
  try {
    const body = '{"messages":[{"role":"user","content":[{"text":"hi"}]}]}';
    const path = '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse';
    const response = await client.send(
      { origin: upstream.origin, basePath: '', timeouts },
      { method: 'POST', path, headers: { 'content-type': 'application/json' }, body, sigv4: { service: 'bedrock', region: 'us-east-1' } },
    );
    await client.readText(response);
    const { req } = upstream.seen[0];
    const authorization = String(req.headers.authorization);
    expect(authorization).toMatch(
      /^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/us-east-1\/bedrock\/aws4_request, SignedHeaders=[a-z0-9;-]+, Signature=[0-9a-f]{64}$/,
    );
    expect(req.headers['x-amz-security-token']).toBe('session-token');
    expect(req.url).toBe(path);

    // Re-sign what the server received, at the same instant, with the same key: signatures must match.
    const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)![1].split(';');
    const amzDate = String(req.headers['x-amz-date']);
    const signingDate = new Date(
      `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
    );
    const headers = Object.fromEntries(signedHeaders.filter((h) => h !== 'authorization').map((h) => [h, String(req.headers[h])]));
    const verifier = new SignatureV4({ service: 'bedrock', region: 'us-east-1', credentials, sha256: Sha256 });
    const expected = await verifier.sign(
      {
        method: 'POST',
        protocol: 'http:',
        hostname: '127.0.0.1',
        port: Number(new URL(upstream.origin).port),
        path,
        query: {},
        headers,
        body,
      },
      { signingDate },
    );
    expect(authorization).toBe(expected.headers.authorization);
  } finally {
    await client.close();
    await upstream.close();
  }
});

test('no answer within firstByteMs is a timeout error', async () => {
  const upstream = await server(() => undefined);
  const client = new UpstreamClient();
  try {
    const failure = await client
      .send({ origin: upstream.origin, basePath: '/v1', timeouts }, { method: 'POST', path: '/chat/completions', headers: {}, body: '{}' })
      .catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(UpstreamTransportError);
    expect((failure as UpstreamTransportError).error).toEqual({
      kind: 'timeout',
      status: 504,
      retryable: true,
      message: 'the provider did not answer in time',
    });
    expect(upstream.seen[0].req.url).toBe('/v1/chat/completions');
  } finally {
    await client.close();
    await upstream.close();
  }
});

test('a refused connection is a connection error', async () => {
  const upstream = await server(() => undefined);
  await upstream.close();
  const client = new UpstreamClient();
  const failure = await client
    .send({ origin: upstream.origin, basePath: '', timeouts }, { method: 'GET', path: '/', headers: {} })
    .catch((e: unknown) => e);
  expect((failure as UpstreamTransportError).error).toMatchObject({ kind: 'connection', message: 'could not reach the provider' });
  await client.close();
});

test('aborting the signal cancels the upstream request', async () => {
  let closed = false;
  const upstream = await server(({ req }) => req.socket.on('close', () => (closed = true)));
  const client = new UpstreamClient();
  const controller = new AbortController();
  try {
    const pending = client.send(
      { origin: upstream.origin, basePath: '', timeouts: { ...timeouts, firstByteMs: 5000 } },
      { method: 'POST', path: '/', headers: {}, body: '{}' },
      controller.signal,
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort();
    expect(await pending.catch((e: unknown) => e)).toBeInstanceOf(UpstreamCancelledError);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(closed).toBe(true);
  } finally {
    await client.close();
    await upstream.close();
  }
});

describe('response bodies through the dispatch handler', () => {
  const endpoint = (origin: string) => ({ origin, basePath: '', timeouts: { ...timeouts, firstByteMs: 5000, idleMs: 5000 } });
  const get = { method: 'GET', path: '/', headers: {} } as const;

  test('a large body read whole arrives intact, headers and status included', async () => {
    const payload = Buffer.alloc(3 * 1024 * 1024, 'abcdefgh');
    const upstream = await server((_seen, res) => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-extra': 'yes' });
      res.end(payload);
    });
    const client = new UpstreamClient();
    try {
      const response = await client.send(endpoint(upstream.origin), get);
      expect(response.status).toBe(201);
      expect(response.headers['x-extra']).toBe('yes');
      expect((await client.readBytes(response)).equals(payload)).toBe(true);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  test('a slow reader holds the upstream back (backpressure) and still gets every byte in order', async () => {
    const parts = 512; // 32 MB: more than loopback socket buffers hold
    const part = Buffer.alloc(64 * 1024, 'x');
    let written = 0;
    let blocked = false;
    const upstream = await server((_seen, res) => {
      res.writeHead(200);
      const pump = () => {
        while (written < parts) {
          written++;
          if (!res.write(part)) {
            blocked = true;
            res.once('drain', pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const client = new UpstreamClient();
    try {
      const response = await client.send(endpoint(upstream.origin), get);
      let received = 0;
      let writtenAfterFirstChunk = -1;
      for await (const chunk of response.body) {
        if (writtenAfterFirstChunk === -1) {
          // Wait until the upstream stops writing (it is held back), or at most 3 s.
          for (let last = -1, waited = 0; written !== last && waited < 3000; waited += 100) {
            last = written;
            await new Promise((resolve) => setTimeout(resolve, 100));
          }
          writtenAfterFirstChunk = written;
        }
        received += chunk.length;
      }
      expect(received).toBe(parts * part.length);
      expect(blocked).toBe(true);
      expect(writtenAfterFirstChunk).toBeLessThan(parts);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  test('destroying a body mid-stream closes the upstream connection; a dumped body leaves it for reuse', async () => {
    const sockets = new Set<unknown>();
    let closed = 0;
    const upstream = await server(({ req }, res) => {
      if (!sockets.has(req.socket)) {
        sockets.add(req.socket);
        req.socket.on('close', () => closed++);
      }
      res.writeHead(200);
      if (req.url === '/endless') {
        const timer = setInterval(() => res.write('tick\n'), 5);
        res.on('close', () => clearInterval(timer));
      } else res.end('short body');
    });
    const client = new UpstreamClient();
    try {
      const dumped = await client.send(endpoint(upstream.origin), get);
      client.discard(dumped);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const again = await client.send(endpoint(upstream.origin), get);
      expect(await client.readText(again)).toBe('short body');
      expect(sockets.size).toBe(1);

      const endless = await client.send(endpoint(upstream.origin), { ...get, path: '/endless' });
      const iterator = endless.body[Symbol.asyncIterator]();
      await iterator.next();
      endless.body.destroy();
      await expect(iterator.next()).rejects.toThrow('upstream body destroyed');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(closed).toBeGreaterThanOrEqual(1);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  test('a Cancellation aborts a body being read, as a cancellation', async () => {
    const upstream = await server((_seen, res) => {
      res.writeHead(200);
      res.write('first part');
    });
    const client = new UpstreamClient();
    const cancellation = new Cancellation();
    try {
      const response = await client.send(endpoint(upstream.origin), get, cancellation);
      const reading = client.readText(response, cancellation);
      setTimeout(() => cancellation.abort(), 20);
      expect(await reading.catch((e: unknown) => e)).toBeInstanceOf(UpstreamCancelledError);
    } finally {
      await client.close();
      await upstream.close();
    }
  });

  test('a request cancelled while it waits for a free connection fails at once and is never sent', async () => {
    const upstream = await server(() => undefined); // never answers: holds its connection
    const client = new UpstreamClient({ connections: 1 });
    const cancellation = new Cancellation();
    const first = client.send(endpoint(upstream.origin), get).catch((e: unknown) => e);
    try {
      await new Promise((resolve) => setTimeout(resolve, 20));
      const queued = client.send(endpoint(upstream.origin), { ...get, path: '/queued' }, cancellation);
      cancellation.abort();
      expect(await queued.catch((e: unknown) => e)).toBeInstanceOf(UpstreamCancelledError);
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(upstream.seen.map((s) => s.req.url)).toEqual(['/']);
    } finally {
      await upstream.close();
      await first;
      await client.close();
    }
  });
});
