import { httpAdapter } from '../providers/http/http-adapter';
import { openaiAdapter } from '../providers/openai/openai-adapter';
import { GatewayConfigError } from './config-error';
import { compileRuntime } from './gateway-runtime';
import { parseGatewayConfig, parseGatewayConfigYaml } from './load-config';
import type { GatewayConfigInput } from './schema';

const valid: GatewayConfigInput = {
  providers: [
    { name: 'local-ollama', type: 'openai', baseUrl: 'http://ollama:11434/v1', private: true },
    { name: 'openai', type: 'openai', baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  ],
  models: [
    {
      name: 'chat',
      targets: [
        { provider: 'openai', model: 'gpt-4o-mini' },
        { provider: 'local-ollama', model: 'llama3.2:3b' },
      ],
    },
  ],
  keys: [{ id: 'team-a', sha256: 'a'.repeat(64), tenant: 'a', models: ['*'] }],
};

function problemsOf(input: unknown): string[] {
  try {
    parseGatewayConfig(input);
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.problems.map((p) => `${p.path}: got ${p.got}; expected ${p.expected}`);
    throw error;
  }
  return [];
}

test('a valid config gets its defaults', () => {
  const config = parseGatewayConfig(valid);
  expect(config.compliance).toEqual({ onSensitive: 'private-only', patterns: [], keywords: [] });
  expect(config.models[0].strategy).toBe('priority');
  expect(config.timeouts).toEqual({ connectMs: 5000, firstByteMs: 60000, idleMs: 30000 });
  expect(config.routing).toMatchObject({ attemptsPerTarget: 2, circuitBreaker: { failureThreshold: 5, cooldownMs: 30000 } });
  expect(config.auth.allowAnonymous).toBe(false);
  expect(config.limits.maxBodyBytes).toBe(10 * 1024 * 1024);
  expect(config.providers[1].private).toBe(false);
});

test('state-layer fields validate (state, tenants, cache, per-key limits)', () => {
  const config = parseGatewayConfig({
    ...valid,
    keys: [{ id: 'team-a', sha256: 'a'.repeat(64), tenant: 'a', models: ['*'], rpm: 600, tpm: 200000, monthlyBudgetUsd: 100 }],
    state: { redis: { url: 'redis://127.0.0.1:6379', passwordEnv: 'REDIS_PASSWORD' } },
    tenants: [{ id: 'a', monthlyBudgetUsd: 1000 }],
    cache: { ttlSeconds: 3600 },
  });
  expect(config.state).toEqual({
    redis: { url: 'redis://127.0.0.1:6379', passwordEnv: 'REDIS_PASSWORD', keyPrefix: 'switchyard:', commandTimeoutMs: 250 },
    onRedisError: 'fail-open',
    completionTokenReservation: 1024,
  });
  expect(config.keys[0]).toMatchObject({ rpm: 600, tpm: 200000, monthlyBudgetUsd: 100, admin: false });
});

test.each<[string, unknown, string]>([
  [
    'a provider type is unknown',
    { ...valid, providers: [{ ...valid.providers[0], type: 'azure' }, valid.providers[1]] },
    'providers[0].type: got "azure"; expected one of "openai", "ollama", "anthropic", "bedrock", "http"',
  ],
  [
    'a target names no provider',
    { ...valid, models: [{ name: 'chat', targets: [{ provider: 'nope', model: 'x' }] }] },
    'models[0].targets[0].provider: got "nope"; expected one of the provider names "local-ollama", "openai"',
  ],
  [
    'a key digest is not hex SHA-256',
    { ...valid, keys: [{ id: 'k', sha256: 'abc', tenant: 't', models: ['*'] }] },
    'keys[0].sha256: got "abc"; expected a hex SHA-256 digest (64 hex characters)',
  ],
  [
    'a key allows an unknown model',
    { ...valid, keys: [{ id: 'k', sha256: 'b'.repeat(64), tenant: 't', models: ['gpt-5'] }] },
    'keys[0].models[0]: got "gpt-5"; expected "*", a model name ("chat") or the name of an http provider',
  ],
  [
    'a bedrock provider has no region',
    { ...valid, providers: [...valid.providers, { name: 'aws', type: 'bedrock' }] },
    'providers[2].region: got missing; expected an AWS region (bedrock providers need one)',
  ],
  [
    'a non-bedrock provider has no baseUrl',
    { ...valid, providers: [{ name: 'x', type: 'openai' }, ...valid.providers] },
    'providers[0].baseUrl: got missing; expected an http(s) URL (openai providers need one)',
  ],
  [
    'two providers share a name',
    { ...valid, providers: [...valid.providers, valid.providers[1]] },
    'providers[2].name: got "openai"; expected a provider name not used before ("openai" is taken)',
  ],
  [
    'a key has an unknown field',
    { ...valid, keys: [{ ...valid.keys![0], rmp: 5 }] },
    'keys[0].rmp: got unknown key "rmp"; expected no such key (check the spelling against the config reference)',
  ],
  [
    'a target omits its model outside the catch-all',
    { ...valid, models: [{ name: 'chat', targets: [{ provider: 'openai' }] }] },
    'models[0].targets[0].model: got missing; expected a model id (only targets of the catch-all model "*" may omit it)',
  ],
  [
    'a compliance pattern is not a regex',
    { ...valid, compliance: { patterns: [{ name: 'x', regex: '(' }] } },
    'compliance.patterns[0].regex: got "("; expected a valid regular expression (Invalid regular expression: /(/giu: Unterminated group)',
  ],
  [
    'onSensitive is unknown',
    { ...valid, compliance: { onSensitive: 'allow' } },
    'compliance.onSensitive: got "allow"; expected one of "private-only", "block"',
  ],
  [
    'a model mixes http services and LLM providers',
    {
      ...valid,
      providers: [...valid.providers, { name: 'svc', type: 'http', baseUrl: 'http://svc:8080' }],
      models: [
        {
          name: 'chat',
          targets: [
            { provider: 'openai', model: 'a' },
            { provider: 'svc', model: 'b' },
          ],
        },
      ],
    },
    'models[0].targets: got [{"provider":"openai","model":"a"},{"provider":"svc","model":"b"}]; expected targets of one kind: all http inference services, or all LLM providers',
  ],
])('fails when %s', (_what, input, message) => {
  expect(problemsOf(input)).toContain(message);
});

test('fails on invalid YAML, naming the line', () => {
  expect(() => parseGatewayConfigYaml('providers: [\n  - a\n', 'gw.yaml')).toThrow(
    /gw\.yaml: \d problems?\n {2}line \d+: got invalid YAML/,
  );
});

describe('compiling for the runtime', () => {
  test('fails when a provider type has no registered adapter, listing the registered ones', () => {
    const config = parseGatewayConfig({ ...valid, providers: [...valid.providers, { name: 'aws', type: 'bedrock', region: 'us-east-1' }] });
    expect(() =>
      compileRuntime(config, { env: { OPENAI_API_KEY: 'k' }, adapters: { openai: openaiAdapter, http: httpAdapter } }, 'gw.yaml'),
    ).toThrow(
      'gw.yaml: 1 problem\n  providers[2].type: got "bedrock"; expected a provider type with a registered adapter ("openai", "http")',
    );
  });

  test('fails when an apiKeyEnv variable is not set', () => {
    expect(() => compileRuntime(parseGatewayConfig(valid), { env: {} })).toThrow(
      'providers[1].apiKeyEnv: got OPENAI_API_KEY (not set); expected the name of a set, non-empty environment variable',
    );
  });

  test('routes names under the catch-all to the same model id upstream', () => {
    const config = parseGatewayConfig({
      providers: [valid.providers[0]],
      models: [{ name: '*', targets: [{ provider: 'local-ollama' }] }],
    });
    const runtime = compileRuntime(config, { env: {} });
    expect(runtime.resolveModel('llama3.2:3b')?.targets[0].upstreamModel).toBe('llama3.2:3b');
    expect(runtime.listedModels).toEqual([]);
  });
});
