/**
 * Without `state.redis` the state layer runs in the process's memory, for one local gateway: the
 * same limits, budgets and cache, a startup warning that they are per process, and a reload that
 * applies new limits at once.
 */
import { parseGatewayConfig } from '../src/config/load-config';
import type { GatewayConfigInput } from '../src/config/schema';
import { silentLogger } from '../src/log/logger';
import { MetricsRegistry } from '../src/metrics/registry';
import type { StageContext } from '../src/pipeline/stages';
import { createStateStages } from '../src/state/state-stages';
import type { FakeUpstream } from './support/fake-upstream';
import { startTestGateway, type TestGateway } from './support/test-gateway';
import { postChat, startUsageUpstream, testKey } from './support/usage-upstream';

const key = testKey('memory');
let upstream: FakeUpstream;
let gateway: TestGateway;
let config: GatewayConfigInput;

beforeAll(async () => {
  upstream = await startUsageUpstream(() => ({ content: 'from memory', promptTokens: 3, completionTokens: 2 }));
  config = {
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
    models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }] }],
    keys: [{ id: 'memory', sha256: key.sha256, tenant: 'a', models: ['*'], rpm: 100 }],
    cache: { ttlSeconds: 60 },
    audit: { destination: 'off' },
  };
  gateway = await startTestGateway(config);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

test('warns at startup that limits, budgets and the cache are per process', () => {
  expect(gateway.logs.join('')).toContain(
    '"msg":"state.redis is not set: rate limits, budgets, spend and the cache live in this process only, so each replica enforces its own limits (N replicas admit N times the limits); set state.redis when running more than one replica"',
  );
});

test('limits and the cache work in memory; a reload lowers a limit at once', async () => {
  const first = await postChat(gateway.url, key.key, {});
  expect(first.headers.get('x-ratelimit-remaining-requests')).toBe('99');
  expect(first.headers.get('x-cache')).toBe('MISS');
  const second = await postChat(gateway.url, key.key, {});
  expect(second.headers.get('x-cache')).toBe('HIT');
  expect(upstream.requests.length).toBe(1);

  // 98 left of 100; with a limit of 1 the bucket holds at most 1: one more request, then 429.
  gateway.reload({ ...config, keys: [{ id: 'memory', sha256: key.sha256, tenant: 'a', models: ['*'], rpm: 1 }] });
  expect((await postChat(gateway.url, key.key, {})).status).toBe(200);
  const refused = await postChat(gateway.url, key.key, {});
  expect(refused.status).toBe(429);
  expect(refused.body.error?.message).toMatch(
    /^Rate limit reached for API key "memory" on requests per minute: limit 1, remaining 0\. Try again in (59|60)(\.\d+)?s\.$/,
  );
});

test('no state config at all: nothing is limited or cached, and no warning', async () => {
  const plain = await startTestGateway({
    providers: config.providers,
    models: config.models,
    keys: [{ id: 'memory', sha256: key.sha256, tenant: 'a', models: ['*'] }],
    audit: { destination: 'off' },
  });
  try {
    const reply = await postChat(plain.url, key.key, {});
    expect(reply.status).toBe(200);
    expect(reply.headers.get('x-ratelimit-limit-requests')).toBeNull();
    expect(reply.headers.get('x-cache')).toBeNull();
    expect(plain.logs.join('')).not.toContain('state.redis is not set');
  } finally {
    await plain.close();
  }
});

test('with in-memory state the guard decides synchronously (no promise per request), refusals included', async () => {
  const stages = await createStateStages(
    parseGatewayConfig({
      providers: [{ name: 'up', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }],
      models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }] }],
      keys: [{ id: 'memory', sha256: key.sha256, tenant: 'a', models: ['*'], rpm: 1 }],
      state: {},
    }),
    { metrics: new MetricsRegistry(), log: silentLogger },
  );
  const ctx: StageContext = {
    requestId: 'r1',
    operation: 'chat',
    caller: { keyId: 'memory', tenant: 'a', admin: false, allowsModel: () => true },
    model: 'chat',
    body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
    stream: false,
    classification: { dataClass: 'standard', reasons: [] },
    headers: {},
    receivedAt: Date.now(),
  };
  const first = stages.guard.admit(ctx);
  expect(first).not.toBeInstanceOf(Promise);
  expect(first).toMatchObject({ admitted: true, headers: { 'x-ratelimit-remaining-requests': '0' } });
  const second = stages.guard.admit({ ...ctx, requestId: 'r2' });
  expect(second).not.toBeInstanceOf(Promise);
  expect(second).toMatchObject({ admitted: false, error: { code: 'rate_limit_exceeded' } });
  await stages.close?.();
});
