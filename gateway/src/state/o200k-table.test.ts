// The o200k table file: what the build writes (every token of js-tiktoken's independent copy of the
// ranks at its rank, the same bytes on every build) and how reading a damaged file fails.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import o200k from 'js-tiktoken/ranks/o200k_base';
import { buildO200kTable } from './build-o200k-table';
import { decodeO200kTable, O200K_TABLE_FILE } from './o200k-table';

const file = buildO200kTable();
const table = decodeO200kTable(file, 'built');

/** js-tiktoken's ranks: lines of `<prefix> <first rank> <token in base64>...`, consecutive ranks. */
function referenceRanks(): Array<[Buffer, number]> {
  return o200k.bpe_ranks
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      const [, first, ...tokens] = line.split(' ');
      return tokens.map((token, i): [Buffer, number] => [Buffer.from(token, 'base64'), Number(first) + i]);
    });
}

describe('the built table', () => {
  test('holds every token of js-tiktoken o200k_base at its rank, and nothing else', () => {
    const ranks = referenceRanks();
    expect(ranks.length).toBe(199_998);
    expect(table.tokens).toBe(ranks.length);
    const misplaced = ranks.filter(([bytes, rank]) => table.rankOf(bytes, 0, bytes.length) !== rank);
    expect(misplaced).toEqual([]);
  });

  test('looks up a range of a larger buffer; bytes that are no token have rank -1', () => {
    const bytes = Buffer.from('xx hello yy');
    expect(table.rankOf(bytes, 2, 8)).toBe(table.rankOf(Buffer.from(' hello'), 0, 6));
    expect(table.rankOf(bytes, 2, 8)).toBeGreaterThanOrEqual(0);
    expect(table.rankOf(Buffer.from('zzqxjzzqxj'), 0, 10)).toBe(-1);
    expect(table.rankOf(Buffer.from([0xff, 0xfe]), 0, 2)).toBe(-1);
  });

  test('is read from bytes that start unaligned in memory too (they are copied)', () => {
    const unaligned = Buffer.concat([Buffer.alloc(1), file]).subarray(1);
    const token = Buffer.from(' hello');
    expect(decodeO200kTable(unaligned, 'unaligned').rankOf(token, 0, token.length)).toBe(table.rankOf(token, 0, token.length));
  });

  test('carries the split pattern, and is about 4 MiB', () => {
    expect(table.pattern).toMatch(/^\[\^\\r\\n\\p\{L\}\\p\{N\}\]\?/);
    expect(file.length).toBeGreaterThan(4_000_000);
    expect(file.length).toBeLessThan(5_000_000);
  });

  test('the build script writes the same bytes every time, the bytes buildO200kTable makes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-o200k-'));
    try {
      const script = join(__dirname, '..', '..', 'scripts', 'o200k-table.mjs');
      const written = ['a', 'b'].map((name) => {
        execFileSync(process.execPath, [script, join(dir, name)], { stdio: 'pipe' });
        return readFileSync(join(dir, name, O200K_TABLE_FILE));
      });
      expect(written[0].equals(written[1])).toBe(true);
      expect(written[0].equals(file)).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/** A copy of the file with one header u32 (by byte offset) replaced. */
function withField(at: number, value: number): Buffer {
  const copy = Buffer.from(file);
  copy.writeUInt32LE(value, at);
  return copy;
}

describe('reading a damaged table fails, naming the file and the problem', () => {
  const cases: Array<[string, () => Uint8Array, string]> = [
    ['shorter than the header', () => file.subarray(0, 20), '20 bytes, shorter than its 48-byte header'],
    ['another file', () => Buffer.concat([Buffer.from('{"some": "json"}'), file.subarray(16)]), 'it does not start with "SWYO200K"'],
    ['another version', () => withField(8, 2), 'version 2; this gateway reads version 1'],
    [
      'truncated',
      () => file.subarray(0, file.length - 1),
      `its header says ${file.length} bytes but it has ${file.length - 1}: truncated or padded`,
    ],
    [
      'padded',
      () => Buffer.concat([file, Buffer.alloc(4)]),
      `its header says ${file.length} bytes but it has ${file.length + 4}: truncated or padded`,
    ],
    [
      'slots not a power of two',
      () => withField(20, 300_000),
      '199998 tokens in 300000 slots; the slots must be a power of two above the tokens',
    ],
    [
      'a section outside the file',
      () => withField(40, file.length),
      `its pattern section (${file.readUInt32LE(44)} bytes at ${file.length}) lies outside the file or is misaligned`,
    ],
    ['a misaligned section', () => withField(24, 50), 'its offsets section (799996 bytes at 50) lies outside the file or is misaligned'],
    ['offsets that miss the token bytes', () => withField(36, file.readUInt32LE(36) - 1), 'its offsets do not span its token bytes'],
  ];

  test.each(cases)('%s', (_name, damaged, problem) => {
    expect(() => decodeO200kTable(damaged(), '/app/gateway-o200k.bin')).toThrow(
      `/app/gateway-o200k.bin: not a usable o200k table (${problem}); the gateway build writes it (npm run build -w gateway)`,
    );
  });
});
