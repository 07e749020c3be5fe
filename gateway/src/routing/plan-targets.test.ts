import { compileRuntime } from '../config/gateway-runtime';
import { gatewayConfigSchema, type GatewayConfigInput } from '../config/schema';
import { GatewayError } from '../errors/gateway-error';
import { MetricsRegistry } from '../metrics/registry';
import { compliantTargets, orderTargets, type RequestNeeds } from './plan-targets';
import { HealthBoard } from './target-health';

function runtimeFor(models: GatewayConfigInput['models'], prices: GatewayConfigInput['prices'] = []) {
  const config = gatewayConfigSchema.parse({
    providers: [
      { name: 'cloud', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' },
      { name: 'local', type: 'openai', baseUrl: 'http://127.0.0.1:2/v1', private: true },
    ],
    models,
    prices,
  });
  return { runtime: compileRuntime(config, { env: {} }), health: new HealthBoard(config.routing, new MetricsRegistry()) };
}

const needs: RequestNeeds = { tools: false, vision: false, estimatedInputTokens: 1000, maxOutputTokens: 500 };
const seeded = (seed: number) => () => {
  seed = (seed * 16807) % 2147483647;
  return (seed - 1) / 2147483646;
};

test('priority keeps config order', () => {
  const { runtime, health } = runtimeFor([
    {
      name: 'm',
      targets: [
        { provider: 'cloud', model: 'a' },
        { provider: 'local', model: 'b' },
      ],
    },
  ]);
  const route = runtime.resolveModel('m')!;
  expect(orderTargets(route, route.targets, needs, health).map((t) => t.id)).toEqual(['cloud/a', 'local/b']);
});

test('weighted splits first choices by weight (canary 90/10)', () => {
  const { runtime, health } = runtimeFor([
    {
      name: 'm',
      strategy: 'weighted',
      targets: [
        { provider: 'cloud', model: 'v1', weight: 9 },
        { provider: 'cloud', model: 'v2', weight: 1 },
      ],
    },
  ]);
  const route = runtime.resolveModel('m')!;
  const random = seeded(42);
  let canary = 0;
  for (let i = 0; i < 10_000; i++) {
    const order = orderTargets(route, route.targets, needs, health, random);
    expect(order).toHaveLength(2);
    if (order[0].upstreamModel === 'v2') canary++;
  }
  expect(canary / 10_000).toBeGreaterThan(0.08);
  expect(canary / 10_000).toBeLessThan(0.12);
});

test('cheapest-capable drops targets lacking a needed capability and orders the rest by estimated cost', () => {
  const { runtime, health } = runtimeFor(
    [
      {
        name: 'm',
        strategy: 'cheapest-capable',
        targets: [
          { provider: 'cloud', model: 'big' },
          { provider: 'cloud', model: 'small', capabilities: { tools: false } },
          { provider: 'local', model: 'free', capabilities: { contextWindow: 1200 } },
          { provider: 'cloud', model: 'unpriced' },
        ],
      },
    ],
    [
      { model: 'big', inputUsdPerMillion: 5, outputUsdPerMillion: 15 },
      { model: 'small', inputUsdPerMillion: 0.1, outputUsdPerMillion: 0.4 },
      { model: 'free', provider: 'local', inputUsdPerMillion: 0, outputUsdPerMillion: 0 },
    ],
  );
  const route = runtime.resolveModel('m')!;
  expect(orderTargets(route, route.targets, { ...needs, estimatedInputTokens: 100 }, health).map((t) => t.upstreamModel)).toEqual([
    'free',
    'small',
    'big',
    'unpriced',
  ]);
  // Tools rule out `small`; 1500 tokens overflow `free`'s 1200-token window.
  expect(orderTargets(route, route.targets, { ...needs, tools: true }, health).map((t) => t.upstreamModel)).toEqual(['big', 'unpriced']);
});

test('cheapest-capable fails when no target can serve, saying what was needed', () => {
  const { runtime, health } = runtimeFor([
    { name: 'm', strategy: 'cheapest-capable', targets: [{ provider: 'cloud', model: 'a', capabilities: { vision: false } }] },
  ]);
  const route = runtime.resolveModel('m')!;
  expect(() => orderTargets(route, route.targets, { ...needs, vision: true }, health)).toThrow(
    'No target of model "m" declares what this request needs (vision, a context window of 1500 tokens).',
  );
});

test('lowest-latency tries unmeasured targets first, then the fastest moving average', () => {
  const { runtime, health } = runtimeFor([
    {
      name: 'm',
      strategy: 'lowest-latency',
      targets: [
        { provider: 'cloud', model: 'slow' },
        { provider: 'cloud', model: 'fast' },
        { provider: 'cloud', model: 'new' },
      ],
    },
  ]);
  const route = runtime.resolveModel('m')!;
  health.get('cloud', 'slow').recordLatency(900, 0.3);
  health.get('cloud', 'fast').recordLatency(100, 0.3);
  expect(orderTargets(route, route.targets, needs, health).map((t) => t.upstreamModel)).toEqual(['new', 'fast', 'slow']);
});

describe('compliance', () => {
  const { runtime } = runtimeFor([
    {
      name: 'm',
      targets: [
        { provider: 'cloud', model: 'a' },
        { provider: 'local', model: 'b' },
      ],
    },
    { name: 'cloud-only', targets: [{ provider: 'cloud', model: 'a' }] },
  ]);
  const compliance = runtime.config.compliance;
  const sensitive = { dataClass: 'sensitive' as const, reasons: ['email'] };

  test('standard requests keep every target', () => {
    expect(compliantTargets(runtime.resolveModel('m')!, { dataClass: 'standard', reasons: [] }, compliance)).toHaveLength(2);
  });

  test('sensitive requests keep only private targets', () => {
    expect(compliantTargets(runtime.resolveModel('m')!, sensitive, compliance).map((t) => t.id)).toEqual(['local/b']);
  });

  test('fails when the model has no private target', () => {
    const error = (() => {
      try {
        compliantTargets(runtime.resolveModel('cloud-only')!, sensitive, compliance);
      } catch (e) {
        return e as GatewayError;
      }
    })();
    expect(error?.code).toBe('compliance_no_private_target');
    expect(error?.message).toBe(
      'The request was classified sensitive (email); model "cloud-only" has no private target, so it was not sent anywhere. Use a model served by a private provider.',
    );
  });
});
