/**
 * What a fake Ollama, Anthropic or Bedrock upstream sends, in each provider's own wire format: the
 * documented fixtures (test/fixtures) and pieces to compose streams (text, errors) for the
 * end-to-end tests, plus what the gateway must make of the tool-call fixture.
 */
import { readFileSync } from 'node:fs';
import type { GatewayConfigInput } from '../../src/config/schema';
import { bedrockFixture, encodeMessage, encodeStream } from './event-stream';
import type { SeenRequest } from './fake-upstream';
import { FIXTURES_DIR } from './stream-replay';

type ProviderConfig = GatewayConfigInput['providers'][number];

export interface Dialect {
  readonly type: 'ollama' | 'anthropic' | 'bedrock';
  readonly contentType: string;
  /** The provider entry of the gateway config, for an upstream at `url`. */
  provider(url: string): ProviderConfig;
  readonly upstreamModel: string;
  /** The path of a (streamed) chat request. */
  chatPath(stream: boolean): string;
  isStream(request: SeenRequest): boolean;
  /** The text of the last user message, as the provider received it. */
  lastUserText(request: SeenRequest): string;
  /** The documented streamed tool call, and what a client must assemble from it. */
  readonly toolStream: Buffer;
  readonly toolStreamText: string;
  readonly toolCalls: ReadonlyArray<{ readonly id: string | RegExp; readonly name: string; readonly arguments: string }>;
  readonly toolStreamUsage: { readonly prompt_tokens: number; readonly completion_tokens: number };
  /** The documented non-streamed tool call answer. */
  readonly toolAnswer: Buffer;
  /** Pieces of a stream: its opening, one text fragment, its normal end, a mid-stream error. */
  readonly opening: Buffer;
  text(fragment: string): Buffer;
  readonly closing: Buffer;
  readonly midStreamError: Buffer;
  /** Input tokens the opening reports (Anthropic's message_start), if any. */
  readonly openingInputTokens?: number;
  /** A whole answer giving `value` the way the provider answers in JSON mode. */
  jsonAnswer(value: unknown): unknown;
  /** How the JSON-mode request reached the provider (the part of its body that asks for JSON). */
  readonly jsonRequest: Record<string, unknown>;
}

/** Matchers for the JSON-mode tool in a request body (its schema is the client's). */
const SCHEMA = { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] };
const jsonTool = (name: string) => ({
  name,
  description: 'Respond to the user with JSON matching this schema (person).',
  input_schema: SCHEMA,
});
const jsonToolSpec = (name: string) => ({
  name,
  description: 'Respond to the user with JSON matching this schema (person).',
  inputSchema: { json: SCHEMA },
});

const fixture = (path: string) => readFileSync(`${FIXTURES_DIR}/${path}`);
const sse = (event: Record<string, unknown>) => Buffer.from(`event: ${event.type as string}\ndata: ${JSON.stringify(event)}\n\n`);
const ndjson = (line: Record<string, unknown>) => Buffer.from(`${JSON.stringify(line)}\n`);

export const ollamaDialect: Dialect = {
  type: 'ollama',
  contentType: 'application/x-ndjson',
  provider: (url) => ({ name: 'local', type: 'ollama', baseUrl: url, private: true }),
  upstreamModel: 'qwen3:8b',
  chatPath: () => '/api/chat',
  isStream: (request) => request.json<{ stream?: boolean }>().stream === true,
  lastUserText: (request) => request.json<{ messages: Array<{ content: string }> }>().messages.at(-1)!.content,
  toolStream: fixture('ollama/chat-stream-tools.ndjson'),
  toolStreamText: 'celsius</think>',
  toolCalls: [
    { id: /^call_.+_0$/, name: 'get_current_weather', arguments: '{"format":"celsius","location":"Toronto"}' },
    { id: /^call_.+_1$/, name: 'get_current_weather', arguments: '{"format":"celsius","location":"Paris, FR"}' },
  ],
  toolStreamUsage: { prompt_tokens: 122, completion_tokens: 33 },
  toolAnswer: fixture('ollama/chat-tools.json'),
  opening: Buffer.alloc(0),
  text: (fragment) =>
    ndjson({
      model: 'qwen3:8b',
      created_at: '2025-05-27T22:54:57.641643Z',
      message: { role: 'assistant', content: fragment },
      done: false,
    }),
  closing: ndjson({
    model: 'qwen3:8b',
    created_at: '2025-05-27T22:54:58Z',
    message: { role: 'assistant', content: '' },
    done: true,
    done_reason: 'stop',
    prompt_eval_count: 10,
    eval_count: 200,
  }),
  midStreamError: ndjson({ error: 'an error was encountered while running the model: unexpected EOF' }),
  jsonAnswer: (value) => ({
    model: 'qwen3:8b',
    created_at: '2024-12-06T00:46:58.265747Z',
    message: { role: 'assistant', content: JSON.stringify(value) },
    done_reason: 'stop',
    done: true,
    prompt_eval_count: 34,
    eval_count: 12,
  }),
  jsonRequest: { format: { type: 'object', properties: { age: { type: 'integer' } }, required: ['age'] } },
};

