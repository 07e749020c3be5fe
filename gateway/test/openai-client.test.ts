/**
 * The official `openai` npm client against a running gateway (127.0.0.1, ephemeral ports) in front
 * of a fake OpenAI-compatible upstream: chat (whole and streamed, with and without usage), tool
 * calls, JSON mode, embeddings, the model list and every error shape.
 */
import OpenAI from 'openai';
import {
  type FakeUpstream,
  type SeenRequest,
  seededRandom,
  sendJsonResponse,
  sseBody,
  startFakeUpstream,
  writeInPieces,
} from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';
import { createHash } from 'node:crypto';

const LIMITED_KEY = 'sk-limited-to-chat';
const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'up-1',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'gpt-up',
  choices,
  ...extra,
});

/** A fake OpenAI-compatible server: answers by what the request asks for. */
async function openAIUpstream(req: SeenRequest, res: Parameters<FakeUpstream['handler']>[1]): Promise<void> {
  if (req.path === '/v1/embeddings') {
    const input = req.json<{ input: string[] | string }>().input;
    const items = Array.isArray(input) ? input : [input];
    return sendJsonResponse(res, 200, {
      object: 'list',
      model: 'embed-up',
      data: items.map((_, index) => ({ object: 'embedding', index, embedding: [0.1, 0.2, index] })),
      usage: { prompt_tokens: 3 * items.length, total_tokens: 3 * items.length },
    });
  }
  const body = req.json<{
    stream?: boolean;
    tools?: unknown[];
    response_format?: { type: string };
    messages: Array<{ content: string }>;
  }>();
  const content = body.response_format?.type === 'json_object' ? '{"name":"Ada","age":36}' : 'Hello from upstream';
  if (!body.stream) {
    const message = body.tools
      ? {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Boston"}' } }],
        }
      : { role: 'assistant', content };
    return sendJsonResponse(res, 200, {
      id: 'up-1',
      object: 'chat.completion',
      created: 1,
      model: 'gpt-up',
      choices: [{ index: 0, message, finish_reason: body.tools ? 'tool_calls' : 'stop' }],
      usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 },
    });
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const chunks = body.tools
    ? [
        // A sloppy upstream: no role, and id/name repeated on every fragment.
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"ci' } }] },
            finish_reason: null,
          },
        ]),
        chunk([
          {
            index: 0,
            delta: {
              tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: 'ty":"Boston"}' } }],
            },
            finish_reason: null,
          },
        ]),
        chunk([
          {
            index: 0,
            delta: { tool_calls: [{ index: 1, id: 'call_2', type: 'function', function: { name: 'get_time', arguments: '{}' } }] },
            finish_reason: null,
          },
        ]),
        chunk([{ index: 0, delta: {}, finish_reason: 'tool_calls' }]),
        chunk([], { usage: { prompt_tokens: 20, completion_tokens: 11, total_tokens: 31 } }),
      ]
    : [
        chunk([{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }]),
        chunk([{ index: 0, delta: { content: 'Hello' }, finish_reason: null }]),
        chunk([{ index: 0, delta: { content: ' from upstream' }, finish_reason: null }]),
        chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
        chunk([], { usage: { prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 } }),
      ];
  await writeInPieces(res, sseBody(chunks), seededRandom(5));
  res.end();
}

let upstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream(openAIUpstream);
  gateway = await startTestGateway({
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
    models: [
      { name: 'chat', targets: [{ provider: 'up', model: 'gpt-up' }] },
      { name: 'embed', targets: [{ provider: 'up', model: 'embed-up' }] },
    ],
    keys: [
      { id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] },
      { id: 'limited', sha256: createHash('sha256').update(LIMITED_KEY).digest('hex'), tenant: 'b', models: ['chat'] },
    ],
    limits: { maxBodyBytes: 4096 },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('chat completions', () => {
  test('non-streaming: the answer, its usage and the gateway headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('Hello from upstream');
    expect(data.model).toBe('chat');
    expect(data.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
    expect(response.headers.get('x-request-id')).toBe(data.id.replace('chatcmpl-', ''));
    expect(response.headers.get('x-switchyard-target')).toBe('up/gpt-up');
    expect(response.headers.get('x-switchyard-data-class')).toBe('standard');
    expect(Number(response.headers.get('x-switchyard-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(upstream.requests[upstream.requests.length - 1].json()).toEqual({
      model: 'gpt-up',
      messages: [{ role: 'user', content: 'hi' }],
    });
  });

  test('streaming without include_usage: role first, no usage chunk', async () => {
    const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    expect(chunks[0].choices[0].delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello from upstream');
    expect(chunks.some((c) => c.usage)).toBe(false);
    expect(chunks[chunks.length - 1].choices[0].finish_reason).toBe('stop');
    // The gateway asked upstream for usage anyway, to count it.
    expect(upstream.requests[upstream.requests.length - 1].json()).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  test('streaming with include_usage: exactly one usage chunk, last, with the upstream numbers', async () => {
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const c of stream) chunks.push(c);
    const withUsage = chunks.filter((c) => c.usage);
    expect(withUsage).toHaveLength(1);
    expect(chunks[chunks.length - 1]).toBe(withUsage[0]);
    expect(withUsage[0].choices).toEqual([]);
    expect(withUsage[0].usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 4, total_tokens: 13 });
  });

  test('streamed tool calls: deltas by index, id and name on the first fragment only', async () => {
    const tools: OpenAI.ChatCompletionTool[] = [
      { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
      { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: {} } } },
    ];
    const stream = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'weather?' }],
      tools,
      stream: true,
    });
    const fragments: OpenAI.ChatCompletionChunk.Choice.Delta.ToolCall[] = [];
    const all = [];
    for await (const c of stream) {
      all.push(c);
      fragments.push(...(c.choices[0]?.delta.tool_calls ?? []));
    }
    expect(all[0].choices[0].delta.role).toBe('assistant');
    expect(fragments.map((f) => [f.index, f.id, f.function?.name])).toEqual([
      [0, 'call_1', 'get_weather'],
      [0, undefined, undefined],
      [1, 'call_2', 'get_time'],
    ]);
    expect(all[all.length - 1].choices[0].finish_reason).toBe('tool_calls');

    // The SDK's own stream helper assembles the same calls.
    const runner = client.chat.completions.stream({ model: 'chat', messages: [{ role: 'user', content: 'weather?' }], tools });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0].message.tool_calls?.map((t) => t.type === 'function' && [t.id, t.function.name, t.function.arguments])).toEqual(
      [
        ['call_1', 'get_weather', '{"city":"Boston"}'],
        ['call_2', 'get_time', '{}'],
      ],
    );
  });

  test('non-streamed tool calls pass through', async () => {
    const completion = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ type: 'function', function: { name: 'get_weather' } }],
    });
    expect(completion.choices[0].finish_reason).toBe('tool_calls');
    const [call] = completion.choices[0].message.tool_calls ?? [];
    expect(call).toEqual({ id: 'call_1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Boston"}' } });
  });

  test('JSON mode reaches upstream and the JSON answer comes back', async () => {
    const completion = await client.chat.completions.create({
      model: 'chat',
      messages: [{ role: 'user', content: 'a person as JSON' }],
      response_format: { type: 'json_object' },
    });
    expect(JSON.parse(completion.choices[0].message.content ?? '')).toEqual({ name: 'Ada', age: 36 });
    expect(upstream.requests[upstream.requests.length - 1].json()).toMatchObject({ response_format: { type: 'json_object' } });
  });
});

