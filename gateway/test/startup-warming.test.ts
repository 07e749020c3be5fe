/**
 * Startup work left to the background (the tokenizer, with tpm limits): the gateway serves
 * requests at once, reserving tokens by the byte estimate, while GET /readyz answers 503
 * "starting" so Kubernetes routes no traffic yet; once the work settles, /readyz answers 200.
 */
import { passThroughStages } from '../src/pipeline/stages';
import { startGateway, type RunningGateway } from '../src/start-gateway';
import { silentLogger } from '../src/log/logger';
import { chatCompletion, type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256 } from './support/test-gateway';

let upstream: FakeUpstream;
beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) => sendJsonResponse(res, 200, chatCompletion('Paris.')));
});
afterAll(() => upstream.close());

const config = () => ({
  providers: [{ name: 'llm', type: 'openai' as const, baseUrl: `${upstream.url}/v1` }],
  models: [{ name: 'chat', targets: [{ provider: 'llm', model: 'm' }] }],
  keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'], tpm: 100_000 }],
});
const chat = (gw: RunningGateway) =>
  fetch(`${gw.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
  });

test('while warming: requests are served, /readyz is 503 "starting"; after: /readyz is 200', async () => {
  let finish!: () => void;
  const warming = new Promise<void>((resolve) => (finish = resolve));
  const gateway = await startGateway(config(), { stages: () => ({ ...passThroughStages, warming }), log: silentLogger, auditSink: null });
  try {
    const starting = await fetch(`${gateway.url}/readyz`);
    expect(starting.status).toBe(503);
    expect(await starting.json()).toEqual({ status: 'starting' });
    expect((await chat(gateway)).status).toBe(200);
    finish();
    await gateway.ready;
    const ready = await fetch(`${gateway.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ok' });
  } finally {
    await gateway.close();
  }
});

test('with a tpm limit the state layer loads the tokenizer in the background and logs when it is ready', async () => {
  const gateway = await startTestGateway(config());
  try {
    expect((await fetch(`${gateway.url}/readyz`)).status).toBe(200);
    expect(gateway.logs.some((line) => line.includes('"msg":"tokenizer loaded for tpm reservations"'))).toBe(true);
    expect((await chat(gateway)).headers.get('x-ratelimit-limit-tokens')).toBe('100000');
  } finally {
    await gateway.close();
  }
});
