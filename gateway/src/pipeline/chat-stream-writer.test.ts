import type { ServerResponse } from 'node:http';
import { GatewayError } from '../errors/gateway-error';
import type { ChatCompletionChunk } from '../providers/openai-types';
import { ChatStreamWriter } from './chat-stream-writer';
import { flushTurnWrites, turnWritesWaiting } from './turn-end-writes';
import { CapturedResponse } from '../../test/support/captured-response';

const identity = { id: 'chatcmpl-1', created: 5, model: 'chat' };
const chunk = (choices: ChatCompletionChunk['choices'], extra: Partial<ChatCompletionChunk> = {}): ChatCompletionChunk => ({
  ...identity,
  object: 'chat.completion.chunk',
  choices,
  ...extra,
});

function writerFor(includeUsage: boolean) {
  const res = new CapturedResponse();
  const writer = new ChatStreamWriter(res as unknown as ServerResponse, identity, includeUsage);
  writer.start({ 'x-request-id': '1' });
  return { res, writer };
}

test('sends SSE headers with the gateway headers', () => {
  const { res } = writerFor(false);
  expect(res.status).toBe(200);
  expect(res.headers).toMatchObject({
    'x-request-id': '1',
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
  });
});

test('the first chunk of each choice carries the role, later ones do not', () => {
  const { res, writer } = writerFor(false);
  void writer.write([
    chunk([
      { index: 0, delta: { content: 'a' }, finish_reason: null },
      { index: 1, delta: { content: 'b' }, finish_reason: null },
    ]),
  ]);
  void writer.write([chunk([{ index: 0, delta: { role: 'assistant', content: 'c' }, finish_reason: null }])]);
  writer.finish(undefined);
  flushTurnWrites();
  const [first, second] = res.frames() as Array<ChatCompletionChunk>;
  expect(first.choices.map((c) => c.delta.role)).toEqual(['assistant', 'assistant']);
  expect(second.choices[0].delta).toEqual({ content: 'c' });
});

test('tool calls: id (made up when missing), type and name only on the first fragment of each index', () => {
  const { res, writer } = writerFor(false);
  void writer.write([
    chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { name: 'get_weather', arguments: '{"a"' } }] }, finish_reason: null }]),
    chunk([
      {
        index: 0,
        delta: { tool_calls: [{ index: 0, id: 'dup', type: 'function', function: { name: 'get_weather', arguments: ':1}' } }] },
        finish_reason: null,
      },
    ]),
    chunk([
      {
        index: 0,
        delta: { tool_calls: [{ index: 1, id: 'call_b', function: { name: 'get_time', arguments: '{}' } }] },
        finish_reason: null,
      },
    ]),
  ]);
  writer.finish(undefined);
  flushTurnWrites();
  const calls = (res.frames().slice(0, -1) as ChatCompletionChunk[]).flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
  expect(calls[0]).toEqual({
    index: 0,
    id: expect.stringMatching(/^call_/),
    type: 'function',
    function: { name: 'get_weather', arguments: '{"a"' },
  });
  expect(calls[1]).toEqual({ index: 0, function: { arguments: ':1}' } });
  expect(calls[2]).toEqual({ index: 1, id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } });
});

test('the finish_reason chunk is the last with choices, even when content follows it upstream', () => {
  const { res, writer } = writerFor(false);
  void writer.write([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }], { system_fingerprint: 'fp' })]);
  void writer.write([chunk([{ index: 0, delta: { content: 'late' }, finish_reason: null }])]);
  writer.finish(undefined);
  flushTurnWrites();
  const frames = res.frames();
  expect(frames[frames.length - 1]).toBe('[DONE]');
  const chunks = frames.slice(0, -1) as ChatCompletionChunk[];
  expect(chunks.map((c) => c.choices[0].finish_reason)).toEqual([null, 'stop']);
  expect(chunks[1]).toMatchObject({
    system_fingerprint: 'fp',
    choices: [{ delta: { role: 'assistant', content: 'a' }, finish_reason: 'stop' }],
  });
});

test('with include_usage: exactly one usage chunk with empty choices, just before [DONE]; upstream usage fields dropped', () => {
  const { res, writer } = writerFor(true);
  void writer.write([
    chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }], { usage: null }),
    chunk([], { usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 } }),
  ]);
  void writer.write([chunk([{ index: 0, delta: {}, finish_reason: 'stop' }])]);
  writer.finish({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
  flushTurnWrites();
  const frames = res.frames();
  expect(frames.map((f) => (f === '[DONE]' ? f : 'usage' in f ? 'usage' : 'chunk'))).toEqual(['chunk', 'chunk', 'usage', '[DONE]']);
  expect(frames[2]).toEqual({
    ...identity,
    object: 'chat.completion.chunk',
    choices: [],
    usage: { prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 },
  });
});

test('without include_usage: no usage chunk at all', () => {
  const { res, writer } = writerFor(false);
  void writer.write([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: 'stop' }])]);
  writer.finish({ prompt_tokens: 4, completion_tokens: 2, total_tokens: 6 });
  flushTurnWrites();
  expect(res.out).not.toContain('usage');
  expect(res.out.endsWith('data: [DONE]\n\n')).toBe(true);
});

test('an error after the headers is one error frame, then the end (no [DONE])', () => {
  const { res, writer } = writerFor(true);
  void writer.write([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }])]);
  writer.fail(new GatewayError('upstream_timeout', 'The provider stopped mid-stream.'));
  writer.finish(undefined);
  flushTurnWrites();
  const frames = res.frames();
  expect(frames[frames.length - 1]).toEqual({
    error: { message: 'The provider stopped mid-stream.', type: 'server_error', param: null, code: 'upstream_timeout' },
  });
  expect(res.out).not.toContain('[DONE]');
  expect(res.ended).toBe(true);
});

test("a turn's chunks are held by one cork until the turn ends, and the end waits with them", () => {
  const { res, writer } = writerFor(false);
  void writer.write([chunk([{ index: 0, delta: { content: 'a' }, finish_reason: null }])]);
  void writer.write([chunk([{ index: 0, delta: { content: 'b' }, finish_reason: null }])]);
  expect(res.corks).toBe(1);
  flushTurnWrites();
  expect(res.corks).toBe(0);
  void writer.write([chunk([{ index: 0, delta: { content: 'c' }, finish_reason: 'stop' }])]);
  writer.finish(undefined);
  expect(res.ended).toBe(false);
  expect(turnWritesWaiting()).toBe(1);
  flushTurnWrites();
  expect(res.ended).toBe(true);
  expect(res.corks).toBe(0);
  expect(res.out.endsWith('data: [DONE]\n\n')).toBe(true);
});
