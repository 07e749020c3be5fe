/** The state layer's config fields: defaults and each rule's exact message. */
import { parseGatewayConfig } from '../config/load-config';
import type { GatewayConfigInput } from '../config/schema';

const base: GatewayConfigInput = {
  providers: [{ name: 'up', type: 'openai', baseUrl: 'http://up.test/v1' }],
  models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }] }],
  keys: [{ id: 'team-a', sha256: 'a'.repeat(64), tenant: 'a', models: ['*'] }],
};

test('defaults: fail-open, 1024 reserved completion tokens, prefix "switchyard:", 250 ms command timeout', () => {
  const config = parseGatewayConfig({ ...base, state: { redis: { url: 'redis://redis:6379' } } });
  expect(config.state).toEqual({
    redis: { url: 'redis://redis:6379', keyPrefix: 'switchyard:', commandTimeoutMs: 250 },
    onRedisError: 'fail-open',
    completionTokenReservation: 1024,
  });
  expect(parseGatewayConfig({ ...base, cache: { ttlSeconds: 60 } }).cache).toEqual({ ttlSeconds: 60, cacheSensitive: false });
});

test('limits on tenants and models validate', () => {
  const config = parseGatewayConfig({
    ...base,
    tenants: [{ id: 'a', rpm: 100, tpm: 10_000, monthlyBudgetUsd: 50 }],
    models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }], rpm: 5, tpm: 500 }],
  });
  expect(config.tenants).toEqual([{ id: 'a', rpm: 100, tpm: 10_000, monthlyBudgetUsd: 50 }]);
  expect(config.models[0]).toMatchObject({ rpm: 5, tpm: 500 });
});

test.each<[string, Partial<GatewayConfigInput>, string]>([
  [
    'the Redis URL carries a password',
    { state: { redis: { url: 'redis://:hunter2@redis:6379' } } },
    'state.redis.url: got "redis://:hunter2@redis:6379"; expected a URL without a password (put it in the environment variable named by state.redis.passwordEnv)',
  ],
  [
    'the Redis URL is not redis:// or rediss://',
    { state: { redis: { url: 'http://redis:6379' } } },
    'state.redis.url: got "http://redis:6379"; expected a redis:// or rediss:// URL',
  ],
  [
    'passwordEnv is not a variable name',
    { state: { redis: { url: 'redis://redis', passwordEnv: 'redis-password' } } },
    'state.redis.passwordEnv: got "redis-password"; expected an environment variable name such as OPENAI_API_KEY',
  ],
  [
    'keyPrefix has other characters',
    { state: { redis: { url: 'redis://redis', keyPrefix: 'a b' } } },
    'state.redis.keyPrefix: got "a b"; expected up to 64 letters, digits, ":", ".", "_" or "-"',
  ],
  [
    'commandTimeoutMs is above 10 s',
    { state: { redis: { url: 'redis://redis', commandTimeoutMs: 60_000 } } },
    'state.redis.commandTimeoutMs: got 60000; expected a number <= 10000',
  ],
  [
    'onRedisError is unknown',
    { state: { onRedisError: 'retry' as 'fail-open' } },
    'state.onRedisError: got "retry"; expected one of "fail-open", "fail-closed"',
  ],
  [
    'completionTokenReservation is 0',
    { state: { completionTokenReservation: 0 } },
    'state.completionTokenReservation: got 0; expected a number > 0',
  ],
  ['a tenant rpm is fractional', { tenants: [{ id: 'a', rpm: 1.5 }] }, 'tenants[0].rpm: got 1.5; expected a int'],
  [
    'a model tpm is negative',
    { models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }], tpm: -1 }] },
    'models[0].tpm: got -1; expected a number > 0',
  ],
  ['cache.ttlSeconds is missing', { cache: {} as { ttlSeconds: number } }, 'cache.ttlSeconds: got missing; expected a number'],
])('fails when %s', (_name, change, message) => {
  // An Error given to toThrow compares the whole message: exactly one problem, with this text.
  expect(() => parseGatewayConfig({ ...base, ...change })).toThrow(new Error(`<config>: 1 problem\n  ${message}`));
});
