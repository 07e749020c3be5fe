/**
 * The ollama, anthropic and bedrock adapters end to end: the official `openai` client talks to a
 * running gateway in front of a fake upstream that speaks each provider's own wire format (the
 * documented fixtures, split at random byte boundaries; Bedrock frames made by the AWS codec).
 * Each provider must satisfy the gateway's streaming rules: role on the first chunk, tool-call id
 * and name on the first fragment only, the finish chunk last with choices, exactly one usage
 * chunk before [DONE] when asked and none otherwise, a mid-stream error as an error frame that
 * ends the stream, and a client that goes away cancelling upstream with its partial usage counted.
 */
import OpenAI from 'openai';
import { sseData } from './support/cassettes';
import {
  type FakeUpstream,
  type SeenRequest,
  seededRandom,
  sendJsonResponse,
  startFakeUpstream,
  writeInPieces,
} from './support/fake-upstream';
import { anthropicDialect, bedrockDialect, DIALECTS, type Dialect, ollamaDialect } from './support/provider-dialects';
import { expectedAuthorization, type TestCredentials } from './support/sigv4-verify';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const AWS_CREDENTIALS: TestCredentials = {
  accessKeyId: 'AKIDEXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  sessionToken: 'session-token',
};
const ANTHROPIC_KEY = 'sk-ant-upstream-secret';
const TOOLS: OpenAI.ChatCompletionTool[] = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Weather for a place',
      parameters: { type: 'object', properties: { location: { type: 'string' } } },
    },
  },
];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const flush = () => new Promise((resolve) => setImmediate(resolve));

// Bedrock requests are signed by the AWS SDK's default credential chain, which reads these first.
process.env.AWS_ACCESS_KEY_ID = AWS_CREDENTIALS.accessKeyId;
process.env.AWS_SECRET_ACCESS_KEY = AWS_CREDENTIALS.secretAccessKey;
process.env.AWS_SESSION_TOKEN = AWS_CREDENTIALS.sessionToken;

/** Serves by the last user message: "slow" streams for a while, "fail" breaks mid-stream, anything else gets the tool-call fixture. */
function upstreamFor(dialect: Dialect, seed: { value: number }, slow: { closed?: Promise<void> }) {
  return async (request: SeenRequest, res: Parameters<FakeUpstream['handler']>[1]) => {
    if (!dialect.isStream(request)) {
      if (dialect.lastUserText(request) === 'json') return sendJsonResponse(res, 200, dialect.jsonAnswer({ age: 22 }));
      return sendJsonResponse(res, 200, dialect.toolAnswer.toString());
    }
    res.writeHead(200, { 'content-type': dialect.contentType });
    const prompt = dialect.lastUserText(request);
    if (prompt === 'slow') {
      slow.closed = new Promise((resolve) => res.on('close', () => resolve()));
      res.write(dialect.opening);
      for (let i = 0; i < 200 && !res.destroyed; i++) {
        res.write(dialect.text(`token${i} `));
        await sleep(10);
      }
      res.end(dialect.closing);
    } else if (prompt === 'fail') {
      res.write(Buffer.concat([dialect.opening, dialect.text('Hello')]));
      await sleep(30);
      res.end(dialect.midStreamError);
    } else {
      await writeInPieces(res, dialect.toolStream, seededRandom(seed.value++), 23);
      res.end();
    }
  };
}

