import { SseDecoder, type SseEvent } from './sse-decoder';

const STREAM = [
  ': comment line\r\n',
  'event: message_start\r\ndata: {"a":1}\r\n\r\n',
  'data: first line\ndata: second line\n\n',
  'event: ping\rdata: {}\r\r',
  'data: {"text":"héllo 🌍"}\n\n',
  'data:no-space\n\n',
  'data: [DONE]\n\n',
].join('');

const EXPECTED: SseEvent[] = [
  { event: 'message_start', data: '{"a":1}' },
  { event: '', data: 'first line\nsecond line' },
  { event: 'ping', data: '{}' },
  { event: '', data: '{"text":"héllo 🌍"}' },
  { event: '', data: 'no-space' },
  { event: '', data: '[DONE]' },
];

function decodeInPieces(bytes: Buffer, sizes: () => number): SseEvent[] {
  const decoder = new SseDecoder();
  const events: SseEvent[] = [];
  for (let i = 0; i < bytes.length;) {
    const n = sizes();
    events.push(...decoder.push(bytes.subarray(i, i + n)));
    i += n;
  }
  return [...events, ...decoder.end()];
}

test('decodes a whole stream', () => {
  expect(decodeInPieces(Buffer.from(STREAM), () => Number.MAX_SAFE_INTEGER)).toEqual(EXPECTED);
});

test.each([1, 2, 3, 5, 7, 13])('decodes the same events when split every %i bytes (through CRLF pairs and UTF-8 sequences)', (size) => {
  expect(decodeInPieces(Buffer.from(STREAM), () => size)).toEqual(EXPECTED);
});

test('dispatches a last event whose blank line never came', () => {
  const decoder = new SseDecoder();
  expect(decoder.push(Buffer.from('data: tail'))).toEqual([]);
  expect(decoder.end()).toEqual([{ event: '', data: 'tail' }]);
});
