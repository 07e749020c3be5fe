/**
 * One JSON audit line per API request: model calls, the model and provider lists, spend, and the
 * refusals (401, 403, 404, 405), all in one shape; none for the health, readiness and metrics
 * probes. Lines carry the request id the response carries, never a key, a query string or the
 * path of an unknown route.
 */
import { createHash } from 'node:crypto';
import { chatCompletion, type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const ADMIN_KEY = 'sk-test-ops-admin';
const flush = () => new Promise((resolve) => setImmediate(resolve));

let llm: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  llm = await startFakeUpstream((_req, res) => sendJsonResponse(res, 200, chatCompletion('Paris.')));
  gateway = await startTestGateway({
    providers: [{ name: 'llm', type: 'openai', baseUrl: `${llm.url}/v1`, private: true }],
    models: [
      { name: 'chat', targets: [{ provider: 'llm', model: 'm' }] },
      { name: 'embed', targets: [{ provider: 'llm', model: 'e' }] },
    ],
    keys: [
      { id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['chat'] },
      { id: 'ops', sha256: createHash('sha256').update(ADMIN_KEY).digest('hex'), tenant: 'ops', models: ['*'], admin: true },
    ],
  });
});
afterAll(async () => {
  await gateway.close();
  await llm.close();
});

/** Sends one request and returns its response and the audit lines it wrote. */
async function call(method: string, path: string, init: { key?: string; body?: unknown; requestId?: string } = {}) {
  const before = gateway.audit.length;
  const headers: Record<string, string> = {};
  if (init.key) headers.authorization = `Bearer ${init.key}`;
  if (init.requestId) headers['x-request-id'] = init.requestId;
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers,
    body: init.body === undefined ? undefined : JSON.stringify(init.body),
  });
  const text = await response.text();
  await flush();
  return { response, text, lines: gateway.audit.slice(before) };
}

const quiet = {
  model: null,
  provider: null,
  target_model: null,
  data_class: null,
  reasons: [],
  stream: false,
  cache_hit: false,
  input_tokens: 0,
  output_tokens: 0,
  cost_usd: 0,
  ttft_ms: null,
  attempts: 0,
};

test.each([
  [
    'GET',
    '/v1/models',
    TEST_KEY,
    { operation: 'models', path: '/v1/models', key_id: 'team-a', tenant: 'a', status: 200, error_code: null },
  ],
  [
    'GET',
    '/v1/models',
    undefined,
    { operation: 'models', path: '/v1/models', key_id: null, tenant: null, status: 401, error_code: 'missing_api_key' },
  ],
  ['GET', '/providers', TEST_KEY, { operation: 'providers', path: '/providers', key_id: 'team-a', status: 200, error_code: null }],
  [
    'GET',
    '/providers',
    'sk-wrong',
    { operation: 'providers', path: '/providers', key_id: null, status: 401, error_code: 'invalid_api_key' },
  ],
  ['GET', '/v1/spend', ADMIN_KEY, { operation: 'spend', path: '/v1/spend', key_id: 'ops', tenant: 'ops', status: 200, error_code: null }],
  ['GET', '/v1/spend', TEST_KEY, { operation: 'spend', path: '/v1/spend', key_id: 'team-a', status: 403, error_code: 'admin_required' }],
  ['GET', '/v1/spend', undefined, { operation: 'spend', path: '/v1/spend', key_id: null, status: 401, error_code: 'missing_api_key' }],
  [
    'DELETE',
    '/v1/models',
    TEST_KEY,
    { operation: 'none', path: '/v1/models', key_id: null, status: 405, error_code: 'method_not_allowed' },
  ],
  [
    'GET',
    '/v1/chat/completions',
    TEST_KEY,
    { operation: 'none', path: '/v1/chat/completions', status: 405, error_code: 'method_not_allowed' },
  ],
] as const)('%s %s (key %s) writes one line', async (method, path, key, expected) => {
  const { response, lines } = await call(method, path, { key });
  expect(response.status).toBe(expected.status);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatchObject({ ...quiet, method, ...expected, request_id: response.headers.get('x-request-id') });
  expect(lines[0].latency_ms).toEqual(expect.any(Number));
});

test("a 404 writes one line without the client's path or query; the client's request id is kept", async () => {
  const { response, lines } = await call('GET', '/v1/secret-path-ab12?token=sk-leaked-in-url', {
    key: TEST_KEY,
    requestId: 'req-404-probe',
  });
  expect(response.status).toBe(404);
  expect(response.headers.get('x-request-id')).toBe('req-404-probe');
  expect(lines).toEqual([
    expect.objectContaining({
      ...quiet,
      operation: 'none',
      method: 'GET',
      path: null,
      status: 404,
      error_code: 'route_not_found',
      request_id: 'req-404-probe',
    }),
  ]);
  const line = JSON.stringify(lines[0]);
  for (const secret of ['secret-path', 'sk-leaked', TEST_KEY]) expect(line).not.toContain(secret);
});

test('model calls keep their line, now with method and path; refusals on them too', async () => {
  const ok = await call('POST', '/v1/chat/completions', {
    key: TEST_KEY,
    body: { model: 'chat', messages: [{ role: 'user', content: 'Capital of France?' }] },
  });
  expect(ok.lines).toEqual([
    expect.objectContaining({
      operation: 'chat',
      method: 'POST',
      path: '/v1/chat/completions',
      key_id: 'team-a',
      model: 'chat',
      provider: 'llm',
      status: 200,
      input_tokens: 5,
      output_tokens: 2,
    }),
  ]);
  const unauthorized = await call('POST', '/v1/chat/completions', { body: { model: 'chat', messages: [{ role: 'user', content: 'hi' }] } });
  expect(unauthorized.lines).toEqual([expect.objectContaining({ operation: 'chat', status: 401, error_code: 'missing_api_key' })]);
  const forbidden = await call('POST', '/v1/embeddings', { key: TEST_KEY, body: { model: 'embed', input: 'hi' } });
  expect(forbidden.lines).toEqual([
    expect.objectContaining({
      operation: 'embeddings',
      path: '/v1/embeddings',
      key_id: 'team-a',
      status: 403,
      error_code: 'model_not_allowed',
    }),
  ]);
});

test('every line has the same fields, and never a key', async () => {
  await call('GET', '/v1/models', { key: ADMIN_KEY });
  const fields = Object.keys(gateway.audit[0]).sort();
  for (const line of gateway.audit) expect(Object.keys(line).sort()).toEqual(fields);
  const everything = JSON.stringify(gateway.audit);
  for (const key of [TEST_KEY, ADMIN_KEY, TEST_KEY_SHA256]) expect(everything).not.toContain(key);
});

test.each(['/health', '/healthz', '/readyz', '/metrics'])('the probe GET %s writes no line', async (path) => {
  const { response, lines } = await call('GET', path);
  expect(response.status).toBe(200);
  expect(lines).toEqual([]);
});