describe.each(DIALECTS.map((d) => [d.type, d] as const))('%s', (_type, dialect) => {
  const seed = { value: 1 };
  const slow: { closed?: Promise<void> } = {};
  let upstream: FakeUpstream;
  let gateway: TestGateway;
  let client: OpenAI;

  beforeAll(async () => {
    upstream = await startFakeUpstream(upstreamFor(dialect, seed, slow));
    gateway = await startTestGateway(
      {
        providers: [dialect.provider(upstream.url)],
        models: [{ name: 'chat', targets: [{ provider: dialect.provider(upstream.url).name, model: dialect.upstreamModel }] }],
        keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
        routing: { attemptsPerTarget: 1 },
      },
      { env: { TEST_ANTHROPIC_KEY: ANTHROPIC_KEY } },
    );
    client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await upstream.close();
  });

  const ask = (content: string) => ({ model: 'chat', messages: [{ role: 'user' as const, content }], tools: TOOLS });

  async function expectUpstreamRequestOk(stream: boolean): Promise<void> {
    const seen = upstream.requests[upstream.requests.length - 1];
    expect(seen.path).toBe(dialect.chatPath(stream));
    if (dialect.type === 'anthropic') expect(seen.headers).toMatchObject({ 'x-api-key': ANTHROPIC_KEY, 'anthropic-version': '2023-06-01' });
    if (dialect.type === 'bedrock') {
      expect(seen.headers['x-amz-security-token']).toBe(AWS_CREDENTIALS.sessionToken);
      expect(seen.headers.authorization).toBe(await expectedAuthorization(seen, upstream.url, AWS_CREDENTIALS, 'bedrock', 'us-east-1'));
    }
  }

  test.each([1, 2, 3])('a streamed tool call follows the streaming rules (run %i, new random split each)', async () => {
    const { data: stream, response } = await client.chat.completions.create({ ...ask('weather?'), stream: true }).withResponse();
    const chunks: OpenAI.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    await expectUpstreamRequestOk(true);
    expect(response.headers.get('x-switchyard-target')).toBe(`${dialect.provider('').name}/${dialect.upstreamModel}`);

    const withChoices = chunks.filter((c) => c.choices.length > 0);
    expect(withChoices[0].choices[0].delta.role).toBe('assistant');
    expect(withChoices.slice(1).some((c) => c.choices[0].delta.role !== undefined)).toBe(false);
    expect(withChoices.map((c) => c.choices[0].delta.content ?? '').join('')).toBe(dialect.toolStreamText);

    const fragments = withChoices.flatMap((c) => c.choices[0].delta.tool_calls ?? []);
    const byIndex = new Map<number, typeof fragments>();
    for (const fragment of fragments) byIndex.set(fragment.index, [...(byIndex.get(fragment.index) ?? []), fragment]);
    expect([...byIndex.keys()]).toEqual(dialect.toolCalls.map((_, i) => i));
    dialect.toolCalls.forEach((expected, i) => {
      const [first, ...rest] = byIndex.get(i)!;
      expect(first).toMatchObject({ index: i, type: 'function', function: { name: expected.name } });
      expect(first.id).toEqual(typeof expected.id === 'string' ? expected.id : expect.stringMatching(expected.id));
      expect(rest.every((f) => f.id === undefined && f.type === undefined && f.function?.name === undefined)).toBe(true);
      expect([first, ...rest].map((f) => f.function?.arguments ?? '').join('')).toBe(expected.arguments);
    });

    const last = withChoices[withChoices.length - 1];
    expect(last.choices[0].finish_reason).toBe('tool_calls');
    expect(withChoices.slice(0, -1).every((c) => c.choices[0].finish_reason === null)).toBe(true);
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
  });

  test('with include_usage: exactly one usage chunk, empty choices, the provider numbers, right before [DONE]', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ ...ask('weather?'), stream: true, stream_options: { include_usage: true } }),
    });
    const text = await response.text();
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    const chunks = sseData(text);
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(chunks[chunks.length - 1]).toBe(withUsage[0]);
    expect(withUsage[0].choices).toEqual([]);
    const { prompt_tokens, completion_tokens } = dialect.toolStreamUsage;
    expect(withUsage[0].usage).toEqual({ prompt_tokens, completion_tokens, total_tokens: prompt_tokens + completion_tokens });
    expect(chunks[chunks.length - 2].choices).toEqual([expect.objectContaining({ finish_reason: 'tool_calls' })]);
    await flush();
    expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
      status: 200,
      input_tokens: prompt_tokens,
      output_tokens: completion_tokens,
      usage_estimated: false,
    });
  });

  test('a whole (non-streamed) tool-call answer', async () => {
    const completion = await client.chat.completions.create(ask('weather?'));
    await expectUpstreamRequestOk(false);
    expect(completion.model).toBe('chat');
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    const calls = completion.choices[0].message.tool_calls ?? [];
    expect(calls.length).toBeGreaterThan(0);
    expect(
      calls.every(
        (c) =>
          c.type === 'function' &&
          c.id.length > 0 &&
          c.function.name === dialect.toolCalls[0].name &&
          typeof JSON.parse(c.function.arguments) === 'object',
      ),
    ).toBe(true);
    expect(completion.usage?.total_tokens).toBeGreaterThan(0);
  });

  test('JSON mode with a schema: the provider is asked its own way, the client gets JSON content', async () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    const completion = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'json' }],
      response_format: { type: 'json_schema', json_schema: { name: 'person', schema } },
    });
    expect(upstream.requests[upstream.requests.length - 1].json()).toMatchObject(dialect.jsonRequest);
    expect(JSON.parse(completion.choices[0].message.content ?? '')).toEqual({ age: 22 });
    expect(completion.choices[0].finish_reason).toBe('stop');
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
  });

  test('an error after the stream started becomes one error frame, then the stream ends', async () => {
    const stream = await client.chat.completions.create({ ...ask('fail'), stream: true });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().catch((error: unknown) => error);
    expect(text).toBe('Hello');
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({ code: 'upstream_server_error', type: 'server_error' });

    const raw = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ ...ask('fail'), stream: true }),
    });
    const frames = (await raw.text()).split('\n\n').filter(Boolean);
    expect(JSON.parse(frames[frames.length - 1].slice('data: '.length))).toMatchObject({ error: { code: 'upstream_server_error' } });
    expect(frames.some((f) => f === 'data: [DONE]')).toBe(false);
    await flush();
    expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
      status: 502,
      error_code: 'upstream_server_error',
      provider: dialect.provider('').name,
    });
  });

  test('a client that goes away cancels the upstream stream; the tokens so far are counted', async () => {
    const before = upstream.requests.length;
    const controller = new AbortController();
    const stream = await client.chat.completions.create({ ...ask('slow'), stream: true }, { signal: controller.signal });
    let received = 0;
    await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) received++;
        if (received === 5) controller.abort();
      }
    })().catch(() => undefined);
    expect(upstream.requests.length).toBe(before + 1);
    await slow.closed; // the gateway closed the upstream connection
    const started = Date.now();
    while (!gateway.audit.some((a) => a.status === 499) && Date.now() - started < 3000) await sleep(20);
    const audit = gateway.audit.find((a) => a.status === 499)!;
    expect(audit).toMatchObject({ error_code: 'client_cancelled', usage_estimated: true, provider: dialect.provider('').name });
    expect(audit.output_tokens).toBeGreaterThanOrEqual(5);
    expect(audit.output_tokens).toBeLessThan(200);
    if (dialect.openingInputTokens !== undefined) expect(audit.input_tokens).toBe(dialect.openingInputTokens);
    else expect(audit.input_tokens).toBeGreaterThan(0);
  });
});

