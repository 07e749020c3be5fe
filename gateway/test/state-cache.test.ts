/**
 * The response cache through a running gateway backed by a real redis-server: hit and miss,
 * per-tenant isolation, streams cached and replayed to the official openai client (usage chunk per
 * the replaying request), sensitive requests not cached unless configured, opt-out headers, TTL.
 */
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/schema';
import type { FakeUpstream } from './support/fake-upstream';
import { sseData } from './support/cassettes';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { startTestGateway, type TestGateway } from './support/test-gateway';
import { postChat, startUsageUpstream, testKey } from './support/usage-upstream';

const ANSWER = { content: 'The capital of France is Paris.', promptTokens: 14, completionTokens: 8 };
const SSN_TEXT = 'Patient SSN is 123-45-6789, please summarise the chart.';
const tenantA = testKey('cache-a');
const tenantA2 = testKey('cache-a2');
const tenantB = testKey('cache-b');

describeWithRedis('response cache over Redis', () => {
  let redis: RedisServer;
  let upstream: FakeUpstream;
  let gateway: TestGateway;
  let config: GatewayConfigInput;
  let question = 0;
  /** A question not asked before in this file, so each test starts from an empty cache entry. */
  const fresh = () => `What is the capital of France? (${++question})`;
  const ask = (key: { key: string }, content: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) =>
    postChat(gateway.url, key.key, { messages: [{ role: 'user', content }], temperature: 0, ...extra }, headers);
  const cachedKeys = (tenant: string) => redis.cli('--scan', '--pattern', `cache-test:cache:${tenant}:*`).split('\n').filter(Boolean);

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startUsageUpstream(() => ANSWER);
    config = {
      // Private, so sensitive requests may reach it (compliance decides that before the cache).
      providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1`, private: true }],
      models: [{ name: 'chat', targets: [{ provider: 'up', model: 'up-model' }] }],
      keys: [
        { id: 'cache-a', sha256: tenantA.sha256, tenant: 'a', models: ['*'] },
        { id: 'cache-a2', sha256: tenantA2.sha256, tenant: 'a', models: ['*'] },
        { id: 'cache-b', sha256: tenantB.sha256, tenant: 'b', models: ['*'] },
      ],
      cache: { ttlSeconds: 3600 },
      state: { redis: { url: redis.url, keyPrefix: 'cache-test:' } },
      audit: { destination: 'off' },
    };
    gateway = await startTestGateway(config);
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await redis?.stop();
  });

  test('the same request is a MISS, then a HIT served without the upstream, with the original usage', async () => {
    const content = fresh();
    const before = upstream.requests.length;
    const miss = await ask(tenantA, content);
    expect(miss.headers.get('x-cache')).toBe('MISS');
    const hit = await ask(tenantA, content);
    expect(hit.status).toBe(200);
    expect(hit.headers.get('x-cache')).toBe('HIT');
    expect(hit.headers.get('x-switchyard-target')).toBe('up/up-model');
    expect(upstream.requests.length).toBe(before + 1);
    expect(hit.body.choices?.[0].message.content).toBe(ANSWER.content);
    expect(hit.body.usage).toEqual({ prompt_tokens: 14, completion_tokens: 8, total_tokens: 22 });
    // Another key of the same tenant shares the entry; a parameter that changes the answer does not.
    expect((await ask(tenantA2, content)).headers.get('x-cache')).toBe('HIT');
    expect((await ask(tenantA, content, { temperature: 0.5 })).headers.get('x-cache')).toBe('MISS');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_cache_lookups_total\{model="chat",result="hit"\} [1-9]/m);
  });

  test('entries are per tenant: another tenant misses and gets its own entry, with the configured TTL', async () => {
    const content = fresh();
    await ask(tenantA, content);
    expect((await ask(tenantB, content)).headers.get('x-cache')).toBe('MISS');
    expect((await ask(tenantB, content)).headers.get('x-cache')).toBe('HIT');
    const [key] = cachedKeys('b');
    const ttl = Number(redis.cli('TTL', key));
    expect(ttl).toBeGreaterThan(3590);
    expect(ttl).toBeLessThanOrEqual(3600);
  });

  test('a streamed answer is cached and replayed as a stream the official client reads, usage per the replaying request', async () => {
    const content = fresh();
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: tenantA.key, maxRetries: 0 });
    const read = async (includeUsage: boolean) => {
      const { data, response } = await client.chat.completions
        .create({
          model: 'chat',
          messages: [{ role: 'user', content }],
          temperature: 0,
          stream: true,
          ...(includeUsage ? { stream_options: { include_usage: true } } : {}),
        })
        .withResponse();
      let text = '';
      const usages: unknown[] = [];
      let finish: string | null = null;
      for await (const chunk of data) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usages.push(chunk.usage);
      }
      return { cache: response.headers.get('x-cache'), text, usages, finish };
    };
    const before = upstream.requests.length;
    expect(await read(false)).toEqual({ cache: 'MISS', text: ANSWER.content, usages: [], finish: 'stop' });
    expect(await read(true)).toEqual({
      cache: 'HIT',
      text: ANSWER.content,
      usages: [{ prompt_tokens: 14, completion_tokens: 8, total_tokens: 22 }],
      finish: 'stop',
    });
    expect(await read(false)).toEqual({ cache: 'HIT', text: ANSWER.content, usages: [], finish: 'stop' });
    expect(upstream.requests.length).toBe(before + 1);

    // The replay on the wire: role first, finish chunk last with choices, one usage chunk, [DONE].
    const raw = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${tenantA.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'chat',
        messages: [{ role: 'user', content }],
        temperature: 0,
        stream: true,
        stream_options: { include_usage: true },
      }),
    });
    const body = await raw.text();
    expect(raw.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(body.endsWith('data: [DONE]\n\n')).toBe(true);
    const events = sseData(body) as Array<{
      id: string;
      model: string;
      choices: Array<{ delta: { role?: string }; finish_reason: string | null }>;
      usage?: unknown;
    }>;
    expect(events[0].choices[0].delta.role).toBe('assistant');
    expect(events.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(events.at(-1)).toMatchObject({ choices: [], usage: { total_tokens: 22 } });
    expect(new Set(events.map((e) => e.id)).size).toBe(1);
    expect(events[0].model).toBe('chat');

    // The same entry serves the whole (non-streamed) answer.
    const whole = await ask(tenantA, content);
    expect(whole.headers.get('x-cache')).toBe('HIT');
    expect(whole.body.choices?.[0].message.content).toBe(ANSWER.content);
  });

  test('sensitive requests are neither looked up nor stored, unless cache.cacheSensitive', async () => {
    const before = upstream.requests.length;
    const first = await ask(tenantA, SSN_TEXT);
    const second = await ask(tenantA, SSN_TEXT);
    expect(first.headers.get('x-switchyard-data-class')).toBe('sensitive');
    expect([first.headers.get('x-cache'), second.headers.get('x-cache')]).toEqual([null, null]);
    expect(upstream.requests.length).toBe(before + 2);
    const raised = await ask(tenantA, fresh(), {}, { 'x-switchyard-data-class': 'sensitive' });
    expect(raised.headers.get('x-cache')).toBeNull();

    gateway.reload({ ...config, cache: { ttlSeconds: 3600, cacheSensitive: true } });
    try {
      expect((await ask(tenantA, SSN_TEXT)).headers.get('x-cache')).toBe('MISS');
      expect((await ask(tenantA, SSN_TEXT)).headers.get('x-cache')).toBe('HIT');
    } finally {
      gateway.reload(config);
    }
  });

  test('opt-out headers: no-store skips the cache both ways, refresh skips the lookup and stores', async () => {
    const content = fresh();
    const stored = cachedKeys('a').length;
    const noStore = await ask(tenantA, content, {}, { 'x-switchyard-cache': 'no-store' });
    expect(noStore.headers.get('x-cache')).toBeNull();
    expect((await ask(tenantA, content, {}, { 'cache-control': 'no-store' })).headers.get('x-cache')).toBeNull();
    expect(cachedKeys('a').length).toBe(stored);

    const before = upstream.requests.length;
    expect((await ask(tenantA, content, {}, { 'x-switchyard-cache': 'refresh' })).headers.get('x-cache')).toBe('MISS');
    expect((await ask(tenantA, content)).headers.get('x-cache')).toBe('HIT');
    expect((await ask(tenantA, content, {}, { 'cache-control': 'no-cache' })).headers.get('x-cache')).toBe('MISS');
    expect(upstream.requests.length).toBe(before + 2);

    const invalid = await ask(tenantA, content, {}, { 'x-switchyard-cache': 'never' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error).toMatchObject({ code: 'invalid_request', param: 'x-switchyard-cache' });
  });
});
