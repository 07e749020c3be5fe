/**
 * Compliance end to end: sensitive requests reach only private targets, are refused (never
 * rerouted out) when the private ones fail, are refused when a model has none, and a failing
 * detector fails closed. The public upstream counts every request it ever sees.
 */
import OpenAI from 'openai';
import type { Detector } from '../src/compliance/detectors';
import type { GatewayConfigInput } from '../src/config/schema';
import { chatCompletion, type FakeUpstream, sendJsonResponse, sseBody, startFakeUpstream } from './support/fake-upstream';
import { cloudAndInClusterRoutes, startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const SSN_TEXT = 'Patient SSN is 123-45-6789, please summarise the chart.';

function answer(name: string) {
  return async (req: { json<T>(): T }, res: Parameters<FakeUpstream['handler']>[1]) => {
    const body = req.json<{ stream?: boolean; input?: unknown }>();
    if (body.input !== undefined)
      return sendJsonResponse(res, 200, {
        object: 'list',
        model: name,
        data: [{ object: 'embedding', index: 0, embedding: [1] }],
        usage: { prompt_tokens: 2, total_tokens: 2 },
      });
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        sseBody([
          {
            id: 'u',
            object: 'chat.completion.chunk',
            created: 1,
            model: name,
            choices: [{ index: 0, delta: { content: `from ${name}` }, finish_reason: 'stop' }],
          },
        ]),
      );
      return;
    }
    sendJsonResponse(res, 200, chatCompletion(`from ${name}`, { prompt_tokens: 3, completion_tokens: 2 }, name));
  };
}

let publicUp: FakeUpstream;
let privateUp: FakeUpstream;

function config(overrides: Partial<GatewayConfigInput> = {}): GatewayConfigInput {
  return {
    ...cloudAndInClusterRoutes(publicUp.url, privateUp.url),
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    routing: { attemptsPerTarget: 2, backoffMs: 1, maxBackoffMs: 5 },
    timeouts: { firstByteMs: 300 },
    ...overrides,
  };
}

async function withGateway(
  cfg: GatewayConfigInput,
  run: (gw: TestGateway, client: OpenAI) => Promise<void>,
  extraDetectors?: Detector[],
): Promise<void> {
  const gateway = await startTestGateway(cfg, { extraDetectors });
  try {
    await run(gateway, new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 }));
  } finally {
    await gateway.close();
  }
}

async function chat(gateway: TestGateway, content: string, headers: Record<string, string> = {}, model = 'chat') {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content }] }),
  });
  return { status: response.status, headers: response.headers, body: (await response.json()) as ChatAnswer };
}

