import type { LimitSpec } from './limit-book';
import { formatDuration, rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers';

test.each([
  [0, '0ms'],
  [20, '20ms'],
  [999.2, '1s'],
  [1500, '1.5s'],
  [8640, '8.64s'],
  [60_000, '1m0s'],
  [86_400, '1m26.4s'],
  [360_000, '6m0s'],
  [3_723_000, '1h2m3s'],
])('formatDuration(%p) = %p, as OpenAI writes durations', (ms, text) => {
  expect(formatDuration(ms)).toBe(text);
});

const spec = (unit: LimitSpec['unit'], scope: LimitSpec['scope'], limit: number): LimitSpec => ({
  bucket: `${scope}:${unit}`,
  limit,
  unit,
  scope,
  id: scope,
  metricLimit: unit,
});

test('reports, per unit, the scope with the least remaining', () => {
  const specs = [
    spec('requests', 'key', 600),
    spec('requests', 'tenant', 1000),
    spec('tokens', 'key', 200_000),
    spec('tokens', 'model', 50_000),
  ];
  const levels = [
    { remaining: 599, resetMs: 100 },
    { remaining: 12, resetMs: 59_000 },
    { remaining: 150_000, resetMs: 15_000 },
    { remaining: 40_000, resetMs: 12_000 },
  ];
  expect(rateLimitHeaders(specs, levels)).toEqual({
    'x-ratelimit-limit-requests': '1000',
    'x-ratelimit-remaining-requests': '12',
    'x-ratelimit-reset-requests': '59s',
    'x-ratelimit-limit-tokens': '50000',
    'x-ratelimit-remaining-tokens': '40000',
    'x-ratelimit-reset-tokens': '12s',
  });
});

test('only the units that are limited get headers', () => {
  expect(rateLimitHeaders([spec('requests', 'key', 10)], [{ remaining: 9, resetMs: 6000 }])).toEqual({
    'x-ratelimit-limit-requests': '10',
    'x-ratelimit-remaining-requests': '9',
    'x-ratelimit-reset-requests': '6s',
  });
});

test('retry-after is whole seconds rounded up, retry-after-ms exact, both at least 1', () => {
  expect(retryAfterHeaders(1200)).toEqual({ 'retry-after': '2', 'retry-after-ms': '1200' });
  expect(retryAfterHeaders(0)).toEqual({ 'retry-after': '1', 'retry-after-ms': '1' });
});
