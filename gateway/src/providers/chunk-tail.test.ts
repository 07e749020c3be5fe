import type { ServerResponse } from 'node:http';
import { CapturedResponse } from '../../test/support/captured-response';
import { loadCassette } from '../../test/support/cassettes';
import { ChatStreamWriter } from '../pipeline/chat-stream-writer';
import { flushTurnWrites } from '../pipeline/turn-end-writes';
import { ChunkTailReader, identityPrefix, UPSTREAM_TAIL, type TailedChunk } from './chunk-tail';
import { ContentDelta } from './content-delta';
import type { StreamChunk } from './contract';
import { openaiAdapter } from './openai/openai-adapter';
import type { ChatCompletionChunk } from './openai-types';

const head = '{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1755137933,"model":"gpt-5-nano",';
const choices = '"choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}]';

describe('ChunkTailReader.tailOf', () => {
  const cases: Array<[string, string, string | undefined]> = [
    ['a compact chunk in OpenAI key order', `${head}"system_fingerprint":null,${choices}}`, `"system_fingerprint":null,${choices}}`],
    ['usage null at the end is cut', `${head}${choices},"usage":null}`, `${choices}}`],
    ['usage null before another key is cut', `${head}${choices},"usage":null,"obfuscation":"nX"}`, `${choices},"obfuscation":"nX"}`],
    ['a usage object is refused', `${head}${choices},"usage":{"prompt_tokens":1}}`, undefined],
    ['usage null as the first key after model is refused', `${head}"usage":null,${choices}}`, undefined],
    ['whitespace after a colon is refused', head.replace('"id":', '"id": ') + `${choices}}`, undefined],
    [
      'another key order is refused',
      head.replace('"created":1755137933,"model":"gpt-5-nano",', '"model":"gpt-5-nano","created":1755137933,') + `${choices}}`,
      undefined,
    ],
    ['another object type is refused', head.replace('chat.completion.chunk', 'chat.completion') + `${choices}}`, undefined],
    ['a duplicate model key later is refused', `${head}${choices},"model":"gpt-5-nano"}`, undefined],
    ['a duplicate id key later is refused', `${head}${choices},"id":"chatcmpl-up"}`, undefined],
    [
      'a content string equal to a key name falls back',
      `${head}"choices":[{"index":0,"delta":{"content":"model"},"finish_reason":null}]}`,
      undefined,
    ],
    [
      'an escaped key name inside content is kept',
      `${head}"choices":[{"index":0,"delta":{"content":"say \\"model\\""},"finish_reason":null}]}`,
      '"choices":[{"index":0,"delta":{"content":"say \\"model\\""},"finish_reason":null}]}',
    ],
  ];
  test.each(cases)('%s', (_name, text, tail) => {
    expect(new ChunkTailReader().tailOf(text, JSON.parse(text) as ChatCompletionChunk)).toBe(tail);
  });

  test('the prefix follows the stream when its identity changes', () => {
    const reader = new ChunkTailReader();
    const first = `${head}${choices}}`;
    const second = first.replace('chatcmpl-up', 'chatcmpl-other');
    expect(reader.tailOf(first, JSON.parse(first))).toBe(`${choices}}`);
    expect(reader.tailOf(second, JSON.parse(second))).toBe(`${choices}}`);
    // The second id's prefix, not the first's, is now the one matched.
    expect(reader.tailOf(first.replace('chatcmpl-up', 'chatcmpl-third'), JSON.parse(second))).toBeUndefined();
  });
});

const identity = { id: 'chatcmpl-gw', created: 7, model: 'chat' };

/** The gateway's output for an upstream SSE body, with or without the chunks' tails. */
function relay(sse: string, useTails: boolean): string {
  const parser = openaiAdapter.createChatStreamParser(identity);
  const res = new CapturedResponse();
  const writer = new ChatStreamWriter(res as unknown as ServerResponse, identity, true);
  writer.start({});
  const items = [...parser.push(Buffer.from(sse)), ...parser.end()];
  if (useTails) return relayChunks(writer, res, items);
  // Every chunk parsed and serialised again: text deltas (content-delta.ts) as their full parse.
  const prefix = identityPrefix(identity.id, identity.created, identity.model);
  const chunks = items.map((c) => (c instanceof ContentDelta ? c.toChunk(prefix) : c)) as TailedChunk[];
  for (const chunk of chunks) delete chunk[UPSTREAM_TAIL];
  return relayChunks(writer, res, chunks);
}

