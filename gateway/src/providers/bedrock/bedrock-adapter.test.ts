/**
 * The bedrock adapter on Bedrock's documented Converse / ConverseStream shapes
 * (test/fixtures/bedrock, see its README). Stream bytes are real AWS event-stream frames made by
 * `EventStreamCodec.encode`, replayed as the gateway reads them (an async body split by the
 * parser's `frames`, the AWS SDK's chunker): whole, split at random byte boundaries and one byte
 * at a time; damaged, truncated and oversized frames are refused.
 */
import { ContentDelta } from '../content-delta';
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { readFileSync } from 'node:fs';
import { bedrockFixture, encodeMessage, encodeStream } from '../../../test/support/event-stream';
import { seededRandom } from '../../../test/support/fake-upstream';
import { assemble, FIXTURES_DIR, replayBody } from '../../../test/support/stream-replay';
import { UpstreamStreamError } from '../contract';
import type { ChatCompletionRequest } from '../openai-types';
import { bedrockAdapter } from './bedrock-adapter';

const target = {
  upstreamModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  baseUrl: 'https://bedrock-runtime.eu-west-1.amazonaws.com',
  region: 'eu-west-1',
};
const context = { id: 'chatcmpl-req1', created: 1700000000, model: 'chat' };
const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];
const TOP_SONG = {
  type: 'function' as const,
  function: {
    name: 'top_song',
    description: 'Get the most popular song played on a radio station.',
    parameters: { type: 'object', properties: { sign: { type: 'string' } }, required: ['sign'] },
  },
};

function build(request: Partial<ChatCompletionRequest>, t: typeof target & { apiKey?: string } = target) {
  return bedrockAdapter.buildChatRequest({ model: 'chat', messages: [{ role: 'user', content: 'Hello' }], ...request }, t);
}
const body = (request: Partial<ChatCompletionRequest>) => JSON.parse(build(request).body as string) as Record<string, unknown>;

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error instanceof UpstreamStreamError ? error.error : error;
  }
  return undefined;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error instanceof UpstreamStreamError ? error.error : error;
  }
  return undefined;
}

