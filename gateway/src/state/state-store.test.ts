/**
 * One table of cases run against both stores: the in-memory one and Redis (a real redis-server,
 * running the Lua scripts). They must agree, since token-bucket.ts and redis-scripts.ts implement
 * the same algorithm twice. Limits are per minute and small, so the refill during a test (a few
 * ms) never changes a whole unit.
 */
import { silentLogger } from '../log/logger';
import { describeWithRedis, type RedisServer, startRedisServer } from '../../test/support/redis-server';
import { MemoryStateStore } from './memory-state-store';
import { RedisStateStore } from './redis-state-store';
import type { StateStore } from './state-store';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function storeContract(open: () => Promise<StateStore>): void {
  let store: StateStore;
  beforeEach(async () => {
    store = await open();
  });
  afterEach(async () => {
    await store.close();
  });

  const admit = (buckets: Array<[string, number, number]>, budgets: Array<[string, number]> = []) =>
    store.admit({
      buckets: buckets.map(([key, limit, cost]) => ({ key, limit, cost })),
      budgets: budgets.map(([field, limitNanoUsd]) => ({ field, limitNanoUsd })),
      spendKey: 'spend:2025-06',
    });

  test('a request bucket admits its limit, then refuses with the time until one unit refills', async () => {
    const remaining: number[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await admit([['rpm', 3, 1]]);
      expect(reply.outcome).toBe('admitted');
      remaining.push(reply.levels[0].remaining);
    }
    expect(remaining).toEqual([2, 1, 0]);
    const refused = await admit([['rpm', 3, 1]]);
    expect(refused).toMatchObject({ outcome: 'rate_limited', failedIndex: 0, levels: [{ remaining: 0 }] });
    // 3 per minute: one unit every 20 s.
    expect(refused.retryAfterMs).toBeGreaterThan(19_500);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(20_000);
    expect(refused.levels[0].resetMs).toBeGreaterThan(59_500);
  });

  test('buckets are charged all together or not at all', async () => {
    expect(
      (
        await admit([
          ['r', 10, 1],
          ['t', 100, 60],
        ])
      ).outcome,
    ).toBe('admitted');
    const refused = await admit([
      ['r', 10, 1],
      ['t', 100, 60],
    ]);
    expect(refused).toMatchObject({ outcome: 'rate_limited', failedIndex: 1, levels: [{ remaining: 9 }, { remaining: 40 }] });
    const next = await admit([
      ['r', 10, 1],
      ['t', 100, 10],
    ]);
    expect(next).toMatchObject({ outcome: 'admitted', levels: [{ remaining: 8 }, { remaining: 30 }] });
  });

  test('a cost above the whole limit is too large, whatever the level', async () => {
    expect(
      await admit([
        ['r', 10, 1],
        ['t', 100, 101],
      ]),
    ).toMatchObject({ outcome: 'too_large', failedIndex: 1, levels: [{ remaining: 10 }, { remaining: 100 }] });
  });

  test('settle gives back unused reservations and charges usage beyond them (debt)', async () => {
    expect((await admit([['t', 100, 80]])).levels[0].remaining).toBe(20);
    await store.settle({ adjustments: [{ key: 't', limit: 100, delta: -50 }], spendKey: 'spend:2025-06', readBack: [] });
    expect(await admit([['t', 100, 60]])).toMatchObject({ outcome: 'admitted', levels: [{ remaining: 10 }] });
    await store.settle({ adjustments: [{ key: 't', limit: 100, delta: 70 }], spendKey: 'spend:2025-06', readBack: [] });
    const inDebt = await admit([['t', 100, 0]]);
    expect(inDebt.outcome).toBe('rate_limited');
    // Level -60: 60 tokens at 100 per minute to get back to zero.
    expect(inDebt.retryAfterMs).toBeGreaterThan(35_500);
    expect(inDebt.retryAfterMs).toBeLessThanOrEqual(36_000);
  });

  test('a refund never fills a bucket past its limit', async () => {
    await admit([['t', 100, 10]]);
    await store.settle({ adjustments: [{ key: 't', limit: 100, delta: -500 }], spendKey: 'spend:2025-06', readBack: [] });
    expect((await admit([['t', 100, 100]])).outcome).toBe('admitted');
  });

  test('budgets refuse once spend reaches the limit; settle adds spend and reads totals back', async () => {
    const spend = (costNanoUsd: number) => ({
      scopes: ['k:a', 'm:vendor:model'],
      requests: 1,
      inputTokens: 7,
      outputTokens: 0,
      costNanoUsd,
    });
    const settle = (amount: number) =>
      store.settle({ adjustments: [], spendKey: 'spend:2025-06', spend: spend(amount), readBack: ['k:a:c', 't:x:c'] });
    expect(await settle(600)).toEqual([600, 0]);
    expect(await admit([['r', 10, 1]], [['k:a:c', 1000]])).toMatchObject({ outcome: 'admitted', spentNanoUsd: [600] });
    expect(await settle(500)).toEqual([1100, 0]);
    const refused = await admit(
      [['r', 10, 1]],
      [
        ['t:x:c', 5000],
        ['k:a:c', 1000],
      ],
    );
    expect(refused).toMatchObject({ outcome: 'budget_exceeded', failedIndex: 1, spentNanoUsd: [0, 1100] });
    // The refused request charged nothing.
    expect((await admit([['r', 10, 1]])).levels[0].remaining).toBe(8);
    // Zero amounts write nothing; a scope id may itself contain ":".
    expect(await store.readSpend('spend:2025-06')).toEqual({
      'k:a:c': 1100,
      'k:a:r': 2,
      'k:a:i': 14,
      'm:vendor:model:c': 1100,
      'm:vendor:model:r': 2,
      'm:vendor:model:i': 14,
    });
    expect(await store.readSpend('spend:2025-07')).toEqual({});
  });

  test('admissions sent at once are decided in the order sent, each with its own reply', async () => {
    const replies = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        admit(
          [
            ['rpm', 4, 1],
            [`tpm:${i % 2}`, 100, 30],
          ],
          [['k:a:c', 1000]],
        ),
      ),
    );
    expect(replies.map((r) => r.outcome)).toEqual(['admitted', 'admitted', 'admitted', 'admitted', 'rate_limited', 'rate_limited']);
    expect(replies.map((r) => r.levels.map((l) => l.remaining))).toEqual([
      [3, 70],
      [2, 70],
      [1, 40],
      [0, 40],
      [0, 40],
      [0, 40],
    ]);
    // A refused admission charges nothing: the token buckets stay where the last admitted left them.
    expect(replies[4]).toMatchObject({ failedIndex: 0, spentNanoUsd: [0] });
    expect(replies[5].retryAfterMs).toBeGreaterThan(14_000);
  });

  test('settlements sent at once all count, in order, each reading its own fields back', async () => {
    // On Redis the first leaves alone and the rest wait for it, then go out as one command.
    await admit([['tpm', 100, 90]]);
    const settle = (i: number) =>
      store.settle({
        adjustments: [{ key: 'tpm', limit: 100, delta: i % 2 === 0 ? -30 : 5 }],
        spendKey: 'spend:2025-06',
        spend: { scopes: ['k:a', `m:${i % 3}`], requests: 1, inputTokens: i, outputTokens: 1, costNanoUsd: 10 },
        readBack: i % 2 === 0 ? ['k:a:c'] : ['m:1:c', 'k:a:r'],
      });
    const totals = await Promise.all(Array.from({ length: 10 }, (_, i) => settle(i)));
    // Spend: all ten, whatever the batching.
    expect(await store.readSpend('spend:2025-06')).toMatchObject({ 'k:a:r': 10, 'k:a:i': 45, 'k:a:c': 100, 'm:1:r': 3, 'm:1:c': 30 });
    // Read-backs: never less than the call's own spend, never more than everything.
    for (const [i, t] of totals.entries()) {
      if (i % 2 === 0) expect(t[0]).toBeGreaterThanOrEqual(10 * (i + 1));
      expect(t.every((v) => v > 0 && v <= 100)).toBe(true);
    }
    expect(totals[9]).toEqual([30, 10]);
    // Adjustments apply one by one, each clamped at the limit: from 10 left, +30 -5 +30 -5 +30 -5
    // +30 (clamped at 100) -5 +30 (clamped) -5 is 95; summed first it would have been 100.
    expect((await admit([['tpm', 100, 0]])).levels[0].remaining).toBe(95);
  });

  test('cache entries are returned until their TTL passes', async () => {
    await store.cacheSet('cache:a:1', '{"x":1}', 1);
    expect(await store.cacheGet('cache:a:1')).toBe('{"x":1}');
    expect(await store.cacheGet('cache:b:1')).toBeUndefined();
    await sleep(1100);
    expect(await store.cacheGet('cache:a:1')).toBeUndefined();
  });
}

