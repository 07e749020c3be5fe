/**
 * Ollama as the gateway meets it first: the embedded defaults (no config) route every model name
 * to Ollama as-is, and the official openai client's embeddings call (which asks for base64 by
 * default) works against Ollama's native /api/embed.
 */
import { readFileSync } from 'node:fs';
import OpenAI from 'openai';
import { embeddedDefaults } from '../src/config/embedded-defaults';
import { type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { FIXTURES_DIR } from './support/stream-replay';
import { startTestGateway, type TestGateway } from './support/test-gateway';

const EMBED = readFileSync(`${FIXTURES_DIR}/ollama/embed.json`, 'utf8');

let ollama: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  ollama = await startFakeUpstream((req, res) => {
    if (req.path === '/api/embed') return sendJsonResponse(res, 200, EMBED);
    const body = req.json<{ model: string }>();
    sendJsonResponse(res, 200, {
      model: body.model,
      created_at: '2024-01-01T00:00:00Z',
      message: { role: 'assistant', content: `hello from ${body.model}` },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 5,
      eval_count: 4,
    });
  });
  // The embedded defaults as the bin uses them, with anonymous access allowed, pointed at the fake.
  const defaults = embeddedDefaults({ SWITCHYARD_ALLOW_ANONYMOUS: 'true' });
  gateway = await startTestGateway({ ...defaults, providers: defaults.providers.map((p) => ({ ...p, baseUrl: ollama.url })) });
});
afterAll(async () => {
  await gateway.close();
  await ollama.close();
});

test('embedded defaults: any model name goes to Ollama as-is, no key needed when anonymous access is allowed', async () => {
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const completion = await client.chat.completions.create({ model: 'llama3.2:3b', messages: [{ role: 'user', content: 'hi' }] });
  expect(completion.choices[0].message.content).toBe('hello from llama3.2:3b');
  expect(completion.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 4, total_tokens: 9 });
  expect(ollama.requests[ollama.requests.length - 1]).toMatchObject({ path: '/api/chat' });
});

test('embedded defaults keep auth on unless anonymous access is explicitly allowed', async () => {
  const defaults = embeddedDefaults({});
  const closed = await startTestGateway({ ...defaults, providers: defaults.providers.map((p) => ({ ...p, baseUrl: ollama.url })) });
  try {
    const response = await fetch(`${closed.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'x', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.status).toBe(401);
  } finally {
    await closed.close();
  }
});

test("embeddings through the official client (base64 by default) decode to Ollama's vectors", async () => {
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'unused', maxRetries: 0 });
  const result = await client.embeddings.create({ model: 'all-minilm', input: ['first', 'second'] });
  const expected = (JSON.parse(EMBED) as { embeddings: number[][] }).embeddings;
  expect(result.data.map((d) => d.embedding)).toEqual(expected.map((vector) => vector.map((n) => Math.fround(n))));
  expect(result.usage).toEqual({ prompt_tokens: 8, total_tokens: 8 });
  expect(ollama.requests[ollama.requests.length - 1].json()).toEqual({ model: 'all-minilm', input: ['first', 'second'] });
});
