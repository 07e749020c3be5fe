// js-tiktoken (a dev dependency) is the independent reference the counter's counts are compared
// with (bpe-piece-counter.test.ts compares them over a broad corpus).
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import type { ChatCompletionRequest, EmbeddingsRequest } from '../providers/openai-types';
import { requestTokens } from './request-tokens';
import { CountBudget, loadTokenCounter, type TokenCounter } from './token-counter';

let counter: TokenCounter;
let reference: Tiktoken;
beforeAll(async () => {
  counter = await loadTokenCounter();
  reference = new Tiktoken(o200k);
});

describe('TokenCounter', () => {
  test.each([
    ['English prose', 'The quick brown fox jumps over the lazy dog. It was not amused, and said so twice!'],
    ['code', 'function add(a: number, b: number): number {\n    return a + b; // 42\n}\n'],
    ['CJK and emoji', '東京は日本の首都です。今日はいい天気ですね 🌸🌸'],
    ['numbers and whitespace', 'Order 1234567 shipped on 2025-06-01 at 10:42\t\t  to   Zürich.'],
    ['text that spells a special token', 'a literal <|endoftext|> in user text'],
  ])('%s: counted piece by piece, the same as encoding the whole text', (_name, text) => {
    // An unbounded budget: the time budget must not turn a slow first count into estimates here.
    expect(counter.count(text, new CountBudget(Infinity, Infinity))).toBe(reference.encode(text, [], []).length);
    // The second time every piece comes from the memo.
    expect(counter.count(text, new CountBudget())).toBe(reference.encode(text, [], []).length);
  });

  test('a long run without breaks is estimated (one token per 3 bytes), never merged (BPE merging is quadratic)', () => {
    expect(counter.count('a'.repeat(20_000), new CountBudget())).toBe(Math.ceil(20_000 / 3));
  });

  test('once the time budget is spent, new pieces are estimated; remembered ones stay exact', () => {
    const spent = new CountBudget(Infinity, -1);
    expect(counter.count('zyxw vutsrq', spent)).toBe(Math.ceil('zyxw'.length / 3) + Math.ceil(' vutsrq'.length / 3));
    counter.count('hello', new CountBudget(Infinity, Infinity));
    expect(counter.count('hello', spent)).toBe(1);
  });

  test('a whole text is remembered only when it was counted exactly: an estimate is never replayed', () => {
    const text = 'Quixotic zephyrs vex bold jumpy wizards';
    const exact = reference.encode(text, [], []).length;
    const estimated = counter.count(text, new CountBudget(Infinity, -1));
    expect(estimated).not.toBe(exact);
    // No time limit: on a loaded CI machine the default 2 ms could run out and give an estimate.
    expect(counter.count(text, new CountBudget(Infinity, Infinity))).toBe(exact);
    // Now remembered: the same answer even with no time left, and the budget is still charged.
    const budget = new CountBudget(100, -1);
    expect(counter.count(text, budget)).toBe(exact);
    expect(budget.chars).toBe(100 - text.length);
  });

  test('past 64 Ki characters of exact work per request, the rest is estimated', () => {
    const budget = new CountBudget(undefined, Infinity); // the character budget only
    const words = 'lorem ipsum dolor sit amet '.repeat(2428); // 65 556 characters
    counter.count(words, budget);
    expect(budget.chars).toBeLessThanOrEqual(0);
    expect(counter.count('lorem ipsum', budget)).toBe(Math.ceil(11 / 3));
  });
});

describe('requestTokens', () => {
  const count = (text: string) => reference.encode(text, [], []).length;
  const tools: ChatCompletionRequest['tools'] = [
    { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
  ];
  // requestTokens gives each request the production budget (2 ms of exact counting), which a first
  // count can overrun on a loaded CI machine and then estimate. These tests check the arithmetic
  // around the counts, so every text they count is counted exactly first: remembered texts stay
  // exact past the deadline (tested above).
  beforeAll(() => {
    const texts = ['You are terse.', 'Hello there', 'ada', 'hi', 'What is this?', 'get_weather', '{"city":"Oslo"}', JSON.stringify(tools)];
    for (const text of [...texts, 'alpha beta', 'gamma']) counter.count(text, new CountBudget(Infinity, Infinity));
  });

  test('chat: 3 per message, 1 per name, 3 to prime the reply; completion = max_tokens x n', () => {
    const body: ChatCompletionRequest = {
      model: 'chat',
      n: 2,
      max_tokens: 50,
      messages: [
        { role: 'system', content: 'You are terse.' },
        { role: 'user', name: 'ada', content: 'Hello there' },
      ],
    };
    expect(requestTokens({ operation: 'chat', body }, counter, 1024)).toEqual({
      prompt: 3 + 3 + count('You are terse.') + 3 + count('Hello there') + 1 + count('ada'),
      completion: 100,
    });
  });

  test('chat: max_completion_tokens wins over max_tokens; without either the configured reservation applies', () => {
    const messages: ChatCompletionRequest['messages'] = [{ role: 'user', content: 'hi' }];
    expect(
      requestTokens({ operation: 'chat', body: { model: 'm', messages, max_tokens: 10, max_completion_tokens: 20 } }, counter, 1024)
        .completion,
    ).toBe(20);
    expect(requestTokens({ operation: 'chat', body: { model: 'm', messages } }, counter, 777).completion).toBe(777);
  });

  test('chat: content parts, images (765 high / 85 low detail), tool calls and tool definitions', () => {
    const body: ChatCompletionRequest = {
      model: 'm',
      tools,
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'What is this?' },
            { type: 'image_url', image_url: { url: 'data:image/png;base64,AAAA' } },
            { type: 'image_url', image_url: { url: 'https://x/y.png', detail: 'low' } },
          ],
        },
        {
          role: 'assistant',
          content: null,
          tool_calls: [{ id: 'c1', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Oslo"}' } }],
        },
      ],
    };
    const expected =
      3 + 3 + count('What is this?') + 765 + 85 + 3 + count('get_weather') + count('{"city":"Oslo"}') + count(JSON.stringify(tools));
    expect(requestTokens({ operation: 'chat', body }, counter, 0).prompt).toBe(expected);
  });

  test('embeddings: strings are counted, token arrays are their length; no completion', () => {
    const body: EmbeddingsRequest = {
      model: 'e',
      input: [
        [1, 2, 3],
        [4, 5],
      ],
    };
    expect(requestTokens({ operation: 'embeddings', body }, counter, 1024)).toEqual({ prompt: 5, completion: 0 });
    expect(requestTokens({ operation: 'embeddings', body: { model: 'e', input: ['alpha beta', 'gamma'] } }, counter, 1024)).toEqual({
      prompt: count('alpha beta') + count('gamma'),
      completion: 0,
    });
  });

  test('/api/infer reserves no tokens', () => {
    expect(requestTokens({ operation: 'infer', body: { model: 'svc', payload: { text: 'long '.repeat(100) } } }, counter, 1024)).toEqual({
      prompt: 0,
      completion: 0,
    });
  });
});