test('an Anthropic stream that fails before any content (overloaded after message_start) falls back to the next target', async () => {
  const claude = await startFakeUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': anthropicDialect.contentType });
    res.end(Buffer.concat([anthropicDialect.opening, anthropicDialect.midStreamError]));
  });
  const local = await startFakeUpstream((_req, res) => {
    res.writeHead(200, { 'content-type': ollamaDialect.contentType });
    res.end(Buffer.concat([ollamaDialect.text('from ollama'), ollamaDialect.closing]));
  });
  const gateway = await startTestGateway(
    {
      providers: [anthropicDialect.provider(claude.url), ollamaDialect.provider(local.url)],
      models: [
        {
          name: 'chat',
          targets: [
            { provider: 'claude', model: 'claude-opus-4-6' },
            { provider: 'local', model: 'qwen3:8b' },
          ],
        },
      ],
      keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
      routing: { attemptsPerTarget: 1 },
    },
    { env: { TEST_ANTHROPIC_KEY: ANTHROPIC_KEY } },
  );
  try {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    const { data: stream, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true })
      .withResponse();
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('from ollama');
    expect(response.headers.get('x-switchyard-target')).toBe('local/qwen3:8b');
    expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain(
      'switchyard_fallbacks_total{model="chat",from_provider="claude",from_target_model="claude-opus-4-6",to_provider="local",to_target_model="qwen3:8b",reason="overloaded"} 1',
    );
    await flush();
    expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({ status: 200, provider: 'local', attempts: 2 });
  } finally {
    await gateway.close();
    await claude.close();
    await local.close();
  }
});

test('a request the provider cannot express is refused before anything is sent, naming the request part', async () => {
  const aws = await startFakeUpstream((_req, res) => sendJsonResponse(res, 500, {}));
  const gateway = await startTestGateway({
    providers: [bedrockDialect.provider(aws.url)],
    models: [{ name: 'chat', targets: [{ provider: 'aws', model: bedrockDialect.upstreamModel }] }],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
  });
  try {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
    const failure = await client.chat.completions
      .create({
        model: 'chat',
        messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }],
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(OpenAI.BadRequestError);
    expect((failure as InstanceType<typeof OpenAI.APIError>).error).toMatchObject({
      code: 'upstream_bad_request',
      message:
        'The provider refused the request: messages[0].content[0].image_url.url: Bedrock takes images inline only: send a data: URL with base64 data',
    });
    expect(aws.requests).toHaveLength(0);
  } finally {
    await gateway.close();
    await aws.close();
  }
});

test('a Bedrock body cut inside an event-stream message ends the client stream with one error frame', async () => {
  const stream = Buffer.concat([bedrockDialect.opening, bedrockDialect.text('Hello'), bedrockDialect.text(' world')]);
  const aws = await startFakeUpstream(async (_req, res) => {
    res.writeHead(200, { 'content-type': bedrockDialect.contentType });
    await writeInPieces(res, stream.subarray(0, stream.length - 5), seededRandom(11), 13);
    res.end();
  });
  const gateway = await startTestGateway({
    providers: [bedrockDialect.provider(aws.url)],
    models: [{ name: 'chat', targets: [{ provider: 'aws', model: bedrockDialect.upstreamModel }] }],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    routing: { attemptsPerTarget: 1 },
  });
  try {
    const raw = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }),
    });
    const frames = (await raw.text()).split('\n\n').filter(Boolean);
    const last = JSON.parse(frames[frames.length - 1].slice('data: '.length)) as { error?: { code: string; message: string } };
    expect(last.error).toMatchObject({
      code: 'upstream_server_error',
      message: 'The provider failed mid-stream: the provider stream ended inside an event.',
    });
    expect(frames.some((f) => f.includes('"content":"Hello"'))).toBe(true);
    expect(frames.some((f) => f.includes(' world'))).toBe(false);
    expect(frames.some((f) => f === 'data: [DONE]')).toBe(false);
  } finally {
    await gateway.close();
    await aws.close();
  }
});
