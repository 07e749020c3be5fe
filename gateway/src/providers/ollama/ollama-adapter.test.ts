/**
 * The ollama adapter on Ollama's documented wire format (test/fixtures/ollama, see its README):
 * requests translated field by field, answers and NDJSON streams (split at random byte boundaries)
 * translated back, errors normalised.
 */
import { ContentDelta } from '../content-delta';
import { readFileSync } from 'node:fs';
import { seededRandom } from '../../../test/support/fake-upstream';
import { assemble, FIXTURES_DIR, replayStream } from '../../../test/support/stream-replay';
import { UpstreamStreamError } from '../contract';
import type { ChatCompletionRequest } from '../openai-types';
import { ollamaAdapter } from './ollama-adapter';

const target = { upstreamModel: 'llama3.2:3b', baseUrl: 'http://ollama:11434' };
const context = { id: 'chatcmpl-req1', created: 1700000000, model: 'chat' };
const fixture = (name: string) => readFileSync(`${FIXTURES_DIR}/ollama/${name}`);
const SEEDS = [1, 2, 3, 5, 8, 13, 21, 34];

function body(request: Partial<ChatCompletionRequest>): Record<string, unknown> {
  const built = ollamaAdapter.buildChatRequest({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], ...request }, target);
  expect(built).toMatchObject({ method: 'POST', path: '/api/chat', headers: { 'content-type': 'application/json' } });
  return JSON.parse(built.body as string);
}

describe('requests', () => {
  test('model rewritten, stream explicit, sampling settings under options, max_tokens as num_predict', () => {
    expect(
      body({
        stream: true,
        temperature: 0.2,
        top_p: 0.9,
        seed: 7,
        max_tokens: 64,
        stop: 'END',
        presence_penalty: 0.5,
        frequency_penalty: 0.1,
      }),
    ).toEqual({
      model: 'llama3.2:3b',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      options: { temperature: 0.2, top_p: 0.9, seed: 7, num_predict: 64, stop: ['END'], presence_penalty: 0.5, frequency_penalty: 0.1 },
    });
    expect(body({ max_completion_tokens: 10, max_tokens: 99 })).toMatchObject({ stream: false, options: { num_predict: 10 } });
  });

  test.each([
    ['json_object', { type: 'json_object' }, 'json'],
    [
      'json_schema',
      { type: 'json_schema', json_schema: { name: 'person', schema: { type: 'object', properties: { age: { type: 'integer' } } } } },
      { type: 'object', properties: { age: { type: 'integer' } } },
    ],
    ['text', { type: 'text' }, undefined],
  ] as const)('response_format %s becomes format', (_name, responseFormat, expected) => {
    expect(body({ response_format: responseFormat as ChatCompletionRequest['response_format'] }).format).toEqual(expected);
  });

  test('system and developer messages, images inline, tool calls with object arguments, tool results named after their tool', () => {
    const got = body({
      messages: [
        { role: 'developer', content: 'Be terse.' },
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,iVBORw0KGgo=' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'call_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"cat"}' } }],
        },
        { role: 'tool', tool_call_id: 'call_9', content: 'a cat' },
      ],
      tools: [{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }],
    });
    expect(got.messages).toEqual([
      { role: 'system', content: 'Be terse.' },
      { role: 'user', content: 'What is this?', images: ['iVBORw0KGgo='] },
      { role: 'assistant', content: '', tool_calls: [{ function: { name: 'lookup', arguments: { q: 'cat' } } }] },
      { role: 'tool', content: 'a cat', tool_name: 'lookup' },
    ]);
    expect(got.tools).toEqual([{ type: 'function', function: { name: 'lookup', parameters: { type: 'object' } } }]);
  });

  test('tool_choice none withholds the tools (Ollama cannot be told not to call them)', () => {
    expect(body({ tools: [{ type: 'function', function: { name: 'f' } }], tool_choice: 'none' }).tools).toBeUndefined();
  });

  test.each([
    [
      'an image by URL',
      { messages: [{ role: 'user', content: [{ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }] }] },
      'messages[0].content[0].image_url.url: Ollama takes images inline only: send a data: URL with base64 data',
    ],
    [
      'tool arguments that are not JSON',
      {
        messages: [
          { role: 'assistant', content: null, tool_calls: [{ id: 'c', type: 'function', function: { name: 'f', arguments: '{oops' } }] },
        ],
      },
      'messages[0].tool_calls[0].function.arguments: expected a JSON object of tool arguments',
    ],
    [
      'an audio part',
      { messages: [{ role: 'user', content: [{ type: 'input_audio', input_audio: {} }] }] },
      'messages[0].content[0].type: content parts of type "input_audio" are not supported by this provider (text and image_url are)',
    ],
  ] as const)('refuses %s, naming the request part', (_name, request, message) => {
    const error = (() => {
      try {
        body(request as unknown as Partial<ChatCompletionRequest>);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(UpstreamStreamError);
    expect((error as UpstreamStreamError).error).toEqual({ kind: 'bad_request', status: 400, retryable: false, message });
  });

  test('an api key (for a proxy in front of Ollama) goes as a bearer token', () => {
    const built = ollamaAdapter.buildChatRequest(
      { model: 'chat', messages: [{ role: 'user', content: 'hi' }] },
      { ...target, apiKey: 'k' },
    );
    expect(built.headers.authorization).toBe('Bearer k');
  });
});

describe('answers', () => {
  test('a documented tool-call answer: stable id, arguments as JSON text, finish_reason tool_calls, usage from the counts', () => {
    const { completion, usage } = ollamaAdapter.parseChatResponse(fixture('chat-tools.json').toString(), context);
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
            content: null,
            refusal: null,
            tool_calls: [
              {
                id: 'call_req1_0',
                type: 'function',
                function: { name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' },
              },
            ],
          },
          finish_reason: 'tool_calls',
          logprobs: null,
        },
      ],
    });
    expect(usage).toEqual({ inputTokens: 122, outputTokens: 33 });
  });

  test('done_reason length is finish_reason length', () => {
    const { completion } = ollamaAdapter.parseChatResponse(
      JSON.stringify({ message: { role: 'assistant', content: 'cut' }, done: true, done_reason: 'length', eval_count: 5 }),
      context,
    );
    expect(completion.choices[0]).toMatchObject({ message: { content: 'cut' }, finish_reason: 'length' });
  });
});