test('embeddings', async () => {
  const result = await client.embeddings.create({ model: 'embed', input: ['a', 'b'], encoding_format: 'float' });
  expect(result.model).toBe('embed');
  expect(result.data.map((d) => d.embedding)).toEqual([
    [0.1, 0.2, 0],
    [0.1, 0.2, 1],
  ]);
  expect(result.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
});

test('models list shows what the key may use', async () => {
  const all = [];
  for await (const model of client.models.list()) all.push(model.id);
  expect(all).toEqual(['chat', 'embed']);
  const limited = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: LIMITED_KEY, maxRetries: 0 });
  const some = [];
  for await (const model of limited.models.list()) some.push(model.id);
  expect(some).toEqual(['chat']);
});

describe('error shapes', () => {
  const expectError = async (
    promise: Promise<unknown>,
    status: number,
    error: Partial<{ code: string; param: string | null; type: string }>,
  ) => {
    const thrown = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(thrown).toBeInstanceOf(OpenAI.APIError);
    const apiError = thrown as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(status);
    expect(apiError.error).toMatchObject(error);
    expect(JSON.stringify(apiError.error)).not.toMatch(/at .*\.ts:\d+|node_modules/);
    return apiError;
  };

  test('401 for a wrong key, 401 for a missing key', async () => {
    const wrong = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-wrong', maxRetries: 0 });
    await expectError(wrong.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }), 401, {
      code: 'invalid_api_key',
      type: 'authentication_error',
    });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', body: '{}' });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: {
        message: 'No API key provided. Send it as "Authorization: Bearer <key>".',
        type: 'authentication_error',
        param: 'authorization',
        code: 'missing_api_key',
      },
    });
  });

  test('403 for a model outside the key allow-list', async () => {
    const limited = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: LIMITED_KEY, maxRetries: 0 });
    const error = await expectError(limited.embeddings.create({ model: 'embed', input: 'x' }), 403, {
      code: 'model_not_allowed',
      type: 'permission_error',
      param: 'model',
    });
    expect(error.message).toContain('API key "limited" may not use model "embed"');
  });

  test('400 naming the parameter', async () => {
    await expectError(client.chat.completions.create({ model: 'chat', messages: [{ role: 'wizard', content: 'hi' } as never] }), 400, {
      code: 'invalid_request',
      param: 'messages[0].role',
      type: 'invalid_request_error',
    });
    await expectError(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], temperature: 7 }), 400, {
      param: 'temperature',
    });
  });

  test('404 for an unknown model', async () => {
    await expectError(client.chat.completions.create({ model: 'nope', messages: [{ role: 'user', content: 'hi' }] }), 404, {
      code: 'model_not_found',
      param: 'model',
    });
  });

  test('413 for a body over the limit', async () => {
    await expectError(client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'x'.repeat(5000) }] }), 413, {
      code: 'payload_too_large',
    });
  });

  test('404 for an unknown route and 405 for a wrong method, in the same shape', async () => {
    const missing = await fetch(`${gateway.url}/v1/nothing`);
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe('route_not_found');
    const wrongMethod = await fetch(`${gateway.url}/v1/chat/completions`);
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get('allow')).toBe('POST');
    expect(((await wrongMethod.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');
  });

  test('invalid JSON is a 400, not a crash', async () => {
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${TEST_KEY}` },
      body: '{"model": ',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: unknown }).error).toMatchObject({ code: 'invalid_json', type: 'invalid_request_error' });
  });
});