function relayChunks(writer: ChatStreamWriter, res: CapturedResponse, chunks: StreamChunk[]): string {
  void writer.write(chunks);
  writer.finish({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  flushTurnWrites();
  return res.out;
}

describe('the stream writer with tails', () => {
  test('the recorded OpenAI stream comes out byte for byte as when every chunk is serialised again', () => {
    const sse = loadCassette('chat-streaming.yaml').response.body;
    expect(sse.split('data: {').length).toBeGreaterThan(10);
    const tailed = relay(sse, true);
    expect(tailed).toBe(relay(sse, false));
    expect(tailed).not.toContain('chatcmpl-C4Hq');
    expect(tailed).toContain('"id":"chatcmpl-gw","object":"chat.completion.chunk","created":7,"model":"chat",');
  });

  test("a tail keeps the upstream's own escapes, which proves it was sent", () => {
    const sse = `data: ${head}"choices":[{"index":0,"delta":{"role":"assistant","content":"caf\\u00e9"},"finish_reason":null}],"usage":null}\n\n`;
    const out = relay(sse, true);
    expect(out).toContain('"content":"caf\\u00e9"');
    expect(out).not.toContain('"usage":null');
    expect(relay(sse, false)).toContain('"content":"café"');
  });

  const frames = (out: string) => out.split('\n\n').filter((f) => f.startsWith('data: {'));
  const roleChunk = `data: ${head}"choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}\n\n`;

  test('a held finish chunk that was one whole upstream chunk goes out as its tail', () => {
    const finish = `data: ${head}"system_fingerprint":"fp_\\u0031","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}\n\n`;
    const tailed = frames(relay(roleChunk + finish, true));
    const serialised = frames(relay(roleChunk + finish, false));
    // The finish chunk, then the usage chunk: the finish chunk kept the upstream's escape.
    expect(tailed[1]).toContain('"system_fingerprint":"fp_\\u0031"');
    expect(serialised[1]).toContain('"system_fingerprint":"fp_1"');
    expect(JSON.parse(tailed[1].slice(6))).toEqual(JSON.parse(serialised[1].slice(6)));
  });

  test('a held finish chunk the rules changed, or choices held from two chunks, are serialised', () => {
    const withUsage = `data: ${head}"system_fingerprint":"fp_\\u0031","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}\n\n`;
    expect(frames(relay(roleChunk + withUsage, true))[1]).toContain('"system_fingerprint":"fp_1"');
    // Each finishing chunk is intact on its own; together they are no one upstream chunk.
    const choice = (index: number, delta: string, finish: string | null) =>
      `data: ${head}"system_fingerprint":"fp_\\u0031","choices":[{"index":${index},"delta":${delta},"finish_reason":${finish ? `"${finish}"` : null}}]}\n\n`;
    const sse =
      choice(0, '{"role":"assistant"}', null) +
      choice(1, '{"role":"assistant"}', null) +
      choice(0, '{}', 'stop') +
      choice(1, '{}', 'length');
    const tailed = frames(relay(sse, true));
    const held = tailed.find((f) => f.includes('"finish_reason":"stop"'))!;
    expect(JSON.parse(held.slice(6)).choices.map((c: { finish_reason: string }) => c.finish_reason)).toEqual(['stop', 'length']);
    expect(held).toContain('"system_fingerprint":"fp_1"');
    expect(tailed.map((f) => JSON.parse(f.slice(6)))).toEqual(frames(relay(sse, false)).map((f) => JSON.parse(f.slice(6))));
  });

  test('the usage chunk is what JSON.stringify writes for it', () => {
    const usageFrame = frames(relay(roleChunk, true)).at(-1)!.slice(6);
    expect(usageFrame).toBe(
      JSON.stringify({
        id: identity.id,
        object: 'chat.completion.chunk',
        created: identity.created,
        model: identity.model,
        choices: [],
        usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
      }),
    );
  });

  test('a chunk the rules change is serialised from its object', () => {
    // No role on the first chunk: the writer adds it, so the tail (without it) must not be used.
    const sse = `data: ${head}"choices":[{"index":0,"delta":{"content":"caf\\u00e9"},"finish_reason":null}]}\n\n`;
    const [first] = relay(sse, true).split('\n\n');
    expect(JSON.parse(first.slice(6)).choices[0].delta).toEqual({ role: 'assistant', content: 'café' });
    expect(first).not.toContain('\\u00e9');
  });
});
