// The counter's o200k_base counts against js-tiktoken's (a dev dependency: an independent
// implementation with its own copy of the ranks), over a broad corpus: whole texts and each piece.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Tiktoken } from 'js-tiktoken/lite';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { parse } from 'yaml';
import { RECORDED_DIR } from '../../test/support/cassettes';
import { BpePieceCounter } from './bpe-piece-counter';
import { loadO200kTable } from './load-o200k-table';

let counter: BpePieceCounter;
let reference: Tiktoken;
beforeAll(async () => {
  counter = new BpePieceCounter(await loadO200kTable());
  reference = new Tiktoken(o200k);
});

/** Tokens of text: the split pattern applied, each piece counted. */
function count(text: string): number {
  let tokens = 0;
  for (const [piece] of text.matchAll(counter.splitPattern)) tokens += counter.countPiece(piece);
  return tokens;
}
const expected = (text: string) => reference.encode(text, [], []).length;

const SAMPLES: Array<[string, string]> = [
  ['English', "The quick brown fox jumps over the lazy dog. It was not amused, and said so twice! Isn't it? We'll see, they're SURE."],
  ['code', 'function add(a: number, b: number): number {\n    return a + b; // 42\n}\n\nconst xs = [1, 2, 3].map((x) => x ** 2);\n'],
  ['Python', 'def main():\n\tfor i in range(10):\n\t\tprint(f"{i:>4}")\n\n\nif __name__ == "__main__":\n    main()\n'],
  ['JSON', '{"model":"gpt-4o","messages":[{"role":"user","content":"hi"}],"temperature":0.2,"stream":true}'],
  ['Japanese', '東京は日本の首都です。今日はいい天気ですね。カタカナとひらがな、漢字が混ざっています。'],
  ['Chinese', '人工智能正在改变我们的生活方式，包括工作、学习和娱乐。'],
  ['Korean', '안녕하세요. 오늘 날씨가 정말 좋네요! 한국어 토큰화 테스트입니다.'],
  ['emoji', '🌸🌸 👍🏽 🇳🇴 🏳️‍🌈 👩‍👩‍👧‍👦 👨🏿‍💻 ❤️‍🔥 😀😃😄😁'],
  ['Arabic', 'مرحبا بالعالم، كيف حالك اليوم؟ هذه جملة عربية للاختبار.'],
  ['Hindi', 'नमस्ते दुनिया, आज मौसम बहुत अच्छा है। क्षत्रिय ज्ञान'],
  ['Thai', 'สวัสดีชาวโลก วันนี้อากาศดีมาก ภาษาไทยไม่มีช่องว่างระหว่างคำ'],
  ['Russian and Greek', 'Привет, как дела? Ελληνικά γράμματα και Ωμέγα. Ünïcödé àccénts façade naïve.'],
  ['numbers', 'Order 1234567 shipped on 2025-06-01 at 10:42; π ≈ 3.14159265358979, 1e-9, 0x1F, ١٢٣٤ ۵۶۷'],
  ['whitespace runs', 'a  b   c\t\td\n\ne \n \n\r\n\r\n   \u00a0\u3000\u2028x     \n\n\n\n      y\t \t'],
  ['special-token text', 'a literal <|endoftext|> and <|im_start|>user\n<|fim_prefix|><|endofprompt|> in user text'],
  ['contractions', "I'm, you're, he's, it'd, we've, they'll, DON'T, Can'T, 'S 'll 'Ve"],
  ['combining marks', 'e\u0301 a\u0308 n\u0303 \u0915\u094d\u0937 Z\u0351\u036b\u0343\u036a\u0302\u036b'],
  ['repeated letters', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa zzzzzzzzzzzz !!!!!!!!!!!!!!!! ________ ------'],
  ['a long piece', 'Pneumonoultramicroscopicsilicovolcanoconiosis_and_supercalifragilisticexpialidocious_too'],
];

/** Lone surrogates: TextEncoder writes each as U+FFFD, in this counter and in js-tiktoken alike. */
const LONE_SURROGATES: Array<[string, string]> = [
  ['a lone high surrogate', 'a\ud800b'],
  ['a lone low surrogate', '\udc00'],
  ['reversed surrogates', 'x\udc00\ud800y'],
  ['a surrogate before a letter', '\ud83dHello \ud83d'],
];

/** A seeded PRNG (mulberry32), so a failure reproduces. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** Code point ranges the random strings draw from, each about as often. */
const RANGES: Array<[number, number]> = [
  [0x20, 0x7e], // ASCII
  [0x09, 0x0d], // tab, newlines
  [0xa0, 0x2af], // Latin-1, Latin extended, IPA
  [0x300, 0x36f], // combining marks
  [0x370, 0x52f], // Greek, Cyrillic
  [0x590, 0x6ff], // Hebrew, Arabic
  [0x900, 0xdff], // Indic scripts, Thai
  [0x2000, 0x206f], // punctuation, spaces
  [0x3000, 0x30ff], // CJK punctuation, kana
  [0x4e00, 0x9fff], // CJK ideographs
  [0xac00, 0xd7a3], // Hangul
  [0xe000, 0xffff], // private use, forms, specials
  [0x1f300, 0x1faff], // emoji
  [0x10000, 0x10ffff], // anything astral
];

function randomStrings(seed: number, n: number, surrogates: boolean): string[] {
  const random = prng(seed);
  const pick = (max: number) => Math.floor(random() * max);
  return Array.from({ length: n }, () => {
    let text = '';
    for (let length = 1 + pick(60); length > 0; length--) {
      if (surrogates && random() < 0.05) text += String.fromCharCode(0xd800 + pick(0x800));
      else if (random() < 0.3) text += ' abcdefghijklmnopqrstuvwxyz0123456789.,\n'[pick(40)];
      else {
        const [low, high] = RANGES[pick(RANGES.length)];
        const codePoint = low + pick(high - low + 1);
        text += codePoint >= 0xd800 && codePoint <= 0xdfff ? 'x' : String.fromCodePoint(codePoint);
      }
    }
    return text;
  });
}

/** Every string in the recorded OpenAI traffic: raw bodies, and the strings in their JSON and SSE events. */
function fixtureStrings(): string[] {
  const strings: string[] = [];
  const walk = (value: unknown): void => {
    if (typeof value === 'string') {
      strings.push(value);
      for (const json of jsonIn(value)) walk(json);
    } else if (Array.isArray(value)) value.forEach(walk);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(walk);
  };
  for (const file of readdirSync(RECORDED_DIR).filter((f) => f.endsWith('.yaml')))
    walk(parse(readFileSync(join(RECORDED_DIR, file), 'utf8')));
  return strings;
}

/** The JSON documents in a string: the string itself, or the `data:` lines of an SSE body. */
function jsonIn(text: string): unknown[] {
  const candidates =
    text.includes('\ndata: ') || text.startsWith('data: ') ? text.split('\n').map((l) => l.replace(/^data: /, '')) : [text];
  return candidates.flatMap((candidate) => {
    if (!/^\s*[[{]/.test(candidate)) return [];
    try {
      return [JSON.parse(candidate) as unknown];
    } catch {
      return [];
    }
  });
}

describe('BpePieceCounter', () => {
  test.each([...SAMPLES, ...LONE_SURROGATES])('%s: the same count as js-tiktoken', (_name, text) => {
    expect(count(text)).toBe(expected(text));
  });

  test('a lone surrogate counts as U+FFFD, the character TextEncoder writes for it', () => {
    expect(counter.countPiece('\ud800')).toBe(counter.countPiece('\ufffd'));
    expect(counter.countPiece('\ud800\udc00')).not.toBe(counter.countPiece('\ufffd\ufffd')); // a pair is one character
  });

  test('special-token text is ordinary text: <|endoftext|> is several tokens, not one', () => {
    expect(count('<|endoftext|>')).toBeGreaterThan(1);
  });

  test('an empty piece is no token; a piece longer than the first scratch buffer is counted', () => {
    expect(counter.countPiece('')).toBe(0);
    const long = 'Ünïcödé'.repeat(30);
    expect(counter.countPiece(long)).toBe(expected(long));
  });

  const corpora: Array<[string, () => string[]]> = [
    ['random Unicode strings (seed 1)', () => randomStrings(1, 2000, false)],
    ['random Unicode strings with lone surrogates (seed 2)', () => randomStrings(2, 1000, true)],
    ['the recorded fixtures', fixtureStrings],
  ];

  test.each(corpora)('%s: whole texts counted as js-tiktoken counts them', (_name, corpus) => {
    const texts = corpus();
    expect(texts.length).toBeGreaterThan(100);
    const differing = texts.filter((text) => count(text) !== expected(text));
    expect(differing).toEqual([]);
  });

  test.each(corpora)('%s: each piece counted as js-tiktoken counts it alone', (_name, corpus) => {
    const pieces = new Set<string>();
    for (const text of corpus()) for (const [piece] of text.matchAll(counter.splitPattern)) pieces.add(piece);
    const differing = [...pieces].filter((piece) => counter.countPiece(piece) !== expected(piece));
    expect(differing).toEqual([]);
  });

  test('the table pattern splits text into the pieces js-tiktoken splits it into', () => {
    const theirs = new RegExp(o200k.pat_str, 'gu');
    const texts = [...SAMPLES.map(([, text]) => text), ...randomStrings(3, 1000, true), ...fixtureStrings()];
    const differing = texts.filter((text) => {
      const split = (pattern: RegExp) => [...text.matchAll(pattern)].map(([piece]) => piece).join('\u0000');
      return split(counter.splitPattern) !== split(theirs);
    });
    expect(differing).toEqual([]);
  });
});
