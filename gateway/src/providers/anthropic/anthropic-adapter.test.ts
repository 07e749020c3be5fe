/**
 * The anthropic adapter on Anthropic's documented wire format (test/fixtures/anthropic, see its
 * README): requests translated field by field, answers and SSE streams (split at random byte
 * boundaries) translated back, mid-stream and HTTP errors normalised.
 */
import { ContentDelta } from '../content-delta';
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../../test/support/fake-upstream';
import { assemble, FIXTURES_DIR, replayStream } from '../../../test/support/stream-replay';
import { UpstreamStreamError } from '../contract';
import type { ChatCompletionRequest } from '../openai-types';
import { anthropicAdapter } from './anthropic-adapter';
import { DEFAULT_MAX_TOKENS } from './anthropic-request';

const target = { upstreamModel: 'claude-opus-4-6', baseUrl: 'https://api.anthropic.com', apiKey: 'sk-ant-secret' };
const context = { id: 'chatcmpl-req1', created: 1700000000, model: 'chat' };
const fixture = (name: string) => readFileSync(`${FIXTURES_DIR}/anthropic/${name}`);
const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
const WEATHER_TOOL = {
  type: 'function' as const,
  function: {
    name: 'get_weather',
    description: 'Get the current weather in a given location',
    parameters: { type: 'object', properties: { location: { type: 'string' } }, required: ['location'] },
  },
};

function body(request: Partial<ChatCompletionRequest>): Record<string, unknown> {
  const built = anthropicAdapter.buildChatRequest({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }], ...request }, target);
  expect(built).toMatchObject({
    method: 'POST',
    path: '/v1/messages',
    headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01', 'x-api-key': 'sk-ant-secret' },
  });
  return JSON.parse(built.body as string);
}

function refusal(request: Partial<ChatCompletionRequest>): unknown {
  try {
    body(request);
  } catch (error) {
    return error instanceof UpstreamStreamError ? error.error : error;
  }
  return undefined;
}

