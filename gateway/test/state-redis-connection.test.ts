/**
 * Connecting to Redis: the password comes from the environment variable named by
 * `state.redis.passwordEnv` (a Kubernetes Secret), never from the URL; a missing variable stops
 * the gateway at startup with the field named; a Redis that is down at startup does not stop the
 * gateway, which serves per its fail mode until Redis answers.
 */
import type { GatewayConfigInput } from '../src/config/schema';
import { GatewayConfigError } from '../src/config/config-error';
import type { FakeUpstream } from './support/fake-upstream';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { startTestGateway } from './support/test-gateway';
import { postChat, sleep, startUsageUpstream, testKey, until } from './support/usage-upstream';

const key = testKey('conn');
const admin = testKey('conn-admin');
const PASSWORD = 'correct horse battery staple';

describeWithRedis('connecting to Redis', () => {
  let redis: RedisServer;
  let upstream: FakeUpstream;
  const config = (state: GatewayConfigInput['state']): GatewayConfigInput => ({
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
    models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }] }],
    keys: [
      { id: 'conn', sha256: key.sha256, tenant: 'a', models: ['*'], rpm: 100 },
      { id: 'conn-admin', sha256: admin.sha256, tenant: 'ops', models: ['*'], admin: true },
    ],
    state,
    audit: { destination: 'off' },
  });

  beforeAll(async () => {
    redis = await startRedisServer(['--requirepass', PASSWORD]);
    upstream = await startUsageUpstream(() => ({ content: 'ok', promptTokens: 1, completionTokens: 1 }));
  });
  afterAll(async () => {
    await upstream?.close();
    await redis?.stop();
  });

  test('the password is read from the variable named by passwordEnv', async () => {
    const gateway = await startTestGateway(
      config({ redis: { url: redis.url, passwordEnv: 'GATEWAY_REDIS_PASSWORD', keyPrefix: 'conn:' } }),
      { env: { GATEWAY_REDIS_PASSWORD: PASSWORD } },
    );
    try {
      const reply = await postChat(gateway.url, key.key, {});
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-remaining-requests')).toBe('99');
      expect(redis.cli('EXISTS', 'conn:rl:k:conn:rpm')).toBe('1');
      expect(gateway.logs.join('')).toContain('"msg":"redis connected"');
    } finally {
      await gateway.close();
    }
  });

  test('fails at startup when the password variable is not set, naming the field', async () => {
    const started = startTestGateway(config({ redis: { url: redis.url, passwordEnv: 'GATEWAY_REDIS_PASSWORD' } }), { env: {} });
    await expect(started).rejects.toThrow(GatewayConfigError);
    await expect(started).rejects.toThrow(
      'state.redis.passwordEnv: got GATEWAY_REDIS_PASSWORD (not set); expected the name of a set, non-empty environment variable',
    );
  });

  test('a wrong password is a Redis failure: logged without the password, and the fail mode applies', async () => {
    const gateway = await startTestGateway(config({ redis: { url: redis.url, passwordEnv: 'PW' }, onRedisError: 'fail-closed' }), {
      env: { PW: 'wrong' },
    });
    try {
      const reply = await postChat(gateway.url, key.key, {});
      expect(reply.status).toBe(503);
      expect(reply.body.error?.code).toBe('state_unavailable');
      const logs = gateway.logs.join('');
      expect(logs).toContain('WRONGPASS');
      expect(logs).not.toContain('wrong"');
    } finally {
      await gateway.close();
    }
  });

  test('a Redis that is down at startup does not stop the gateway; it serves per its fail mode', async () => {
    const down = `redis://127.0.0.1:${redis.port + 1}`;
    const failOpen = await startTestGateway(config({ redis: { url: down } }));
    const failClosed = await startTestGateway(config({ redis: { url: down }, onRedisError: 'fail-closed' }));
    try {
      expect(failOpen.logs.join('')).toContain('"msg":"redis not reachable at startup; serving per state.onRedisError until it is"');
      const open = await postChat(failOpen.url, key.key, {});
      expect(open.status).toBe(200);
      expect(open.headers.get('x-ratelimit-remaining-requests')).toBeNull();
      const closed = await postChat(failClosed.url, key.key, {});
      expect(closed.status).toBe(503);
      expect(closed.headers.get('retry-after')).toBe('1');
      expect(closed.body.error).toEqual({
        code: 'state_unavailable',
        type: 'server_error',
        param: null,
        message:
          'Rate limits and budgets cannot be checked right now (the state backend is unavailable), and this gateway refuses requests until they can be (state.onRedisError: fail-closed).',
      });
      // Keys without limits are not refused; the spend report says Redis is unavailable.
      expect((await postChat(failClosed.url, admin.key, {})).status).toBe(200);
      const spend = await fetch(`${failOpen.url}/v1/spend`, { headers: { authorization: `Bearer ${admin.key}` } });
      expect(spend.status).toBe(503);
      expect(((await spend.json()) as { error: { code: string; message: string } }).error).toMatchObject({
        code: 'state_unavailable',
        message: 'Spend cannot be read right now: the state backend is unavailable. Try again shortly.',
      });
    } finally {
      await failOpen.close();
      await failClosed.close();
    }
  });

  test('a Redis that stops answering (SIGSTOP): each request waits at most the command timeout; nothing is counted twice after it wakes', async () => {
    const stalled = await startRedisServer();
    const gateway = await startTestGateway(config({ redis: { url: stalled.url, commandTimeoutMs: 200 } }));
    let sent = 0;
    const chat = async () => {
      sent++;
      const started = performance.now();
      const reply = await postChat(gateway.url, key.key, {});
      expect(reply.status).toBe(200);
      return { reply, ms: performance.now() - started };
    };
    try {
      expect((await chat()).reply.headers.get('x-ratelimit-remaining-requests')).toBe('99');
      stalled.pause();
      for (let i = 0; i < 3; i++) {
        const { reply, ms } = await chat();
        expect(reply.headers.get('x-ratelimit-remaining-requests')).toBeNull();
        expect(ms).toBeLessThan(1500);
      }
      expect(gateway.logs.join('')).toContain(
        '"msg":"state backend failed","stage":"rate_limit","action":"fail_open","error":"Command timed out"',
      );
      stalled.resume();
      // The timed-out admissions and settlements ran when Redis woke up: each request counts once.
      const remaining = await until(
        'limits to come back',
        async () => (await chat()).reply.headers.get('x-ratelimit-remaining-requests') ?? undefined,
      );
      expect(Number(remaining)).toBeGreaterThanOrEqual(100 - sent);
      expect(Number(remaining)).toBeLessThanOrEqual(100 - sent + 2);
      const spent = async () => {
        const report = (await (await fetch(`${gateway.url}/v1/spend`, { headers: { authorization: `Bearer ${admin.key}` } })).json()) as {
          keys: Array<{ id: string; requests: number }>;
        };
        return report.keys.find((k) => k.id === 'conn')?.requests ?? 0;
      };
      await until('every request in the spend', async () => ((await spent()) === sent ? true : undefined));
      await sleep(300);
      expect(await spent()).toBe(sent);
    } finally {
      await gateway.close();
      await stalled.stop();
    }
  });
});
