/**
 * Rate limits, token reservations, budgets and GET /v1/spend through a running gateway backed by a
 * real redis-server, with the official openai client where it matters. Every expected number is
 * derived here from the limits, the upstream's usage and the price table.
 */
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/schema';
import { costUsd } from '../src/usage/cost';
import type { FakeUpstream } from './support/fake-upstream';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { startTestGateway, type TestGateway } from './support/test-gateway';
import { postChat, startUsageUpstream, testKey, until } from './support/usage-upstream';

const USAGE = { promptTokens: 10, completionTokens: 5 };
const PRICE = { model: 'gpt-4o-mini', inputUsdPerMillion: 150, outputUsdPerMillion: 600 };
/** What one answered request costs, from the price table. */
const COST = costUsd({ inputTokens: USAGE.promptTokens, outputTokens: USAGE.completionTokens }, PRICE);
/** The prompt `[{ role: "user", content: "hi" }]` as reserved: 3 + 3 per message + 1 token for "hi". */
const HI_PROMPT_TOKENS = 7;
const TPM = 3000;
const RESERVATION = 1000;

const keys = {
  admin: testKey('admin'),
  rpm: testKey('rpm-3'),
  tpm: testKey('tpm'),
  budget: testKey('budget'),
  tenantOne: testKey('tenant-c-1'),
  tenantTwo: testKey('tenant-c-2'),
  modelCapped: testKey('model-capped'),
};

function config(upstream: FakeUpstream, redis: RedisServer, prefix: string): GatewayConfigInput {
  const key = (id: string, k: { sha256: string }, tenant: string, extra: Record<string, unknown> = {}) => ({
    id,
    sha256: k.sha256,
    tenant,
    models: ['*'],
    ...extra,
  });
  return {
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
    models: [
      { name: 'chat', targets: [{ provider: 'up', model: 'gpt-4o-mini' }] },
      { name: 'limited', targets: [{ provider: 'up', model: 'gpt-4o-mini' }], rpm: 1 },
    ],
    prices: [PRICE],
    keys: [
      key('admin', keys.admin, 'ops', { admin: true }),
      key('rpm-3', keys.rpm, 'a', { rpm: 3 }),
      key('tpm', keys.tpm, 'a', { tpm: TPM }),
      key('budget', keys.budget, 'b', { monthlyBudgetUsd: 2.5 * COST }),
      key('tenant-c-1', keys.tenantOne, 'c'),
      key('tenant-c-2', keys.tenantTwo, 'c'),
      key('model-capped', keys.modelCapped, 'd'),
    ],
    tenants: [{ id: 'c', rpm: 2, monthlyBudgetUsd: 100 }],
    state: { redis: { url: redis.url, keyPrefix: prefix }, completionTokenReservation: RESERVATION },
    audit: { destination: 'off' },
  };
}

const metricValue = (text: string, series: string) =>
  Number(
    text
      .split('\n')
      .find((line) => line.startsWith(`${series} `))
      ?.split(' ')[1],
  );

