import { LineBytes } from './line-bytes';

/** Everything a LineBytes gives for `bytes` pushed in pieces of `size`, then its end. */
function decode(bytes: Buffer, size: number, breaks?: 'lf' | 'cr-lf'): { text: string; pieces: number } {
  const lines = new LineBytes(breaks);
  let text = '';
  let pieces = 0;
  for (let i = 0; i < bytes.length; i += size) {
    const out = lines.push(bytes.subarray(i, i + size));
    if (out !== undefined) {
      text += out;
      pieces++;
    }
  }
  return { text: text + lines.end(), pieces };
}

const TEXT = 'data: {"text":"héllo 🌍 – ﬁn"}\r\n\r\nevent: ping\rdata: 日本語\n\ntail without a break';

test.each([1, 2, 3, 4, 5, 7, 64])('gives the text TextDecoder gives, split every %i bytes (inside UTF-8 sequences too)', (size) => {
  const bytes = Buffer.from(TEXT);
  expect(decode(bytes, size).text).toBe(new TextDecoder().decode(bytes));
});

test('hands out text only up to the last line break; the rest waits for more bytes or the end', () => {
  const lines = new LineBytes();
  expect(lines.push(Buffer.from('data: a'))).toBeUndefined();
  expect(lines.push(Buffer.from('bc\ndata: d'))).toBe('data: abc\n');
  expect(lines.push(Buffer.from('e\r'))).toBe('data: de\r');
  expect(lines.end()).toBe('');
  const ndjson = new LineBytes('lf');
  expect(ndjson.push(Buffer.from('{"a":1}\r{"b"'))).toBeUndefined();
  expect(ndjson.push(Buffer.from(':2}\n'))).toBe('{"a":1}\r{"b":2}\n');
  // In LF mode a piece ending with CR has no break yet.
  expect(ndjson.push(Buffer.from('{"c":3}\r'))).toBeUndefined();
  expect(ndjson.push(Buffer.from('\n'))).toBe('{"c":3}\r\n');
});

test('drops a byte order mark that opens the body, even one split across pushes, and keeps a later one', () => {
  const bom = Buffer.from([0xef, 0xbb, 0xbf]);
  const bytes = Buffer.concat([bom, Buffer.from('data: x\n\n'), bom, Buffer.from('data: y\n\n')]);
  expect(decode(bytes, 1).text).toBe('data: x\n\n\ufeffdata: y\n\n');
  expect(decode(bytes, 1000).text).toBe('data: x\n\n\ufeffdata: y\n\n');
});

test('turns malformed UTF-8 into U+FFFD, as TextDecoder does, without losing the lines around it', () => {
  const bytes = Buffer.concat([Buffer.from('data: a'), Buffer.from([0xff, 0xc3]), Buffer.from('\ndata: b\n')]);
  expect(decode(bytes, 3).text).toBe(new TextDecoder().decode(bytes));
  expect(decode(bytes, 3).text).toBe('data: a\ufffd\ufffd\ndata: b\n');
});

test('keeps its own copy of bytes that wait, so a caller reusing its chunk changes nothing', () => {
  const lines = new LineBytes();
  const chunk = Buffer.from('data: 12');
  expect(lines.push(chunk)).toBeUndefined();
  chunk.fill(0x21);
  const next = Buffer.from('34\ndata: 5');
  expect(lines.push(next)).toBe('data: 1234\n');
  next.fill(0x21);
  expect(lines.end()).toBe('data: 5');
});

test('takes any Uint8Array, not only Buffers, and decodes a long line once its break arrives', () => {
  const long = `data: ${'x'.repeat(200_000)}\n`;
  const { text, pieces } = decode(Buffer.from(long), 4096);
  expect(text).toBe(long);
  expect(pieces).toBe(1);
  const lines = new LineBytes();
  const view = Uint8Array.from(Buffer.from('--data: é\n--'));
  expect(lines.push(view.subarray(2, view.length - 2))).toBe('data: é\n');
});
