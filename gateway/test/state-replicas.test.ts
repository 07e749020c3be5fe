/**
 * Two gateway processes (the shipped bundle) sharing one real redis-server, as two replicas behind
 * a Service: requests per minute and tokens per minute hold across both, streams included, and a
 * stream the client cancels half-way is charged for the tokens it used.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GatewayConfigInput } from '../src/config/schema';
import { type FakeUpstream, startFakeUpstream } from './support/fake-upstream';
import { buildGatewayBundle, type GatewayProcess, spawnGateway } from './support/gateway-process';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { postChat, sleep, startUsageUpstream, testKey, until } from './support/usage-upstream';

const RPM = 10;
const TPM = 1000;
/** Completion tokens reserved when a request sets no max_tokens. */
const RESERVATION = 50;
/** Every answer uses 7 + 93 = 100 tokens: more than the 7 + 50 = 57 each request reserves. */
const USAGE = { promptTokens: 7, completionTokens: 93 };
const CANCEL_TPM = 300;
const SLOW_CHUNKS = 40;

const keys = {
  rpm: testKey('replica-rpm'),
  tpm: testKey('replica-tpm'),
  cancel: testKey('replica-cancel'),
  admin: testKey('replica-admin'),
};

describeWithRedis('two gateway replicas sharing one Redis', () => {
  let dir: string;
  let redis: RedisServer;
  let upstream: FakeUpstream;
  let slow: FakeUpstream;
  let replicas: GatewayProcess[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-replicas-'));
    const bundle = buildGatewayBundle(dir);
    redis = await startRedisServer();
    upstream = await startUsageUpstream(() => ({ content: 'word '.repeat(20).trim(), ...USAGE }));
    // Streams "tok " chunks every 25 ms, usage only at the very end.
    slow = await startFakeUpstream(async (_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      for (let i = 0; i < SLOW_CHUNKS && !res.destroyed; i++) {
        res.write(
          `data: ${JSON.stringify({ id: 's', object: 'chat.completion.chunk', created: 1, model: 'slow', choices: [{ index: 0, delta: { content: 'tok ' }, finish_reason: null }] })}\n\n`,
        );
        await sleep(25);
      }
      res.end('data: [DONE]\n\n');
    });
    const config: GatewayConfigInput = {
      providers: [
        { name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` },
        { name: 'slow', type: 'openai', baseUrl: `${slow.url}/v1` },
      ],
      models: [
        { name: 'chat', targets: [{ provider: 'up', model: 'up-model' }] },
        { name: 'slow', targets: [{ provider: 'slow', model: 'slow-model' }] },
      ],
      keys: [
        { id: 'replica-rpm', sha256: keys.rpm.sha256, tenant: 'a', models: ['*'], rpm: RPM },
        { id: 'replica-tpm', sha256: keys.tpm.sha256, tenant: 'a', models: ['*'], tpm: TPM },
        { id: 'replica-cancel', sha256: keys.cancel.sha256, tenant: 'a', models: ['*'], tpm: CANCEL_TPM },
        { id: 'replica-admin', sha256: keys.admin.sha256, tenant: 'ops', models: ['*'], admin: true },
      ],
      state: { redis: { url: redis.url, keyPrefix: 'replicas:' }, completionTokenReservation: RESERVATION },
      audit: { destination: 'off' },
    };
    replicas = await Promise.all(['a', 'b'].map((name) => spawnGateway(bundle, dir, name, config)));
  });

  afterAll(async () => {
    await Promise.all(replicas.map((r) => r.stop()));
    await upstream?.close();
    await slow?.close();
    await redis?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  test(`rpm: ${RPM} per minute across both replicas (within one request), whichever replica a request hits`, async () => {
    const replies = await Promise.all(
      Array.from({ length: 3 * RPM }, (_, i) =>
        postChat(replicas[i % 2].url, keys.rpm.key, {}).then((reply) => ({ replica: i % 2, status: reply.status })),
      ),
    );
    const admitted = replies.filter((r) => r.status === 200);
    expect(replies.every((r) => r.status === 200 || r.status === 429)).toBe(true);
    expect(admitted.length).toBeGreaterThanOrEqual(RPM);
    expect(admitted.length).toBeLessThanOrEqual(RPM + 1);
    for (const replica of [0, 1]) expect(replies.filter((r) => r.replica === replica && r.status === 429).length).toBeGreaterThan(0);
  });

  test(`tpm: ${TPM} per minute across both replicas, streams included, reconciled with real usage`, async () => {
    const started = Date.now();
    const used: number[] = [];
    const served = new Set<string>();
    let refusedInARow = 0;
    for (let i = 0; i < 30 && refusedInARow < 3; i++) {
      const replica = replicas[i % 2];
      const stream = Math.floor(i / 2) % 2 === 1;
      const reply = await postChat(replica.url, keys.tpm.key, stream ? { stream: true, stream_options: { include_usage: true } } : {});
      if (reply.status === 429) {
        refusedInARow++;
        expect(reply.body.error?.code).toBe('rate_limit_exceeded');
        continue;
      }
      expect(reply.status).toBe(200);
      refusedInARow = 0;
      served.add(`${i % 2}/${stream}`);
      const raw = (reply.body as { raw?: string }).raw;
      const usage = stream
        ? (
            JSON.parse(
              raw!
                .split('\n')
                .filter((l) => l.includes('"usage"'))
                .at(-1)!
                .slice(6),
            ) as { usage: { total_tokens: number } }
          ).usage
        : reply.body.usage!;
      used.push(usage.total_tokens);
    }
    const refill = (TPM * (Date.now() - started)) / 60_000;
    // Each request reserves 57 tokens and uses 100: admission stops once the bucket holds < 57, so
    // usage may pass the limit by at most one request (plus the refill). Without the settlement,
    // 1000 / 57 = 17 requests would pass; without shared state, twice as many.
    expect(used.every((u) => u === 100)).toBe(true);
    expect(used.length).toBeGreaterThanOrEqual(TPM / 100);
    expect(used.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(TPM + 100 + refill);
    expect(served).toEqual(new Set(['0/false', '1/false', '0/true', '1/true']));
  });

  test('a stream cancelled half-way is charged (tpm and spend) for the tokens it used', async () => {
    const controller = new AbortController();
    const response = await fetch(`${replicas[0].url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${keys.cancel.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', stream: true, messages: [{ role: 'user', content: 'count slowly' }] }),
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    let text = '';
    while ((text.match(/tok /g) ?? []).length < 10) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();

    type Line = { id: string; requests: number; inputTokens: number; outputTokens: number };
    const spend = await until('the cancelled stream in the spend', async () => {
      const body = (await (
        await fetch(`${replicas[1].url}/v1/spend`, { headers: { authorization: `Bearer ${keys.admin.key}` } })
      ).json()) as { keys: Line[] };
      return body.keys.find((k) => k.id === 'replica-cancel');
    });
    expect(spend.requests).toBe(1);
    expect(spend.inputTokens).toBeGreaterThan(0);
    expect(spend.outputTokens).toBeGreaterThanOrEqual(10);
    expect(spend.outputTokens).toBeLessThan(SLOW_CHUNKS);

    // The bucket holds the limit minus what the stream used, not minus its reservation (57 + 7).
    const next = await postChat(replicas[1].url, keys.cancel.key, {});
    expect(next.status).toBe(200);
    const expected = CANCEL_TPM - (spend.inputTokens + spend.outputTokens) - (7 + RESERVATION);
    const remaining = Number(next.headers.get('x-ratelimit-remaining-tokens'));
    expect(remaining).toBeGreaterThanOrEqual(expected);
    expect(remaining).toBeLessThanOrEqual(expected + 5);
  });
});
