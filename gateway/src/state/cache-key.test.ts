import { parseGatewayConfig } from '../config/load-config';
import type { GatewayConfigInput } from '../config/schema';
import { GatewayError } from '../errors/gateway-error';
import type { ChatCompletionRequest } from '../providers/openai-types';
import { cacheDirective, cacheKey, RouteFingerprints } from './cache-key';

const input: GatewayConfigInput = {
  providers: [
    { name: 'a', type: 'openai', baseUrl: 'http://a.test/v1' },
    { name: 'b', type: 'openai', baseUrl: 'http://b.test/v1' },
  ],
  models: [
    { name: 'chat', targets: [{ provider: 'a', model: 'gpt-4o-mini' }] },
    { name: '*', targets: [{ provider: 'b' }] },
  ],
};
const fingerprints = new RouteFingerprints(parseGatewayConfig(input));
const base: ChatCompletionRequest = { model: 'chat', messages: [{ role: 'user', content: 'hi' }], temperature: 0 };
const keyOf = (request: ChatCompletionRequest, tenant = 'a', dataClass = 'standard') =>
  cacheKey(tenant, fingerprints.for(request.model)!, dataClass, request);

describe('cacheKey', () => {
  test('is scoped by tenant and stable for the same request', () => {
    expect(keyOf(base)).toMatch(/^cache:a:[0-9a-f]{64}$/);
    expect(keyOf({ ...base })).toBe(keyOf(base));
    expect(keyOf(base, 'b')).toMatch(/^cache:b:/);
    expect(keyOf(base, 'b').slice(8)).toBe(keyOf(base).slice(8));
  });

  test.each<[string, Partial<ChatCompletionRequest>]>([
    ['messages', { messages: [{ role: 'user', content: 'hello' }] }],
    ['temperature', { temperature: 0.7 }],
    ['top_p', { top_p: 0.5 }],
    ['seed', { seed: 7 }],
    ['n', { n: 2 }],
    ['stop', { stop: ['\n'] }],
    ['max_tokens', { max_tokens: 5 }],
    ['max_completion_tokens', { max_completion_tokens: 5 }],
    ['tools', { tools: [{ type: 'function', function: { name: 'f' } }] }],
    ['tool_choice', { tool_choice: 'required' }],
    ['response_format', { response_format: { type: 'json_object' } }],
    ['an unknown parameter', { reasoning_effort: 'high' }],
    ['the model name', { model: 'other' }],
  ])('changes with %s', (_name, change) => {
    expect(keyOf({ ...base, ...change })).not.toBe(keyOf(base));
  });

  test.each<[string, Partial<ChatCompletionRequest>]>([
    ['stream', { stream: true }],
    ['stream_options', { stream: true, stream_options: { include_usage: true } }],
    ['user', { user: 'u-1' }],
    ['metadata', { metadata: { team: 'x' } }],
    ['store', { store: false }],
  ])('ignores %s (cannot change the answer)', (_name, change) => {
    expect(keyOf({ ...base, ...change })).toBe(keyOf(base));
  });

  test('changes with the data class and with the route', () => {
    expect(keyOf(base, 'a', 'sensitive')).not.toBe(keyOf(base));
    const moved = new RouteFingerprints(
      parseGatewayConfig({ ...input, models: [{ name: 'chat', targets: [{ provider: 'b', model: 'gpt-4o-mini' }] }] }),
    );
    expect(moved.for('chat')).not.toBe(fingerprints.for('chat'));
    expect(fingerprints.for('anything-else')).toBe(fingerprints.for('*'));
  });
});

describe('cacheDirective', () => {
  test.each([
    [{}, 'use'],
    [{ 'x-switchyard-cache': 'no-store' }, 'no-store'],
    [{ 'x-switchyard-cache': 'Refresh' }, 'refresh'],
    [{ 'cache-control': 'no-store' }, 'no-store'],
    [{ 'cache-control': 'max-age=0, no-cache' }, 'refresh'],
    [{ 'cache-control': 'max-age=60' }, 'use'],
    [{ 'x-switchyard-cache': 'refresh', 'cache-control': 'no-store' }, 'refresh'],
  ])('%p -> %s', (headers, directive) => {
    expect(cacheDirective(headers)).toBe(directive);
  });

  test('fails when x-switchyard-cache has another value, naming the header and the allowed values', () => {
    let error: unknown;
    try {
      cacheDirective({ 'x-switchyard-cache': 'off' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayError);
    expect((error as GatewayError).toBody().error).toEqual({
      code: 'invalid_request',
      type: 'invalid_request_error',
      param: 'x-switchyard-cache',
      message: `Invalid header 'x-switchyard-cache': got "off"; expected "no-store" (do not read or write the cache) or "refresh" (skip the lookup, store the answer).`,
    });
  });
});
