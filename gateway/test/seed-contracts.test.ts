/**
 * The seed platform's contracts: GET /health, /healthz, /readyz, /providers; POST /chat with
 * `{ prompt, model }`; POST /api/infer with `{ model, payload }` forwarded as-is to a registered
 * http model service, with compliance applied to the payload.
 */
import { chatCompletion, type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

let llm: FakeUpstream;
let privateService: FakeUpstream;
let publicService: FakeUpstream;
let gateway: TestGateway;

const auth = { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' };
const post = (path: string, body: unknown, headers: Record<string, string> = auth) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', headers, body: typeof body === 'string' ? body : JSON.stringify(body) });

beforeAll(async () => {
  llm = await startFakeUpstream((_req, res) => sendJsonResponse(res, 200, chatCompletion('Paris.')));
  privateService = await startFakeUpstream((req, res) => sendJsonResponse(res, 200, `{"label":"positive","echo":${req.body}}`));
  publicService = await startFakeUpstream((_req, res) => sendJsonResponse(res, 200, { label: 'public' }));
  gateway = await startTestGateway({
    providers: [
      { name: 'llm', type: 'openai', baseUrl: `${llm.url}/v1`, private: true },
      { name: 'sentiment', type: 'http', baseUrl: privateService.url, path: '/v2/infer', private: true },
      { name: 'translate', type: 'http', baseUrl: publicService.url },
    ],
    models: [{ name: 'chat', targets: [{ provider: 'llm', model: 'm' }] }],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
  });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([llm.close(), privateService.close(), publicService.close()]);
});

test.each(['/health', '/healthz', '/readyz'])('GET %s answers 200 without a key', async (path) => {
  const response = await fetch(`${gateway.url}${path}`);
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ status: 'ok' });
});

test('GET /providers lists providers, their privacy and models, never URLs or keys (and needs a key)', async () => {
  expect((await fetch(`${gateway.url}/providers`)).status).toBe(401);
  const body = (await (await fetch(`${gateway.url}/providers`, { headers: auth })).json()) as { providers: Array<Record<string, unknown>> };
  expect(body.providers.map((p) => [p.name, p.type, p.private])).toEqual([
    ['llm', 'openai', true],
    ['sentiment', 'http', true],
    ['translate', 'http', false],
  ]);
  expect(body.providers[0]).toMatchObject({ models: ['chat'], circuits: [{ model: 'm', state: 'closed' }] });
  expect(JSON.stringify(body)).not.toContain('127.0.0.1');
});

test('POST /chat answers { model, response }', async () => {
  const response = await post('/chat', { prompt: 'Capital of France?', model: 'chat' });
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ model: 'chat', response: 'Paris.' });
  expect(llm.requests[llm.requests.length - 1].json()).toEqual({ model: 'm', messages: [{ role: 'user', content: 'Capital of France?' }] });
});

test('POST /chat without a prompt is a 400 naming it', async () => {
  const response = await post('/chat', { model: 'chat' });
  expect(response.status).toBe(400);
  expect(((await response.json()) as { error: unknown }).error).toMatchObject({ param: 'prompt', code: 'invalid_request' });
});

test('POST /api/infer forwards the body as-is to the registered service path and returns its answer as-is', async () => {
  const body = '{"model":"sentiment","payload":{"text":"I love it","options":[1,2]}}';
  const response = await post('/api/infer', body);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/json');
  expect(await response.text()).toBe(`{"label":"positive","echo":${body}}`);
  const seen = privateService.requests[privateService.requests.length - 1];
  expect(seen.path).toBe('/v2/infer');
  expect(seen.body).toBe(body);
});

test('POST /api/infer with sensitive payload is refused for a non-private service', async () => {
  const before = publicService.requests.length;
  const response = await post('/api/infer', { model: 'translate', payload: { text: 'my card is 4111 1111 1111 1111' } });
  expect(response.status).toBe(403);
  expect(((await response.json()) as { error: { code: string } }).error.code).toBe('compliance_no_private_target');
  expect(publicService.requests.length).toBe(before);
});

test('POST /api/infer to a chat model or an unknown name is a 404', async () => {
  expect((await post('/api/infer', { model: 'chat', payload: {} })).status).toBe(404);
  expect((await post('/api/infer', { model: 'nope', payload: {} })).status).toBe(404);
});

test('a failing service is normalised, not passed through raw', async () => {
  publicService.handler = (_req, res) => sendJsonResponse(res, 500, { error: 'Traceback (most recent call last): secret internals' });
  const response = await post('/api/infer', { model: 'translate', payload: { text: 'hello' } });
  expect(response.status).toBe(502);
  const text = await response.text();
  expect(text).not.toContain('Traceback');
  expect(JSON.parse(text).error).toMatchObject({ code: 'upstream_server_error', type: 'server_error' });
});