interface ChatAnswer {
  choices: Array<{ message: { content: string } }>;
  error: { code: string; message: string; param: string | null; type: string };
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

beforeEach(async () => {
  publicUp = await startFakeUpstream(answer('cloud'));
  privateUp = await startFakeUpstream(answer('in-cluster'));
});
afterEach(async () => {
  await publicUp.close();
  await privateUp.close();
});

test('standard requests use the first target', () =>
  withGateway(config(), async (gateway) => {
    const { status, headers, body } = await chat(gateway, 'Write a haiku about the sea.');
    expect(status).toBe(200);
    expect(body.choices[0].message.content).toBe('from cloud');
    expect(headers.get('x-switchyard-data-class')).toBe('standard');
    expect(headers.get('x-switchyard-classification-reasons')).toBeNull();
  }));

test('sensitive requests reach only private targets; reasons in header, metrics and audit, never the text', () =>
  withGateway(config(), async (gateway) => {
    const { status, headers, body } = await chat(gateway, SSN_TEXT);
    expect(status).toBe(200);
    expect(body.choices[0].message.content).toBe('from in-cluster');
    expect(publicUp.requests).toHaveLength(0);
    expect(headers.get('x-switchyard-data-class')).toBe('sensitive');
    expect(headers.get('x-switchyard-classification-reasons')).toBe('us_ssn');
    await flush();
    const audit = gateway.audit[gateway.audit.length - 1];
    expect(audit).toMatchObject({ data_class: 'sensitive', reasons: ['us_ssn'], provider: 'in-cluster', status: 200 });
    const everything = JSON.stringify(gateway.audit) + gateway.logs.join('') + (await (await fetch(`${gateway.url}/metrics`)).text());
    expect(everything).not.toContain('123-45-6789');
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toContain('switchyard_compliance_decisions_total{operation="chat",data_class="sensitive",outcome="routed"} 1');
    expect(metrics).toContain('switchyard_compliance_detections_total{reason="us_ssn"} 1');
  }));

test('the client header raises harmless text to sensitive', () =>
  withGateway(config(), async (gateway) => {
    const { body, headers } = await chat(gateway, 'hello', { 'x-switchyard-data-class': 'sensitive' });
    expect(body.choices[0].message.content).toBe('from in-cluster');
    expect(headers.get('x-switchyard-classification-reasons')).toBe('header');
    expect(publicUp.requests).toHaveLength(0);
  }));

test('the client header cannot lower sensitive content', () =>
  withGateway(config(), async (gateway) => {
    const { body } = await chat(gateway, SSN_TEXT, { 'x-switchyard-data-class': 'standard' });
    expect(body.choices[0].message.content).toBe('from in-cluster');
    expect(publicUp.requests).toHaveLength(0);
  }));

describe.each([
  ['answers 500', (up: FakeUpstream) => (up.handler = (_req, res) => sendJsonResponse(res, 500, { error: { message: 'boom' } }))],
  ['hangs past the first-byte timeout', (up: FakeUpstream) => (up.handler = () => undefined)],
  ['resets the connection', (up: FakeUpstream) => (up.handler = (_req, res) => void res.socket?.destroy())],
])('when the private target %s', (_what, breakPrivate) => {
  test('a sensitive request is refused, never rerouted to the public target', () =>
    withGateway(config(), async (gateway) => {
      breakPrivate(privateUp);
      const { status, body } = await chat(gateway, SSN_TEXT);
      expect(status).toBe(503);
      expect(body.error.code).toBe('compliance_private_unavailable');
      expect(body.error.message).toContain('classified sensitive (us_ssn)');
      expect(body.error.message).toContain('it was not sent anywhere else');
      expect(body.error.message).not.toContain('123-45-6789');
      expect(privateUp.requests.length).toBe(2);
      expect(publicUp.requests).toHaveLength(0);
      await flush();
      expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
        status: 503,
        error_code: 'compliance_private_unavailable',
        data_class: 'sensitive',
      });
    }));
});

test('a sensitive stream goes to the private target too', () =>
  withGateway(config(), async (_gateway, client) => {
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: SSN_TEXT }], stream: true });
    let text = '';
    for await (const c of stream) text += c.choices[0]?.delta.content ?? '';
    expect(text).toBe('from in-cluster');
    expect(publicUp.requests).toHaveLength(0);
  }));

test('sensitive embeddings input goes to the private target only', () =>
  withGateway(config(), async (_gateway, client) => {
    const result = await client.embeddings.create({ model: 'chat', input: ['contact: jane@example.com'] });
    expect(result.data).toHaveLength(1);
    expect(privateUp.requests).toHaveLength(1);
    expect(publicUp.requests).toHaveLength(0);
  }));

test('a model without private targets refuses sensitive requests with a clear code', () =>
  withGateway(config(), async (gateway) => {
    const { status, body } = await chat(gateway, SSN_TEXT, {}, 'cloud-only');
    expect(status).toBe(403);
    expect(body.error).toMatchObject({ code: 'compliance_no_private_target', param: 'model', type: 'permission_error' });
    expect(publicUp.requests).toHaveLength(0);
  }));

test('onSensitive: block refuses every sensitive request', () =>
  withGateway(config({ compliance: { onSensitive: 'block' } }), async (gateway) => {
    const { status, body } = await chat(gateway, SSN_TEXT);
    expect(status).toBe(403);
    expect(body.error.code).toBe('compliance_blocked');
    expect(privateUp.requests).toHaveLength(0);
  }));

test('a detector that throws fails closed: the request is treated as sensitive', () => {
  const broken: Detector = {
    id: 'broken',
    patterns: [],
    applies: () => {
      throw new Error('detector bug');
    },
  };
  return withGateway(
    config(),
    async (gateway) => {
      const { body, headers } = await chat(gateway, 'Write a haiku about the sea.');
      expect(body.choices[0].message.content).toBe('from in-cluster');
      expect(headers.get('x-switchyard-classification-reasons')).toBe('classifier_error');
      expect(publicUp.requests).toHaveLength(0);
    },
    [broken],
  );
});