describeWithRedis('rate limits, budgets and spend over Redis', () => {
  let redis: RedisServer;
  let upstream: FakeUpstream;
  let gateway: TestGateway;
  /** Requests answered 200 (each cost COST): the model's spend must add up to them. */
  let answered = 0;
  const chat = async (key: { key: string }, body: Record<string, unknown> = {}) => {
    const reply = await postChat(gateway.url, key.key, body);
    if (reply.status === 200) answered++;
    return reply;
  };

  beforeAll(async () => {
    redis = await startRedisServer();
    upstream = await startUsageUpstream(() => ({ content: 'Hello there', ...USAGE }));
    gateway = await startTestGateway(config(upstream, redis, 'limits:'));
  });
  afterAll(async () => {
    await gateway?.close();
    await upstream?.close();
    await redis?.stop();
  });

  test('rpm: the limit is admitted with OpenAI rate-limit headers, then 429 with Retry-After in the OpenAI error shape', async () => {
    const remaining: string[] = [];
    for (let i = 0; i < 3; i++) {
      const reply = await chat(keys.rpm);
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-ratelimit-limit-requests')).toBe('3');
      expect(reply.headers.get('x-ratelimit-reset-requests')).toMatch(/^\d+(\.\d+)?s$|^\d+ms$/);
      expect(reply.headers.get('x-ratelimit-limit-tokens')).toBeNull();
      remaining.push(reply.headers.get('x-ratelimit-remaining-requests')!);
    }
    expect(remaining).toEqual(['2', '1', '0']);

    const refused = await chat(keys.rpm);
    expect(refused.status).toBe(429);
    expect(refused.body.error).toEqual({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
      param: null,
      message: expect.stringMatching(
        /^Rate limit reached for API key "rpm-3" on requests per minute: limit 3, remaining 0\. Try again in (19|20)(\.\d+)?s\.$/,
      ),
    });
    expect(Number(refused.headers.get('retry-after'))).toBe(20);
    expect(Number(refused.headers.get('retry-after-ms'))).toBeGreaterThan(19_000);
    expect(refused.headers.get('x-ratelimit-remaining-requests')).toBe('0');

    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: keys.rpm.key, maxRetries: 0 });
    const error = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as InstanceType<typeof OpenAI.RateLimitError>).code).toBe('rate_limit_exceeded');

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metricValue(metrics, 'switchyard_rate_limit_rejections_total{key_id="rpm-3",tenant="a",model="chat",limit="rpm"}')).toBe(2);
  });

  test('tpm: prompt + max_tokens are reserved before the call, then settled to the real usage', async () => {
    const first = await chat(keys.tpm, { max_tokens: 200 });
    expect(first.status).toBe(200);
    expect(first.headers.get('x-ratelimit-limit-tokens')).toBe(String(TPM));
    expect(Number(first.headers.get('x-ratelimit-remaining-tokens'))).toBe(TPM - (HI_PROMPT_TOKENS + 200));

    // The first request's reservation was replaced by its usage (15 tokens); the refill is 50 tokens/s.
    const second = await chat(keys.tpm, { max_tokens: 200 });
    const afterSettle = TPM - (USAGE.promptTokens + USAGE.completionTokens) - (HI_PROMPT_TOKENS + 200);
    expect(Number(second.headers.get('x-ratelimit-remaining-tokens'))).toBeGreaterThanOrEqual(afterSettle);
    expect(Number(second.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(afterSettle + 25);

    // Without max_tokens, the configured reservation applies (both earlier requests settled to 15 tokens).
    const third = await chat(keys.tpm);
    const withDefault = TPM - 2 * (USAGE.promptTokens + USAGE.completionTokens) - (HI_PROMPT_TOKENS + RESERVATION);
    expect(Number(third.headers.get('x-ratelimit-remaining-tokens'))).toBeGreaterThanOrEqual(withDefault);
    expect(Number(third.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(withDefault + 25);
  });

  test('tpm: a request larger than the whole limit is refused as too large, not to be retried', async () => {
    const refused = await chat(keys.tpm, { max_tokens: 5000 });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    expect(refused.body.error).toEqual({
      code: 'rate_limit_exceeded',
      type: 'rate_limit_error',
      param: 'max_tokens',
      message: `Request too large for API key "tpm": it needs about ${HI_PROMPT_TOKENS + 5000} tokens (${HI_PROMPT_TOKENS} for the prompt, 5000 reserved for the completion) but the limit is ${TPM} tokens per minute. Send a shorter prompt or a smaller max_tokens.`,
    });
  });

  test('tenant and model limits hold across keys', async () => {
    expect((await chat(keys.tenantOne)).status).toBe(200);
    expect((await chat(keys.tenantTwo)).status).toBe(200);
    const refused = await chat(keys.tenantOne);
    expect(refused.status).toBe(429);
    expect(refused.body.error?.message).toMatch(/^Rate limit reached for tenant "c" on requests per minute: limit 2, remaining 0\./);

    expect((await chat(keys.modelCapped, { model: 'limited' })).status).toBe(200);
    const capped = await chat(keys.tpm, { model: 'limited', max_tokens: 10 });
    expect(capped.status).toBe(429);
    expect(capped.body.error?.message).toMatch(/^Rate limit reached for model "limited" on requests per minute: limit 1/);
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(
      metricValue(metrics, 'switchyard_rate_limit_rejections_total{key_id="tenant-c-1",tenant="c",model="chat",limit="tenant_rpm"}'),
    ).toBe(1);
    expect(metricValue(metrics, 'switchyard_rate_limit_rejections_total{key_id="tpm",tenant="a",model="limited",limit="model_rpm"}')).toBe(
      1,
    );
  });

  test('budget: spend accumulates from the price table; once it reaches the budget, 429 budget_exceeded', async () => {
    // Budget 2.5 x COST: admitted at 0, 1 and 2 x COST spent; refused at 3 x COST.
    for (let i = 0; i < 3; i++) expect((await chat(keys.budget)).status).toBe(200);
    const refused = await chat(keys.budget);
    expect(refused.status).toBe(429);
    expect(refused.headers.get('x-should-retry')).toBe('false');
    const period = new Date().toISOString().slice(0, 7);
    expect(refused.body.error).toEqual({
      code: 'budget_exceeded',
      type: 'insufficient_quota',
      param: null,
      message: expect.stringContaining(
        `Monthly budget exhausted: API key "budget" has spent $${(3 * COST).toFixed(2)} of its $${(2.5 * COST).toFixed(2)} budget for ${period}; it resets at `,
      ),
    });
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metricValue(metrics, 'switchyard_budget_remaining_usd{scope="key",id="budget"}')).toBeCloseTo(2.5 * COST - 3 * COST, 9);
    expect(metricValue(metrics, 'switchyard_budget_rejections_total{key_id="budget",tenant="b",scope="key"}')).toBe(1);
  });

  test('GET /v1/spend: 401 without a valid key, 403 for a non-admin key, 400 for a bad period', async () => {
    const get = (key?: string, query = '') =>
      fetch(`${gateway.url}/v1/spend${query}`, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    expect((await get()).status).toBe(401);
    expect((await get('sk-wrong')).status).toBe(401);
    const forbidden = await get(keys.rpm.key);
    expect(forbidden.status).toBe(403);
    expect(((await forbidden.json()) as { error: unknown }).error).toEqual({
      code: 'admin_required',
      type: 'permission_error',
      param: null,
      message: '/v1/spend needs an admin key; key "rpm-3" is not one.',
    });
    const bad = await get(keys.admin.key, '?period=2025-13');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { param: string } }).error.param).toBe('period');
  });

  test('GET /v1/spend: spend by key, tenant and model, recomputed from the price table', async () => {
    const period = new Date().toISOString().slice(0, 7);
    type Line = {
      id: string;
      spendUsd: number;
      requests: number;
      inputTokens: number;
      outputTokens: number;
      budgetUsd?: number;
      remainingUsd?: number;
    };
    type Report = {
      object: string;
      period: string;
      start: string;
      end: string;
      currency: string;
      keys: Line[];
      tenants: Line[];
      models: Line[];
    };
    const report = await until('every answered request in the spend', async () => {
      const body = (await (
        await fetch(`${gateway.url}/v1/spend`, { headers: { authorization: `Bearer ${keys.admin.key}` } })
      ).json()) as Report;
      const total = body.models.reduce((sum, m) => sum + m.requests, 0);
      return total === answered ? body : undefined;
    });
    expect(report).toMatchObject({ object: 'spend', period, currency: 'USD', start: `${period}-01T00:00:00.000Z` });
    const line = (rows: Line[], id: string) => rows.find((r) => r.id === id);
    expect(line(report.keys, 'budget')).toEqual({
      id: 'budget',
      requests: 3,
      inputTokens: 30,
      outputTokens: 15,
      spendUsd: expect.closeTo(3 * COST, 12),
      budgetUsd: 2.5 * COST,
      remainingUsd: expect.closeTo(-0.5 * COST, 12),
    });
    expect(line(report.keys, 'rpm-3')).toMatchObject({ requests: 3, spendUsd: expect.closeTo(3 * COST, 12) });
    expect(line(report.tenants, 'c')).toEqual({
      id: 'c',
      requests: 2,
      inputTokens: 20,
      outputTokens: 10,
      spendUsd: expect.closeTo(2 * COST, 12),
      budgetUsd: 100,
      remainingUsd: expect.closeTo(100 - 2 * COST, 9),
    });
    expect(line(report.models, 'chat')?.spendUsd).toBeCloseTo((answered - 1) * COST, 12);
    expect(line(report.models, 'limited')?.requests).toBe(1);
    // Highest spend first.
    expect(report.keys.map((k) => k.spendUsd)).toEqual([...report.keys.map((k) => k.spendUsd)].sort((a, b) => b - a));

    const old = (await (
      await fetch(`${gateway.url}/v1/spend?period=2020-01`, { headers: { authorization: `Bearer ${keys.admin.key}` } })
    ).json()) as Report;
    expect(old).toMatchObject({ period: '2020-01', start: '2020-01-01T00:00:00.000Z', end: '2020-02-01T00:00:00.000Z', models: [] });
    expect(line(old.keys, 'budget')).toEqual({
      id: 'budget',
      spendUsd: 0,
      requests: 0,
      inputTokens: 0,
      outputTokens: 0,
      budgetUsd: 2.5 * COST,
      remainingUsd: 2.5 * COST,
    });
  });
});
