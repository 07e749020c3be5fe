/**
 * Retries, fallbacks and circuit breakers against upstreams that return 429/500, hang, reset
 * mid-stream or go silent; client disconnects that must cancel the upstream request and still
 * count the tokens streamed so far.
 */
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/schema';
import { type FakeUpstream, sendJsonResponse, sseBody, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const completion = (from: string) => ({
  id: 'u',
  object: 'chat.completion',
  created: 1,
  model: from,
  choices: [{ index: 0, message: { role: 'assistant', content: `from ${from}` }, finish_reason: 'stop' }],
  usage: { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 },
});
const ok =
  (from: string): FakeUpstream['handler'] =>
  (_req, res) =>
    sendJsonResponse(res, 200, completion(from));
const contentChunk = (text: string) => ({
  id: 'u',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
});
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const flush = () => new Promise((resolve) => setImmediate(resolve));

let a: FakeUpstream;
let b: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

async function start(overrides: Partial<GatewayConfigInput> = {}): Promise<void> {
  gateway = await startTestGateway({
    providers: [
      { name: 'a', type: 'openai', baseUrl: `${a.url}/v1` },
      { name: 'b', type: 'openai', baseUrl: `${b.url}/v1` },
    ],
    models: [
      {
        name: 'chat',
        targets: [
          { provider: 'a', model: 'ma' },
          { provider: 'b', model: 'mb' },
        ],
      },
    ],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    routing: { attemptsPerTarget: 1, backoffMs: 1, maxBackoffMs: 5, circuitBreaker: { failureThreshold: 50, cooldownMs: 60_000 } },
    timeouts: { firstByteMs: 300, idleMs: 300 },
    ...overrides,
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
}

const ask = () => client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
const metricsText = async () => (await fetch(`${gateway.url}/metrics`)).text();

beforeEach(async () => {
  a = await startFakeUpstream(ok('a'));
  b = await startFakeUpstream(ok('b'));
});
afterEach(async () => {
  await gateway?.close();
  await a.close();
  await b.close();
});

test('a 500 falls back to the next target, counted as a fallback', async () => {
  await start();
  a.handler = (_req, res) => sendJsonResponse(res, 500, { error: { message: 'internal details that must not leak' } });
  const { data, response } = await ask();
  expect(data.choices[0].message.content).toBe('from b');
  expect(response.headers.get('x-switchyard-target')).toBe('b/mb');
  expect(await metricsText()).toContain(
    'switchyard_fallbacks_total{model="chat",from_provider="a",from_target_model="ma",to_provider="b",to_target_model="mb",reason="server_error"} 1',
  );
  await flush();
  expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({ status: 200, provider: 'b', attempts: 2 });
});

test('a 429 with Retry-After is retried on the same target after the wait', async () => {
  await start({ routing: { attemptsPerTarget: 2 } });
  let calls = 0;
  a.handler = (_req, res) =>
    ++calls === 1
      ? sendJsonResponse(res, 429, { error: { message: 'slow down', code: 'rate_limit_exceeded' } }, { 'retry-after': '1' })
      : sendJsonResponse(res, 200, completion('a'));
  const started = Date.now();
  const { data } = await ask();
  expect(data.choices[0].message.content).toBe('from a');
  expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  expect(a.requests).toHaveLength(2);
  expect(b.requests).toHaveLength(0);
  expect(await metricsText()).toContain('switchyard_retries_total{provider="a",target_model="ma",reason="rate_limited"} 1');
});

test('a Retry-After longer than maxRetryAfterMs falls back at once instead of waiting', async () => {
  await start({ routing: { attemptsPerTarget: 3, maxRetryAfterMs: 2000 } });
  a.handler = (_req, res) => sendJsonResponse(res, 429, { error: { message: 'quota' } }, { 'retry-after': '30' });
  const started = Date.now();
  const { data } = await ask();
  expect(data.choices[0].message.content).toBe('from b');
  expect(Date.now() - started).toBeLessThan(1000);
  expect(a.requests).toHaveLength(1);
});

test('when every target is rate limited the client gets 429 with Retry-After', async () => {
  await start();
  a.handler = b.handler = (_req, res) => sendJsonResponse(res, 429, { error: { message: 'slow down' } }, { 'retry-after': '20' });
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}` },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
  });
  expect(response.status).toBe(429);
  expect(response.headers.get('retry-after')).toBe('20');
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('upstream_rate_limited');
});

test('a 400 from upstream is neither retried nor rerouted', async () => {
  await start({ routing: { attemptsPerTarget: 3 } });
  a.handler = (_req, res) =>
    sendJsonResponse(res, 400, {
      error: { message: "Invalid 'max_tokens': too large.", type: 'invalid_request_error', param: 'max_tokens', code: null },
    });
  const error = await ask().catch((e: unknown) => e as InstanceType<typeof OpenAI.APIError>);
  expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  expect((error as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
    code: 'upstream_bad_request',
    message: "The provider refused the request: Invalid 'max_tokens': too large.",
  });
  expect(a.requests).toHaveLength(1);
  expect(b.requests).toHaveLength(0);
});

test('a hanging upstream times out at the first-byte limit and the next target answers', async () => {
  await start();
  a.handler = () => undefined;
  const started = Date.now();
  const { data } = await ask();
  expect(data.choices[0].message.content).toBe('from b');
  expect(Date.now() - started).toBeLessThan(1500);
  expect(await metricsText()).toContain('switchyard_upstream_attempts_total{provider="a",target_model="ma",outcome="timeout"} 1');
});

test('the circuit opens after consecutive failures, skips the target, then lets one probe through', async () => {
  await start({ routing: { attemptsPerTarget: 1, circuitBreaker: { failureThreshold: 2, cooldownMs: 400 } } });
  a.handler = (_req, res) => sendJsonResponse(res, 503, { error: { message: 'overloaded' } });
  await ask();
  await ask();
  expect(a.requests).toHaveLength(2);
  expect(await metricsText()).toContain('switchyard_circuit_state{provider="a",target_model="ma"} 2');
  const { data } = await ask();
  expect(data.choices[0].message.content).toBe('from b');
  expect(a.requests).toHaveLength(2); // skipped while open
  await sleep(450);
  a.handler = ok('a');
  const probe = await ask();
  expect(probe.data.choices[0].message.content).toBe('from a');
  expect(a.requests).toHaveLength(3);
  const metrics = await metricsText();
  expect(metrics).toContain('switchyard_circuit_state{provider="a",target_model="ma"} 0');
  expect(metrics).toContain('switchyard_circuit_opened_total{provider="a",target_model="ma"} 1');
});

describe('streams that break after the headers', () => {
  test('an upstream reset mid-stream becomes an error frame; the partial output is counted', async () => {
    await start();
    a.handler = async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(contentChunk('Hello there, '))}\n\n`);
      await sleep(20);
      res.write(`data: ${JSON.stringify(contentChunk('general Kenobi'))}\n\n`);
      await sleep(20);
      res.socket?.destroy();
    };
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    })().catch((e: unknown) => e);
    expect(text).toBe('Hello there, general Kenobi');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'upstream_connection_error',
      type: 'server_error',
    });
    expect(b.requests).toHaveLength(0); // no fallback once the client has bytes
    await flush();
    expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
      status: 502,
      error_code: 'upstream_connection_error',
      provider: 'a',
      usage_estimated: true,
    });
    expect(gateway.audit[gateway.audit.length - 1].output_tokens).toBeGreaterThanOrEqual(2);
  });

  test('an upstream that goes silent mid-stream hits the idle timeout', async () => {
    await start();
    a.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(`data: ${JSON.stringify(contentChunk('partial'))}\n\n`);
    };
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    });
    const text = await response.text();
    const frames = text.split('\n\n').filter(Boolean);
    expect(JSON.parse(frames[frames.length - 1].slice(6))).toMatchObject({ error: { code: 'upstream_timeout' } });
    expect(text).not.toContain('[DONE]');
  });

  test('a stream that fails before its first chunk falls back to the next target', async () => {
    await start();
    a.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write(': keep-alive comment\n\n');
      setTimeout(() => res.socket?.destroy(), 20);
    };
    b.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(sseBody([contentChunk('from b')]));
    };
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('from b');
  });
});

test('a client that disconnects cancels the upstream request; tokens streamed so far are counted', async () => {
  await start();
  let upstreamClosed: () => void = () => undefined;
  const closed = new Promise<void>((resolve) => (upstreamClosed = resolve));
  a.handler = async (_req, res) => {
    res.on('close', () => upstreamClosed());
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < 200 && !res.destroyed; i++) {
      res.write(`data: ${JSON.stringify(contentChunk(`token${i} `))}\n\n`);
      await sleep(10);
    }
    res.end();
  };
  const controller = new AbortController();
  const stream = await client.chat.completions.create(
    { model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true },
    { signal: controller.signal },
  );
  let received = 0;
  await (async () => {
    for await (const c of stream) {
      if (c.choices[0]?.delta.content) received++;
      if (received === 5) controller.abort();
    }
  })().catch(() => undefined);
  await closed;
  await sleep(20);
  await flush();
  const audit = gateway.audit[gateway.audit.length - 1];
  expect(audit).toMatchObject({ status: 499, error_code: 'client_cancelled', usage_estimated: true });
  expect(audit.output_tokens).toBeGreaterThanOrEqual(5);
  expect(audit.output_tokens).toBeLessThan(200);
});
