/**
 * Text deltas read without JSON.parse, held to the full parse: whatever `readContentDelta`
 * accepts is valid JSON whose only change is text for choice 0, and the gateway's output with it
 * is what it is when every chunk is parsed.
 */
import type { ServerResponse } from 'node:http';
import { CapturedResponse } from '../../test/support/captured-response';
import { loadCassette } from '../../test/support/cassettes';
import { ChatStreamWriter } from '../pipeline/chat-stream-writer';
import { CompletionAssembler } from '../pipeline/completion-chunks';
import { flushTurnWrites } from '../pipeline/turn-end-writes';
import { identityPrefix, UPSTREAM_TAIL } from './chunk-tail';
import { ContentDelta, readContentDelta } from './content-delta';
import type { StreamChunk } from './contract';
import { openaiAdapter } from './openai/openai-adapter';

const identity = { id: 'chatcmpl-gw', created: 7, model: 'chat' };
const gatewayPrefix = identityPrefix(identity.id, identity.created, identity.model);
const head = '{"id":"chatcmpl-up","object":"chat.completion.chunk","created":1755137933,"model":"gpt-5-nano",';

/** The full parse of a chunk under the gateway's identity, without usage (what the parser's other path makes). */
function fullParse(text: string): Record<string, unknown> {
  const parsed = JSON.parse(text) as Record<string, unknown>;
  Object.assign(parsed, { id: identity.id, created: identity.created, model: identity.model });
  delete parsed.usage;
  return parsed;
}

/** Checks one chunk text; returns whether it was read as a text delta. */
function check(text: string): boolean {
  const delta = readContentDelta(text, head.length);
  let parsed: { choices?: Array<{ delta?: Record<string, unknown> }> } | undefined;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (delta === undefined) return false;
  // Valid JSON, a text delta for one choice and nothing else changed by the rules.
  expect(parsed).toBeDefined();
  expect(parsed!.choices).toHaveLength(1);
  expect(parsed!.choices![0].delta).toEqual({ content: delta.content });
  // Behind the gateway's prefix the tail is the same chunk as the full parse makes, identity and all.
  const chunk = delta.toChunk(gatewayPrefix);
  expect(chunk[UPSTREAM_TAIL]).toBe(delta.tail);
  const { [UPSTREAM_TAIL]: _tail, ...fields } = chunk;
  expect(fields).toEqual(fullParse(text));
  expect(delta.tail).not.toContain('"usage":null');
  return true;
}

const text = (content: string) => `"choices":[{"index":0,"delta":{"content":${content}},"finish_reason":null}]`;

describe('readContentDelta', () => {
  const accepted: Array<[string, string]> = [
    ['a text delta', `${text('"Hi"')}}`],
    [
      'OpenAI with service tier, fingerprint and obfuscation',
      `"service_tier":"default","system_fingerprint":null,${text('" there"')},"obfuscation":"nX"}`,
    ],
    ['vLLM with logprobs null', '"choices":[{"index":0,"delta":{"content":" is"},"logprobs":null,"finish_reason":null}]}'],
    ['usage null last', `${text('"a"')},"usage":null}`],
    ['usage null first', `"usage":null,${text('"a"')}}`],
    ['usage null between', `"system_fingerprint":"fp_1",${text('"a"')},"usage":null,"obfuscation":""}`],
    ['escapes', `${text('"a\\"b\\\\c\\/d\\n\\t\\u00e9\\ud83d\\ude00"')}}`],
    ['raw unicode', `${text('"café 😀 中文"')}}`],
    ['key names in the text', `${text('"\\"model\\": id usage"')}}`],
    ['numbers and words', `"n":-0,"x":1.5e-3,"t":true,"f":false,${text('"x"')}}`],
    ['an empty text', `${text('""')}}`],
  ];
  test.each(accepted)('reads %s as the full parse does', (_name, tail) => {
    expect(check(head + tail)).toBe(true);
  });

  const refused: Array<[string, string]> = [
    ['the role chunk', '"choices":[{"index":0,"delta":{"role":"assistant","content":""},"finish_reason":null}]}'],
    ['a finish chunk', '"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}'],
    ['a text delta that finishes', '"choices":[{"index":0,"delta":{"content":"."},"finish_reason":"stop"}]}'],
    ['the usage chunk', '"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}}'],
    ['a usage object', `${text('"a"')},"usage":{"prompt_tokens":1}}`],
    ['usage null inside the choice', '"choices":[{"index":0,"delta":{"content":"a"},"usage":null}]}'],
    ['usage null inside the delta', '"choices":[{"index":0,"delta":{"content":"a","usage":null}}]}'],
    ['usage null inside the choice, and at the top', '"choices":[{"index":0,"delta":{"content":"a"},"usage":null}],"usage":null}'],
    ['usage null twice', `"usage":null,${text('"a"')},"usage":null}`],
    ['an error member', `${text('"a"')},"error":{"message":"x"}}`],
    ['an error string', `"error":"x",${text('"a"')}}`],
    ['an identity key again', `${text('"a"')},"model":"other"}`],
    ['an id key before choices', `"id":"x",${text('"a"')}}`],
    ['choices twice', `${text('"a"')},${text('"b"')}}`],
    ['another delta key', '"choices":[{"index":0,"delta":{"content":"a","reasoning":"b"},"finish_reason":null}]}'],
    ['tool calls', '"choices":[{"index":0,"delta":{"tool_calls":[{"index":0}]}}]}'],
    ['a logprobs object', '"choices":[{"index":0,"delta":{"content":"a"},"logprobs":{"content":[]}}]}'],
    ['a second choice', '"choices":[{"index":0,"delta":{"content":"a"}},{"index":1,"delta":{"content":"b"}}]}'],
    ['another index', '"choices":[{"index":1,"delta":{"content":"a"}}]}'],
    ['an object value', `"meta":{"a":1},${text('"a"')}}`],
    ['whitespace', `${text('"a"')} }`],
    ['a trailing comma', `${text('"a"')},}`],
    ['text after the end', `${text('"a"')}}x`],
    ['no end', text('"a"')],
    ['a raw control character', `${text('"a\nb"')}}`],
    ['a bad escape', `${text('"a\\x"')}}`],
    ['a leading zero', `"n":01,${text('"a"')}}`],
    ['an upper-case key', `"Key":1,${text('"a"')}}`],
  ];
  test.each(refused)('leaves %s to the full parse', (_name, tail) => {
    expect(check(head + tail)).toBe(false);
  });

  test('random edits of text deltas: whatever it reads is valid JSON and the same chunk as the full parse', () => {
    const seeds = accepted.map(([, tail]) => head + tail);
    const alphabet = ['"', ',', ':', '{', '}', '[', ']', '\\', ' ', '0', '-', 'e', 'a', 'n', 'u', '_', 'd', 'i'];
    let state = 12345;
    const random = (n: number) => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state % n;
    };
    let reads = 0;
    for (let i = 0; i < 20_000; i++) {
      let t = seeds[random(seeds.length)];
      for (let edits = 1 + random(3); edits > 0; edits--) {
        const at = head.length + random(t.length - head.length);
        const ch = alphabet[random(alphabet.length)];
        const kind = random(3);
        t =
          kind === 0
            ? t.slice(0, at) + t.slice(at + 1)
            : kind === 1
              ? t.slice(0, at) + ch + t.slice(at)
              : t.slice(0, at) + ch + t.slice(at + 1);
      }
      if (check(t)) reads++;
    }
    // Edits inside a text or a value keep many chunks valid: those are read.
    expect(reads).toBeGreaterThan(300);
  });
});