describe('requests', () => {
  test('converse and converse-stream paths with the model id as one encoded segment, SigV4 for the region', () => {
    expect(build({})).toMatchObject({
      method: 'POST',
      path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse',
      headers: { 'content-type': 'application/json', accept: 'application/json' },
      sigv4: { service: 'bedrock', region: 'eu-west-1' },
    });
    expect(build({ stream: true })).toMatchObject({
      path: '/model/anthropic.claude-3-haiku-20240307-v1%3A0/converse-stream',
      headers: { accept: 'application/vnd.amazon.eventstream' },
    });
    const arn = build(
      {},
      { ...target, upstreamModel: 'arn:aws:bedrock:eu-west-1:123456789012:inference-profile/eu.anthropic.claude-3-haiku-20240307-v1:0' },
    );
    expect(arn.path).toBe(
      '/model/arn%3Aaws%3Abedrock%3Aeu-west-1%3A123456789012%3Ainference-profile%2Feu.anthropic.claude-3-haiku-20240307-v1%3A0/converse',
    );
  });

  test('a Bedrock API key is sent as a bearer token instead of signing', () => {
    const built = build({}, { ...target, apiKey: 'bedrock-api-key' });
    expect(built.headers.authorization).toBe('Bearer bedrock-api-key');
    expect(built.sigv4).toBeUndefined();
  });

  test('messages, system blocks, inference config; no model field in the body', () => {
    expect(
      body({
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'Hello' },
        ],
        max_tokens: 100,
        temperature: 0.3,
        top_p: 0.8,
        stop: ['END'],
      }),
    ).toEqual({
      messages: [{ role: 'user', content: [{ text: 'Hello' }] }],
      system: [{ text: 'Be brief.' }],
      inferenceConfig: { maxTokens: 100, temperature: 0.3, topP: 0.8, stopSequences: ['END'] },
    });
  });

  test('the documented tool round trip: toolUse in the assistant turn, toolResult in the next user turn', () => {
    const got = body({
      messages: [
        { role: 'user', content: 'What is the most popular song on WZPZ?' },
        {
          role: 'assistant',
          content: null,
          tool_calls: [
            { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'top_song', arguments: '{"sign":"WZPZ"}' } },
          ],
        },
        { role: 'tool', tool_call_id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: 'Elemental Hotel by 8 Storey Hike' },
      ],
      tools: [TOP_SONG],
      tool_choice: 'auto',
    });
    expect(got.messages).toEqual([
      { role: 'user', content: [{ text: 'What is the most popular song on WZPZ?' }] },
      {
        role: 'assistant',
        content: [{ toolUse: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', input: { sign: 'WZPZ' } } }],
      },
      {
        role: 'user',
        content: [{ toolResult: { toolUseId: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', content: [{ text: 'Elemental Hotel by 8 Storey Hike' }] } }],
      },
    ]);
    expect(got.toolConfig).toEqual({
      tools: [
        { toolSpec: { name: 'top_song', description: TOP_SONG.function.description, inputSchema: { json: TOP_SONG.function.parameters } } },
      ],
      toolChoice: { auto: {} },
    });
  });

  test.each([
    ['required', 'required', { any: {} }],
    ['named', { type: 'function', function: { name: 'top_song' } }, { tool: { name: 'top_song' } }],
    ['absent', undefined, undefined],
  ] as const)('tool_choice %s', (_name, choice, expected) => {
    expect(
      (body({ tools: [TOP_SONG], tool_choice: choice as ChatCompletionRequest['tool_choice'] }).toolConfig as { toolChoice?: unknown })
        .toolChoice,
    ).toEqual(expected);
  });

  test('tool_choice none leaves the tools out, unless the conversation holds tool calls already', () => {
    expect(body({ tools: [TOP_SONG], tool_choice: 'none' }).toolConfig).toBeUndefined();
    const withHistory = body({
      tools: [TOP_SONG],
      tool_choice: 'none',
      messages: [
        { role: 'user', content: 'q' },
        { role: 'assistant', content: null, tool_calls: [{ id: 't1', type: 'function', function: { name: 'top_song', arguments: '{}' } }] },
        { role: 'tool', tool_call_id: 't1', content: 'a' },
      ],
    });
    expect(withHistory.toolConfig).toEqual({
      tools: [expect.objectContaining({ toolSpec: expect.objectContaining({ name: 'top_song' }) })],
    });
  });

  test('inline images by format; JSON mode as a forced tool', () => {
    const got = body({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image_url', image_url: { url: 'data:image/webp;base64,UklGRg==' } },
            { type: 'text', text: 'what is it?' },
          ],
        },
      ],
      response_format: { type: 'json_object' },
    });
    expect(got.messages).toEqual([
      { role: 'user', content: [{ image: { format: 'webp', source: { bytes: 'UklGRg==' } } }, { text: 'what is it?' }] },
    ]);
    expect(got.toolConfig).toEqual({
      tools: [
        {
          toolSpec: {
            name: 'json_response',
            description: 'Respond to the user with a JSON object.',
            inputSchema: { json: { type: 'object' } },
          },
        },
      ],
      toolChoice: { tool: { name: 'json_response' } },
    });
  });

  test.each([
    [
      'an image by URL',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/a.png' } }] }] },
      'messages[0].content[0].image_url.url: Bedrock takes images inline only: send a data: URL with base64 data',
    ],
    [
      'an image format Bedrock lacks',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'data:image/tiff;base64,AAAA' } }] }] },
      'messages[0].content[0].image_url.url: Bedrock takes png, jpeg, gif or webp images, not image/tiff',
    ],
    ['n > 1', { n: 3 }, 'n: this provider returns one choice per request; got 3'],
    [
      'the legacy function role',
      { messages: [{ role: 'function', name: 'f', content: 'x' }] },
      'messages[0].role: role "function" is not supported by this provider; use tool messages for tool results',
    ],
  ] as const)('refuses %s, naming the request part', (_name, request, message) => {
    expect(caught(() => build(request as unknown as Partial<ChatCompletionRequest>))).toEqual({
      kind: 'bad_request',
      status: 400,
      retryable: false,
      message,
    });
  });
});