describe('memory store', () => {
  storeContract(async () => new MemoryStateStore());
});

describeWithRedis('redis store', () => {
  let server: RedisServer;
  let run = 0;
  beforeAll(async () => {
    server = await startRedisServer();
  });
  afterAll(async () => {
    await server?.stop();
  });
  storeContract(() => RedisStateStore.connect({ url: server.url, keyPrefix: `t${++run}:`, commandTimeoutMs: 1000, log: silentLogger }));

  test('settlements arriving while one is out go to Redis as one command', async () => {
    const store = await RedisStateStore.connect({ url: server.url, keyPrefix: 'batched:', commandTimeoutMs: 1000, log: silentLogger });
    try {
      const scripts = () =>
        [...server.cli('INFO', 'commandstats').matchAll(/^cmdstat_(?:eval|evalsha):calls=(\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
      const before = scripts();
      const spend = { scopes: ['k:a'], requests: 1, inputTokens: 3, outputTokens: 1, costNanoUsd: 5 };
      const totals = await Promise.all(
        Array.from({ length: 20 }, () => store.settle({ adjustments: [], spendKey: 'spend:2025-06', spend, readBack: ['k:a:c'] })),
      );
      expect(scripts() - before).toBe(2);
      expect(totals[0]).toEqual([5]);
      expect(totals.slice(1).every((t) => t[0] === 100)).toBe(true);
      expect(server.cli('HGET', 'batched:spend:2025-06', 'k:a:i')).toBe('60');
    } finally {
      await store.close();
    }
  });

  test('keys carry the prefix; buckets expire once full again; spend hashes keep a year', async () => {
    const store = await RedisStateStore.connect({ url: server.url, keyPrefix: 'prefixed:', commandTimeoutMs: 1000, log: silentLogger });
    try {
      await store.admit({ buckets: [{ key: 'rl:k:a:rpm', limit: 60, cost: 1 }], budgets: [], spendKey: 'spend:2025-06' });
      await store.settle({
        adjustments: [],
        spendKey: 'spend:2025-06',
        spend: { scopes: ['k:a'], requests: 1, inputTokens: 0, outputTokens: 0, costNanoUsd: 0 },
        readBack: [],
      });
      // One unit of 60/min refills in 1 s: the idle bucket lives ~1 s + 1 s.
      const ttl = Number(server.cli('PTTL', 'prefixed:rl:k:a:rpm'));
      expect(ttl).toBeGreaterThan(1500);
      expect(ttl).toBeLessThanOrEqual(2000);
      expect(Number(server.cli('TTL', 'prefixed:spend:2025-06'))).toBeGreaterThan(399 * 24 * 3600);
      expect(server.cli('HGET', 'prefixed:spend:2025-06', 'k:a:r')).toBe('1');
    } finally {
      await store.close();
    }
  });
});
