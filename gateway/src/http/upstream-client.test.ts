import { SignatureV4 } from '@smithy/signature-v4';
import { Sha256 } from '@aws-crypto/sha256-js';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
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