describe('answers', () => {
  test('the documented tool-use answer', () => {
    const { completion, usage } = bedrockAdapter.parseChatResponse(
      readFileSync(`${FIXTURES_DIR}/bedrock/converse-tool-use.json`, 'utf8'),
      context,
    );
    expect(completion.choices).toEqual([
      {
        index: 0,
        message: {
          role: 'assistant',
          content: null,
          refusal: null,
          tool_calls: [
            { id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', type: 'function', function: { name: 'top_song', arguments: '{"sign":"WZPZ"}' } },
          ],
        },
        finish_reason: 'tool_calls',
        logprobs: null,
      },
    ]);
    expect(completion).toMatchObject({ id: 'chatcmpl-req1', object: 'chat.completion', created: 1700000000, model: 'chat' });
    expect(usage).toEqual({ inputTokens: 375, outputTokens: 56 });
  });

  test.each([
    ['end_turn', 'stop'],
    ['max_tokens', 'length'],
    ['guardrail_intervened', 'content_filter'],
    ['content_filtered', 'content_filter'],
  ])('stopReason %s is finish_reason %s', (stopReason, finish) => {
    const { completion } = bedrockAdapter.parseChatResponse(
      JSON.stringify({
        output: { message: { role: 'assistant', content: [{ text: 'x' }] } },
        stopReason,
        usage: { inputTokens: 1, outputTokens: 1 },
      }),
      context,
    );
    expect(completion.choices[0].finish_reason).toBe(finish);
  });
});

describe('streams of real event-stream frames', () => {
  const toolStream = encodeStream(bedrockFixture('converse-stream-tool-use.json'));
  const expected = {
    content: "I'll look up the most popular song — ünïcödé ✓.",
    toolCalls: [{ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', arguments: '{"sign": "WZPZ"}', repeatedIdentity: 0 }],
    finishReasons: ['tool_calls'],
    choicesAfterFinish: false,
  };
  const newParser = () => bedrockAdapter.createChatStreamParser(context);

  test.each(SEEDS)('tool-use stream split at random byte boundaries (seed %i): usage from metadata after messageStop', async (seed) => {
    const parser = newParser();
    const chunks = await replayBody(parser, toolStream, seededRandom(seed), 40);
    expect(assemble(chunks)).toEqual(expected);
    expect(
      chunks.every((c) => !(c instanceof ContentDelta) && c.id === 'chatcmpl-req1' && c.model === 'chat' && c.usage === undefined),
    ).toBe(true);
    expect(parser.usage()).toEqual({ inputTokens: 375, outputTokens: 56 });
  });

  test('one byte at a time gives the same chunks as the whole body', async () => {
    const whole = await replayBody(newParser(), toolStream);
    const byteWise = await replayBody(newParser(), toolStream, () => 0, 1);
    expect(byteWise).toEqual(whole);
    expect(assemble(whole)).toEqual(expected);
  });

  test('the body is split into whole messages by the AWS chunker, whatever the pieces', async () => {
    const events = bedrockFixture('converse-stream-tool-use.json');
    const parser = newParser();
    async function* body() {
      yield toolStream.subarray(0, 3); // inside the first prelude
      yield toolStream.subarray(3);
    }
    const messages: Uint8Array[] = [];
    for await (const message of parser.frames!(body())) messages.push(message);
    expect(messages.map((m) => Buffer.from(m))).toEqual(events.map((event) => Buffer.from(encodeMessage(event))));
  });

  test('usage before metadata is unknown (a cut stream is estimated); cache reads are counted in', async () => {
    const parser = newParser();
    const events = bedrockFixture('converse-stream-text.json');
    await replayBody(parser, encodeStream(events.slice(0, 5)), seededRandom(7), 9);
    expect(parser.usage()).toBeUndefined();
    await replayBody(parser, encodeStream(events.slice(5)), seededRandom(8), 9);
    expect(parser.usage()).toEqual({ inputTokens: 14, outputTokens: 9, cachedInputTokens: 2 });
  });

  test('an exception message throws the normalised error after the text before it', async () => {
    const parser = newParser();
    const [start, delta, exception] = bedrockFixture('converse-stream-exception.json');
    expect(assemble(await replayBody(parser, encodeStream([start, delta]), seededRandom(3), 5)).content).toBe('Partial');
    expect(await rejection(replayBody(parser, encodeMessage(exception), seededRandom(4), 5))).toEqual({
      kind: 'rate_limited',
      status: 429,
      retryable: true,
      message: 'Bedrock failed (HTTP 429, throttlingException)',
      retryAfterMs: undefined,
    });
  });

  test('a validation exception keeps its message; a model stream error may be retried', async () => {
    const validation = await rejection(
      replayBody(
        newParser(),
        encodeMessage({
          exception: 'validationException',
          payload: { message: 'The model returned the following errors: messages: roles must alternate' },
        }),
      ),
    );
    expect(validation).toEqual({
      kind: 'bad_request',
      status: 400,
      retryable: false,
      message: 'The model returned the following errors: messages: roles must alternate',
      retryAfterMs: undefined,
    });
    const modelError = await rejection(
      replayBody(newParser(), encodeMessage({ exception: 'modelStreamErrorException', payload: { message: 'x' } })),
    );
    expect(modelError).toMatchObject({ kind: 'server_error', status: 424, retryable: true });
  });

  test('an event-stream error message (error code and message in headers) throws', async () => {
    const codec = new EventStreamCodec(toUtf8, fromUtf8);
    const str = (value: string) => ({ type: 'string' as const, value });
    const frame = codec.encode({
      headers: { ':message-type': str('error'), ':error-code': str('InternalFailure'), ':error-message': str('boom') },
      body: new Uint8Array(0),
    });
    expect(await rejection(replayBody(newParser(), frame, seededRandom(5), 6))).toMatchObject({
      kind: 'server_error',
      status: 500,
      message: 'Bedrock failed (HTTP 500, InternalFailure)',
    });
  });

  test('a damaged frame (CRC mismatch) is refused, never parsed', async () => {
    const damaged = Buffer.from(encodeStream(bedrockFixture('converse-stream-text.json').slice(0, 2)));
    damaged[damaged.length - 10] ^= 0xff;
    expect(await rejection(replayBody(newParser(), damaged, seededRandom(6), 11))).toMatchObject({
      kind: 'unknown',
      message: 'the provider sent a damaged event stream message the gateway could not read',
    });
  });

  test('push takes one whole message: bytes that are not one are refused as damaged', () => {
    const two = encodeStream(bedrockFixture('converse-stream-text.json').slice(0, 2));
    expect(caught(() => newParser().push(two))).toMatchObject({
      kind: 'unknown',
      message: 'the provider sent a damaged event stream message the gateway could not read',
    });
    expect(caught(() => newParser().push(two.subarray(0, 20)))).toMatchObject({ kind: 'unknown' });
  });

  test('a body that ends inside a frame is a broken stream', async () => {
    const bytes = encodeStream(bedrockFixture('converse-stream-text.json').slice(0, 2));
    for (const cut of [3, 20, bytes.length - 3]) {
      expect(await rejection(replayBody(newParser(), bytes.subarray(0, cut), seededRandom(cut), 7))).toEqual({
        kind: 'connection',
        status: 502,
        retryable: true,
        message: 'the provider stream ended inside an event',
      });
    }
  });

  test('a prelude announcing more than a message may hold is refused once that much arrived', async () => {
    const huge = Buffer.alloc(17 * 1024 * 1024);
    huge.writeUInt32BE(32 * 1024 * 1024, 0);
    expect(await rejection(replayBody(newParser(), huge, () => 0.99, 1024 * 1024))).toMatchObject({
      kind: 'unknown',
      message: 'the provider sent an event stream message longer than the format allows the gateway could not read',
    });
  });

  test("the body's own failure passes through unchanged", async () => {
    const reset = Object.assign(new Error('other side closed'), { code: 'UND_ERR_SOCKET' });
    async function* body() {
      yield toolStream.subarray(0, 50);
      throw reset;
    }
    const messages = newParser().frames!(body())[Symbol.asyncIterator]();
    await expect(messages.next()).rejects.toBe(reset);
  });
});

describe('errors', () => {
  test.each([
    [
      400,
      'ValidationException:http://internal.amazon.com/coral/com.amazon.bedrock/',
      '{"message":"Malformed input request: #: extraneous key [foo] is not permitted"}',
      { kind: 'bad_request', retryable: false, message: 'Malformed input request: #: extraneous key [foo] is not permitted' },
    ],
    [
      403,
      'AccessDeniedException',
      '{"Message":"User: arn:aws:sts::123456789012:assumed-role/gw is not authorized to perform: bedrock:InvokeModel"}',
      { kind: 'auth', retryable: false, message: "the provider refused the gateway's credentials (HTTP 403)" },
    ],
    [
      429,
      'ThrottlingException',
      '{"message":"Too many requests"}',
      { kind: 'rate_limited', retryable: true, message: 'Bedrock failed (HTTP 429, ThrottlingException)' },
    ],
    [
      424,
      'ModelErrorException',
      '{"message":"The model failed"}',
      { kind: 'server_error', retryable: true, message: 'Bedrock failed (HTTP 424, ModelErrorException)' },
    ],
    [
      503,
      'ServiceUnavailableException',
      '{"message":"unavailable"}',
      { kind: 'overloaded', retryable: true, message: 'Bedrock failed (HTTP 503, ServiceUnavailableException)' },
    ],
  ] as const)('HTTP %i %s', (status, type, text, expected) => {
    expect(bedrockAdapter.parseError(status, { 'x-amzn-errortype': type }, text)).toEqual({ status, retryAfterMs: undefined, ...expected });
  });
});