export const anthropicDialect: Dialect = {
  type: 'anthropic',
  contentType: 'text/event-stream; charset=utf-8',
  provider: (url) => ({ name: 'claude', type: 'anthropic', baseUrl: url, apiKeyEnv: 'TEST_ANTHROPIC_KEY' }),
  upstreamModel: 'claude-opus-4-6',
  chatPath: () => '/v1/messages',
  isStream: (request) => request.json<{ stream?: boolean }>().stream === true,
  lastUserText: (request) =>
    request.json<{ messages: Array<{ content: Array<{ text: string }> }> }>().messages.at(-1)!.content.at(-1)!.text,
  toolStream: fixture('anthropic/stream-tool-use.sse'),
  toolStreamText: "Okay, let's check the weather for San Francisco, CA:",
  toolCalls: [
    { id: 'toolu_01T1x1fJ34qAmk2tNTrN7Up6', name: 'get_weather', arguments: '{"location": "San Francisco, CA", "unit": "fahrenheit"}' },
  ],
  toolStreamUsage: { prompt_tokens: 472, completion_tokens: 89 },
  toolAnswer: fixture('anthropic/message-tool-use.json'),
  opening: Buffer.concat([
    sse({
      type: 'message_start',
      message: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        content: [],
        model: 'claude-opus-4-6',
        stop_reason: null,
        stop_sequence: null,
        usage: { input_tokens: 25, output_tokens: 1 },
      },
    }),
    sse({ type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }),
  ]),
  text: (fragment) => sse({ type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: fragment } }),
  closing: Buffer.concat([
    sse({ type: 'content_block_stop', index: 0 }),
    sse({ type: 'message_delta', delta: { stop_reason: 'end_turn', stop_sequence: null }, usage: { output_tokens: 200 } }),
    sse({ type: 'message_stop' }),
  ]),
  midStreamError: sse({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }),
  openingInputTokens: 25,
  jsonAnswer: (value) => ({
    id: 'msg_j',
    type: 'message',
    role: 'assistant',
    model: 'claude-opus-4-6',
    content: [{ type: 'tool_use', id: 'toolu_j', name: 'json_response', input: value }],
    stop_reason: 'tool_use',
    stop_sequence: null,
    usage: { input_tokens: 30, output_tokens: 12 },
  }),
  jsonRequest: { tool_choice: { type: 'tool', name: 'json_response' }, tools: [jsonTool('json_response')] },
};

export const bedrockDialect: Dialect = {
  type: 'bedrock',
  contentType: 'application/vnd.amazon.eventstream',
  provider: (url) => ({ name: 'aws', type: 'bedrock', region: 'us-east-1', baseUrl: url }),
  upstreamModel: 'anthropic.claude-3-haiku-20240307-v1:0',
  chatPath: (stream) => `/model/anthropic.claude-3-haiku-20240307-v1%3A0/${stream ? 'converse-stream' : 'converse'}`,
  isStream: (request) => request.path.endsWith('/converse-stream'),
  lastUserText: (request) =>
    request.json<{ messages: Array<{ content: Array<{ text: string }> }> }>().messages.at(-1)!.content.at(-1)!.text,
  toolStream: encodeStream(bedrockFixture('converse-stream-tool-use.json')),
  toolStreamText: "I'll look up the most popular song — ünïcödé ✓.",
  toolCalls: [{ id: 'tooluse_kZJMlvQmRJ6eAyJE5GIl7Q', name: 'top_song', arguments: '{"sign": "WZPZ"}' }],
  toolStreamUsage: { prompt_tokens: 375, completion_tokens: 56 },
  toolAnswer: fixture('bedrock/converse-tool-use.json'),
  opening: Buffer.from(encodeMessage({ event: 'messageStart', payload: { role: 'assistant' } })),
  text: (fragment) =>
    Buffer.from(encodeMessage({ event: 'contentBlockDelta', payload: { contentBlockIndex: 0, delta: { text: fragment } } })),
  closing: encodeStream([
    { event: 'contentBlockStop', payload: { contentBlockIndex: 0 } },
    { event: 'messageStop', payload: { stopReason: 'end_turn' } },
    { event: 'metadata', payload: { usage: { inputTokens: 10, outputTokens: 200, totalTokens: 210 }, metrics: { latencyMs: 100 } } },
  ]),
  midStreamError: Buffer.from(encodeMessage({ exception: 'modelStreamErrorException', payload: { message: 'The model stream failed' } })),
  jsonAnswer: (value) => ({
    output: { message: { role: 'assistant', content: [{ toolUse: { toolUseId: 'tooluse_j', name: 'json_response', input: value } }] } },
    stopReason: 'tool_use',
    usage: { inputTokens: 30, outputTokens: 12, totalTokens: 42 },
  }),
  jsonRequest: { toolConfig: { tools: [{ toolSpec: jsonToolSpec('json_response') }], toolChoice: { tool: { name: 'json_response' } } } },
};

export const DIALECTS: readonly Dialect[] = [ollamaDialect, anthropicDialect, bedrockDialect];