describe('requests', () => {
  test('the documented basic request: model, max_tokens (default when absent), messages, stream', () => {
    expect(body({ stream: true })).toEqual({
      model: 'claude-opus-4-6',
      max_tokens: DEFAULT_MAX_TOKENS,
      messages: [{ role: 'user', content: [{ type: 'text', text: 'Hello' }] }],
      stream: true,
    });
    expect(body({ max_tokens: 256 }).max_tokens).toBe(256);
    expect(body({ max_completion_tokens: 100, max_tokens: 256 }).max_tokens).toBe(100);
  });

  test('sampling, stop sequences and user id', () => {
    expect(body({ temperature: 0.5, top_p: 0.9, stop: 'END', user: 'u-1' })).toMatchObject({
      temperature: 0.5,
      top_p: 0.9,
      stop_sequences: ['END'],
      metadata: { user_id: 'u-1' },
    });
    expect(body({ stop: ['a', 'b'] }).stop_sequences).toEqual(['a', 'b']);
  });

  test('system and developer messages are lifted into system; turns alternate with tool results first', () => {
    const got = body({
      messages: [
        { role: 'system', content: 'You are terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'Weather in SF and NYC?' },
            { type: 'image_url', image_url: { url: 'data:image/jpeg;base64,/9j/4AAQ' } },
          ],
        },
        {
          role: 'assistant',
          content: 'Checking.',
          tool_calls: [
            { id: 'toolu_1', type: 'function', function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA"}' } },
            { id: 'toolu_2', type: 'function', function: { name: 'get_weather', arguments: '{"location":"New York, NY"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'toolu_1', content: '15 degrees' },
        { role: 'tool', tool_call_id: 'toolu_2', content: [{ type: 'text', text: '20 degrees' }] },
        { role: 'developer', content: 'Answer in Celsius.' },
        { role: 'user', content: 'And?' },
      ],
    });
    expect(got.system).toBe('You are terse.\n\nAnswer in Celsius.');
    expect(got.messages).toEqual([
      {
        role: 'user',
        content: [
          { type: 'text', text: 'Weather in SF and NYC?' },
          { type: 'image', source: { type: 'base64', media_type: 'image/jpeg', data: '/9j/4AAQ' } },
        ],
      },
      {
        role: 'assistant',
        content: [
          { type: 'text', text: 'Checking.' },
          { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: { location: 'San Francisco, CA' } },
          { type: 'tool_use', id: 'toolu_2', name: 'get_weather', input: { location: 'New York, NY' } },
        ],
      },
      {
        role: 'user',
        content: [
          { type: 'tool_result', tool_use_id: 'toolu_1', content: '15 degrees' },
          { type: 'tool_result', tool_use_id: 'toolu_2', content: '20 degrees' },
          { type: 'text', text: 'And?' },
        ],
      },
    ]);
  });

  test('images by URL stay URLs', () => {
    const got = body({ messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] });
    expect(got.messages).toEqual([
      { role: 'user', content: [{ type: 'image', source: { type: 'url', url: 'https://example.com/a.png' } }] },
    ]);
  });

  test.each([
    ['auto', 'auto', { type: 'auto' }],
    ['required', 'required', { type: 'any' }],
    ['none', 'none', { type: 'none' }],
    ['a named function', { type: 'function', function: { name: 'get_weather' } }, { type: 'tool', name: 'get_weather' }],
    ['absent', undefined, undefined],
  ] as const)('tools take input_schema; tool_choice %s', (_name, choice, expected) => {
    const got = body({ tools: [WEATHER_TOOL], tool_choice: choice as ChatCompletionRequest['tool_choice'] });
    expect(got.tools).toEqual([
      { name: 'get_weather', description: 'Get the current weather in a given location', input_schema: WEATHER_TOOL.function.parameters },
    ]);
    expect(got.tool_choice).toEqual(expected);
  });

  test('parallel_tool_calls false disables parallel tool use', () => {
    expect(body({ tools: [WEATHER_TOOL], parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'auto',
      disable_parallel_tool_use: true,
    });
    expect(body({ tools: [WEATHER_TOOL], tool_choice: 'required', parallel_tool_calls: false }).tool_choice).toEqual({
      type: 'any',
      disable_parallel_tool_use: true,
    });
  });

  test('JSON mode is a forced tool whose input schema is the wanted JSON', () => {
    const schema = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
    expect(body({ response_format: { type: 'json_schema', json_schema: { name: 'person', schema } } })).toMatchObject({
      tools: [{ name: 'json_response', description: 'Respond to the user with JSON matching this schema (person).', input_schema: schema }],
      tool_choice: { type: 'tool', name: 'json_response' },
    });
    expect(body({ response_format: { type: 'json_object' }, tools: [WEATHER_TOOL] })).toMatchObject({ tool_choice: { type: 'any' } });
  });

  test.each([
    ['n > 1', { n: 2 }, 'n: this provider returns one choice per request; got 2'],
    [
      'a tool result without its call id',
      { messages: [{ role: 'tool', content: 'x' }] },
      'messages[0].tool_call_id: tool results need the id of the call they answer',
    ],
    [
      'a schema whose top level is not an object',
      { response_format: { type: 'json_schema', json_schema: { name: 'x', schema: { type: 'array' } } } },
      'response_format.json_schema.schema: this provider takes JSON schemas whose top level is {"type": "object"}',
    ],
    [
      'a client tool named like the JSON-mode tool',
      { response_format: { type: 'json_object' }, tools: [{ type: 'function', function: { name: 'json_response' } }] },
      'tools: the tool name "json_response" is reserved for JSON mode on this provider',
    ],
    [
      'an image in a system message',
      { messages: [{ role: 'system', content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }] }] },
      'messages[0].content[0]: only text is allowed here on this provider',
    ],
  ] as const)('refuses %s, naming the request part', (_name, request, message) => {
    expect(refusal(request as unknown as Partial<ChatCompletionRequest>)).toEqual({
      kind: 'bad_request',
      status: 400,
      retryable: false,
      message,
    });
  });
});

describe('answers', () => {
  test('the documented tool-use answer: text, the tool call, finish tool_calls, usage with cache tokens included', () => {
    const { completion, usage } = anthropicAdapter.parseChatResponse(fixture('message-tool-use.json').toString(), context);
    expect(completion).toEqual({
      id: 'chatcmpl-req1',
      object: 'chat.completion',
      created: 1700000000,
      model: 'chat',
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: "I'll check the current weather in San Francisco for you.",
            refusal: null,
            tool_calls: [
              {
                id: 'toolu_01A09q90qw90lq917835lq9',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"location":"San Francisco, CA","unit":"celsius"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
    });
    expect(usage).toEqual({ inputTokens: 2095 + 100 + 1800, outputTokens: 503, cachedInputTokens: 1800 });
  });

  test.each([
    ['end_turn', 'stop'],
    ['stop_sequence', 'stop'],
    ['max_tokens', 'length'],
    ['model_context_window_exceeded', 'length'],
    ['refusal', 'content_filter'],
    ['pause_turn', 'stop'],
  ])('stop_reason %s is finish_reason %s', (stopReason, finish) => {
    const { completion } = anthropicAdapter.parseChatResponse(
      JSON.stringify({ content: [{ type: 'text', text: 'x' }], stop_reason: stopReason, usage: { input_tokens: 1, output_tokens: 1 } }),
      context,
    );
    expect(completion.choices[0].finish_reason).toBe(finish);
  });

  test('the JSON-mode tool answer comes back as content with finish_reason stop', () => {
    const message = {
      content: [{ type: 'tool_use', id: 'toolu_9', name: 'json_response', input: { age: 22 } }],
      stop_reason: 'tool_use',
      usage: { input_tokens: 10, output_tokens: 5 },
    };
    const { completion } = anthropicAdapter.parseChatResponse(JSON.stringify(message), context);
    expect(completion.choices[0]).toMatchObject({ message: { content: '{"age":22}' }, finish_reason: 'stop' });
    expect(completion.choices[0].message.tool_calls).toBeUndefined();
  });

  test('a body that is not a message is unreadable', () => {
    expect(() => anthropicAdapter.parseChatResponse('{"hello":1}', context)).toThrow(
      'the provider sent a completion the gateway could not read',
    );
  });
});

describe('streams, split at random byte boundaries', () => {
  test.each(SEEDS)('the documented basic stream (seed %i)', (seed) => {
    const parser = anthropicAdapter.createChatStreamParser(context);
    expect(assemble(replayStream(parser, fixture('stream-text.sse'), seededRandom(seed)))).toEqual({
      content: 'Hello!',
      toolCalls: [],
      finishReasons: ['stop'],
      choicesAfterFinish: false,
    });
    expect(parser.usage()).toEqual({ inputTokens: 25, outputTokens: 15 });
  });

  test.each(SEEDS)('the documented tool-use stream (seed %i): tool index 0 for block 1, id and name on the first fragment only', (seed) => {
    const parser = anthropicAdapter.createChatStreamParser(context);
    const chunks = replayStream(parser, fixture('stream-tool-use.sse'), seededRandom(seed));
    expect(assemble(chunks)).toEqual({
      content: "Okay, let's check the weather for San Francisco, CA:",
      toolCalls: [
        {
          id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6',
          name: 'get_weather',
          arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}',
          repeatedIdentity: 0,
        },
      ],
      finishReasons: ['tool_calls'],
      choicesAfterFinish: false,
    });
    expect(
      chunks.every((c) => !(c instanceof ContentDelta) && c.id === 'chatcmpl-req1' && c.model === 'chat' && c.usage === undefined),
    ).toBe(true);
    expect(parser.usage()).toEqual({ inputTokens: 472, outputTokens: 89 });
  });

  test('a stream whole, in one push, gives the same chunks as split', () => {
    const whole = replayStream(anthropicAdapter.createChatStreamParser(context), fixture('stream-tool-use.sse'));
    const split = replayStream(anthropicAdapter.createChatStreamParser(context), fixture('stream-tool-use.sse'), seededRandom(99), 3);
    expect(split).toEqual(whole);
  });

  test('a mid-stream error event throws the normalised error; the input tokens stay counted', () => {
    const parser = anthropicAdapter.createChatStreamParser(context);
    const text = fixture('stream-error.sse').toString();
    const cut = text.indexOf('event: error');
    expect(assemble(parser.push(Buffer.from(text.slice(0, cut)))).content).toBe('Hello');
    const error = (() => {
      try {
        parser.push(Buffer.from(text.slice(cut)));
      } catch (e) {
        return e;
      }
    })();
    expect((error as UpstreamStreamError).error).toEqual({
      kind: 'overloaded',
      status: 529,
      retryable: true,
      message: 'Anthropic failed (HTTP 529, overloaded_error)',
      retryAfterMs: undefined,
    });
    expect(parser.usage()).toEqual({ inputTokens: 25, outputTokens: 1 });
  });

  test('the JSON-mode tool streams as content', () => {
    const sse = [
      { type: 'message_start', message: { usage: { input_tokens: 9, output_tokens: 1 } } },
      { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_j', name: 'json_response', input: {} } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"age":' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: ' 22}' } },
      { type: 'content_block_stop', index: 0 },
      { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 7 } },
      { type: 'message_stop' },
    ]
      .map((e) => `event: ${e.type}\ndata: ${JSON.stringify(e)}\n\n`)
      .join('');
    expect(assemble(replayStream(anthropicAdapter.createChatStreamParser(context), Buffer.from(sse), seededRandom(4)))).toEqual({
      content: '{"age": 22}',
      toolCalls: [],
      finishReasons: ['stop'],
      choicesAfterFinish: false,
    });
  });
});

describe('errors', () => {
  test.each([
    [
      404,
      fixture('error-not-found.json').toString(),
      { kind: 'bad_request', retryable: false, message: 'The requested resource could not be found.' },
    ],
    [
      400,
      '{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: 100000 > 64000, which is the maximum"}}',
      { kind: 'bad_request', retryable: false, message: 'max_tokens: 100000 > 64000, which is the maximum' },
    ],
    [
      401,
      '{"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}}',
      { kind: 'auth', retryable: false, message: "the provider refused the gateway's credentials (HTTP 401)" },
    ],
    [
      402,
      '{"type":"error","error":{"type":"billing_error","message":"Your credit balance is too low"}}',
      { kind: 'auth', retryable: false, message: "the provider refused the gateway's credentials (HTTP 402)" },
    ],
    [
      429,
      '{"type":"error","error":{"type":"rate_limit_error","message":"Number of request tokens has exceeded your per-minute rate limit"}}',
      { kind: 'rate_limited', retryable: true, message: 'Anthropic failed (HTTP 429, rate_limit_error)' },
    ],
    [
      529,
      '{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
      { kind: 'overloaded', retryable: true, message: 'Anthropic failed (HTTP 529, overloaded_error)' },
    ],
    [502, '<html>bad gateway</html>', { kind: 'server_error', retryable: true, message: 'Anthropic failed (HTTP 502)' }],
  ] as const)('HTTP %i', (status, text, expected) => {
    expect(anthropicAdapter.parseError(status, { 'retry-after': '3' }, text)).toEqual({ status, retryAfterMs: 3000, ...expected });
  });

  test('there is no embeddings API', () => {
    expect(anthropicAdapter.embeddings).toBeUndefined();
  });
});