describe('streams, split at random byte boundaries', () => {
  test.each(SEEDS)('text stream (seed %i): same text, one finish, usage from the last line', (seed) => {
    const parser = ollamaAdapter.createChatStreamParser(context);
    const result = assemble(replayStream(parser, fixture('chat-stream-text.ndjson'), seededRandom(seed)));
    expect(result).toEqual({
      content: 'The sky is blue because of Rayleigh scattering — ünïcödé ✓.',
      toolCalls: [],
      finishReasons: ['stop'],
      choicesAfterFinish: false,
    });
    expect(parser.usage()).toEqual({ inputTokens: 26, outputTokens: 282 });
  });

  test.each(SEEDS)('tool-call stream (seed %i): each call whole, indexed in order, with a stable id; finish tool_calls', (seed) => {
    const parser = ollamaAdapter.createChatStreamParser(context);
    const chunks = replayStream(parser, fixture('chat-stream-tools.ndjson'), seededRandom(seed));
    const result = assemble(chunks);
    expect(result.toolCalls).toEqual([
      { id: 'call_req1_0', name: 'get_current_weather', arguments: '{"format":"celsius","location":"Toronto"}', repeatedIdentity: 0 },
      { id: 'call_req1_1', name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}', repeatedIdentity: 0 },
    ]);
    expect(result.finishReasons).toEqual(['tool_calls']);
    expect(
      chunks.every((c) => !(c instanceof ContentDelta) && c.id === 'chatcmpl-req1' && c.model === 'chat' && c.usage === undefined),
    ).toBe(true);
    expect(parser.usage()).toEqual({ inputTokens: 122, outputTokens: 33 });
  });

  test('an error line mid-stream throws the normalised error after the text before it', () => {
    const parser = ollamaAdapter.createChatStreamParser(context);
    const [first, second] = fixture('chat-stream-error.ndjson').toString().split('\n');
    expect(assemble(parser.push(Buffer.from(`${first}\n`))).content).toBe('Partial');
    expect(() => parser.push(Buffer.from(`${second}\n`))).toThrow(UpstreamStreamError);
    expect(parser.usage()).toBeUndefined();
  });
});

describe('errors', () => {
  test.each([
    [
      404,
      '{"error":"model \\"llama9\\" not found, try pulling it first"}',
      { kind: 'bad_request', retryable: false, message: 'model "llama9" not found, try pulling it first' },
    ],
    [
      500,
      '{"error":"llama runner process has terminated: signal: killed /var/lib/secret"}',
      { kind: 'server_error', retryable: true, message: 'Ollama failed (HTTP 500)' },
    ],
    [503, 'not json', { kind: 'overloaded', retryable: true, message: 'Ollama failed (HTTP 503)' }],
  ] as const)('HTTP %i', (status, text, expected) => {
    expect(ollamaAdapter.parseError(status, { 'retry-after': '2' }, text)).toEqual({ status, retryAfterMs: 2000, ...expected });
  });
});

describe('embeddings', () => {
  const codec = ollamaAdapter.embeddings!;

  test('request: text input as is, token ids refused', () => {
    const built = codec.buildRequest({ model: 'embed', input: ['a', 'b'], dimensions: 8 }, target);
    expect(built.path).toBe('/api/embed');
    expect(JSON.parse(built.body as string)).toEqual({ model: 'llama3.2:3b', input: ['a', 'b'], dimensions: 8 });
    expect(() => codec.buildRequest({ model: 'embed', input: [1, 2, 3] }, target)).toThrow('input: Ollama embeds text only');
  });

  test('the documented answer as OpenAI embeddings, floats or base64 float32', () => {
    const text = fixture('embed.json').toString();
    const floats = codec.parseResponse(text, 'embed', { model: 'embed', input: ['a', 'b'] });
    expect(floats.usage).toEqual({ inputTokens: 8, outputTokens: 0 });
    expect(floats.response).toMatchObject({ object: 'list', model: 'embed', usage: { prompt_tokens: 8, total_tokens: 8 } });
    expect(floats.response.data.map((d) => d.index)).toEqual([0, 1]);
    expect(floats.response.data[0].embedding).toEqual(JSON.parse(text).embeddings[0]);

    const encoded = codec.parseResponse(text, 'embed', { model: 'embed', input: ['a', 'b'], encoding_format: 'base64' });
    const bytes = Buffer.from(encoded.response.data[1].embedding as string, 'base64');
    const decoded = Array.from(new Float32Array(bytes.buffer, bytes.byteOffset, bytes.length / 4));
    expect(decoded).toEqual(JSON.parse(text).embeddings[1].map((n: number) => Math.fround(n)));
  });
});