/** The parser's output for an SSE body, with its text deltas as they come or each fully parsed. */
function parse(sse: string, fullyParsed: boolean): StreamChunk[] {
  const parser = openaiAdapter.createChatStreamParser(identity);
  const chunks = [...parser.push(Buffer.from(sse)), ...parser.end()];
  return fullyParsed ? chunks.map((c) => (c instanceof ContentDelta ? c.toChunk(gatewayPrefix) : c)) : chunks;
}

function relay(chunks: StreamChunk[]): string {
  const res = new CapturedResponse();
  const writer = new ChatStreamWriter(res as unknown as ServerResponse, identity, true);
  writer.start({});
  void writer.write(chunks);
  writer.finish({ prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 });
  flushTurnWrites();
  return res.out;
}

describe('text deltas through the stream writer and the assembler', () => {
  const recorded = loadCassette('chat-streaming.yaml').response.body;

  test('the recorded OpenAI stream: most chunks are text deltas, and the output is byte for byte as with every chunk parsed', () => {
    const chunks = parse(recorded, false);
    const deltas = chunks.filter((c) => c instanceof ContentDelta).length;
    expect(deltas).toBeGreaterThan(10);
    expect(deltas).toBeGreaterThan(chunks.length / 2);
    expect(relay(chunks)).toBe(relay(parse(recorded, true)));
  });

  test('the writer counts their text for output estimates as it counts parsed chunks', () => {
    const count = (chunks: StreamChunk[]) => {
      const writer = new ChatStreamWriter(new CapturedResponse() as unknown as ServerResponse, identity, false);
      writer.start({});
      void writer.write(chunks);
      return [writer.charsWritten, writer.chunksWritten];
    };
    expect(count(parse(recorded, false))).toEqual(count(parse(recorded, true)));
    flushTurnWrites();
  });

  test('a text delta before any role for its choice gets the role, as a parsed chunk would', () => {
    const sse = `data: ${head}"system_fingerprint":"fp_1",${text('"Hi"')}}\n\n`;
    // The first chunk of a stream sets the prefix; a second identical one is read as a text delta.
    const chunks = parse(sse + sse, false);
    expect(chunks[1]).toBeInstanceOf(ContentDelta);
    const out = relay([chunks[1]]);
    const first = JSON.parse(out.split('\n\n')[0].slice(6));
    expect(first.choices[0].delta).toEqual({ role: 'assistant', content: 'Hi' });
    expect(first.system_fingerprint).toBe('fp_1');
    expect(out).toBe(relay([(chunks[1] as ContentDelta).toChunk(gatewayPrefix)]));
  });

  test('the assembler folds them into the same completion as parsed chunks (the cache stores it)', () => {
    const fold = (chunks: StreamChunk[]) => {
      const assembler = new CompletionAssembler();
      assembler.add(chunks);
      return assembler.completion(identity);
    };
    const completion = fold(parse(recorded, false));
    expect(completion).toEqual(fold(parse(recorded, true)));
    expect(completion.choices[0].message.content!.length).toBeGreaterThan(20);
  });
});
