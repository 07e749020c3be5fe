/**
 * The o200k_base encoding as one binary file (`gateway-o200k.bin`, written by the build beside the
 * bundle), laid out so that loading it is a read and three typed-array views, with no parsing:
 *
 *   header (48 bytes)  magic "SWYO200K", then little-endian u32s: version, file bytes, token
 *                      count, slot count, and the start of each section (with the byte sections'
 *                      lengths)
 *   offsets            u32 x (tokens + 1): token `rank` is tokenBytes[offsets[rank], offsets[rank + 1])
 *   slots              u32 x slots (a power of two): an open-addressing hash table of rank + 1
 *                      (0 = empty), FNV-1a over a token's bytes, linear probing
 *   token bytes        every token's bytes, concatenated in rank order
 *   pattern            the pre-tokenization pattern (UTF-8), the regex source of gpt-tokenizer's
 *                      O200K_TOKEN_SPLIT_REGEX; used with the flags `gu`
 *
 * The file is written little-endian byte by byte; it is read through typed arrays, which use the
 * host's byte order, so reading checks the host is little-endian (x64 and arm64 are).
 */
import { endianness } from 'node:os';

/** The file's name beside the bundle. */
export const O200K_TABLE_FILE = 'gateway-o200k.bin';

const MAGIC = 'SWYO200K';
const VERSION = 1;
const HEADER_BYTES = 48;
/** The header's u32 fields, in their order after the magic. */
const FIELDS = [
  'version',
  'fileBytes',
  'tokens',
  'slots',
  'offsetsStart',
  'slotsStart',
  'bytesStart',
  'bytesLength',
  'patternStart',
  'patternLength',
] as const;
type Header = Record<(typeof FIELDS)[number], number>;
/** 2^19 slots for o200k's ~200 000 tokens: the table is under 40 % full, so probes stay short. */
const SLOTS = 1 << 19;

/** FNV-1a (32 bits) of bytes[start, end). */
function fnv1a(bytes: Uint8Array, start: number, end: number): number {
  let hash = 0x811c9dc5;
  for (let i = start; i < end; i++) hash = Math.imul(hash ^ bytes[i], 0x01000193);
  return hash >>> 0;
}

export class O200kTable {
  constructor(
    /** The pre-tokenization pattern's source (flags `gu`). */
    readonly pattern: string,
    private readonly tokenBytes: Uint8Array,
    private readonly offsets: Uint32Array,
    private readonly slots: Uint32Array,
  ) {}

  get tokens(): number {
    return this.offsets.length - 1;
  }

  /** The rank of the token whose bytes are bytes[start, end), or -1 when they are no token. */
  rankOf(bytes: Uint8Array, start: number, end: number): number {
    const { slots, offsets, tokenBytes } = this;
    const mask = slots.length - 1;
    const length = end - start;
    for (let slot = fnv1a(bytes, start, end) & mask; ; slot = (slot + 1) & mask) {
      const entry = slots[slot];
      if (entry === 0) return -1;
      const rank = entry - 1;
      const at = offsets[rank];
      if (offsets[rank + 1] - at !== length) continue;
      let i = 0;
      while (i < length && tokenBytes[at + i] === bytes[start + i]) i++;
      if (i === length) return rank;
    }
  }
}

/** The table file's bytes: `tokens[rank]` is the token of that rank. */
export function encodeO200kTable(tokens: readonly Uint8Array[], pattern: string): Buffer {
  const patternBytes = Buffer.from(pattern, 'utf8');
  const bytesLength = tokens.reduce((sum, token) => sum + token.length, 0);
  const offsetsStart = HEADER_BYTES;
  const slotsStart = offsetsStart + 4 * (tokens.length + 1);
  const bytesStart = slotsStart + 4 * SLOTS;
  const patternStart = bytesStart + bytesLength;
  const fileBytes = patternStart + patternBytes.length;
  const header: Header = {
    version: VERSION,
    fileBytes,
    tokens: tokens.length,
    slots: SLOTS,
    offsetsStart,
    slotsStart,
    bytesStart,
    bytesLength,
    patternStart,
    patternLength: patternBytes.length,
  };
  const file = Buffer.alloc(fileBytes);
  file.write(MAGIC, 0, 'latin1');
  FIELDS.forEach((name, i) => file.writeUInt32LE(header[name], MAGIC.length + 4 * i));

  let at = 0;
  tokens.forEach((token, rank) => {
    file.writeUInt32LE(at, offsetsStart + 4 * rank);
    file.set(token, bytesStart + at);
    at += token.length;
    let slot = fnv1a(token, 0, token.length) & (SLOTS - 1);
    while (file.readUInt32LE(slotsStart + 4 * slot) !== 0) slot = (slot + 1) & (SLOTS - 1);
    file.writeUInt32LE(rank + 1, slotsStart + 4 * slot);
  });
  file.writeUInt32LE(at, offsetsStart + 4 * tokens.length);
  file.set(patternBytes, patternStart);
  return file;
}

/**
 * Views over a table file's bytes, after checking its header: magic, version, length (a truncated
 * file fails here), counts, and that every section lies inside the file. The entries themselves are
 * not checked one by one (that would cost more than the rest of loading): the build writes the
 * file and checks every token's lookup (build-o200k-table.ts). `source` names the file in errors.
 */
export function decodeO200kTable(file: Uint8Array, source: string): O200kTable {
  const fail = (problem: string): never => {
    throw new Error(`${source}: not a usable o200k table (${problem}); the gateway build writes it (npm run build -w gateway)`);
  };
  if (endianness() !== 'LE') fail('this host is big-endian; the table is read as little-endian');
  if (file.length < HEADER_BYTES) fail(`${file.length} bytes, shorter than its ${HEADER_BYTES}-byte header`);
  if (Buffer.from(file.buffer, file.byteOffset, MAGIC.length).toString('latin1') !== MAGIC) fail(`it does not start with "${MAGIC}"`);
  const view = new DataView(file.buffer, file.byteOffset, HEADER_BYTES);
  const h = Object.fromEntries(FIELDS.map((name, i) => [name, view.getUint32(MAGIC.length + 4 * i, true)])) as Header;
  if (h.version !== VERSION) fail(`version ${h.version}; this gateway reads version ${VERSION}`);
  if (h.fileBytes !== file.length) fail(`its header says ${h.fileBytes} bytes but it has ${file.length}: truncated or padded`);
  if (h.tokens === 0 || h.slots <= h.tokens || (h.slots & (h.slots - 1)) !== 0)
    fail(`${h.tokens} tokens in ${h.slots} slots; the slots must be a power of two above the tokens`);
  const sections: Array<[name: string, start: number, length: number, alignment: number]> = [
    ['offsets', h.offsetsStart, 4 * (h.tokens + 1), 4],
    ['slots', h.slotsStart, 4 * h.slots, 4],
    ['token bytes', h.bytesStart, h.bytesLength, 1],
    ['pattern', h.patternStart, h.patternLength, 1],
  ];
  for (const [name, start, length, alignment] of sections)
    if (start < HEADER_BYTES || start + length > file.length || start % alignment !== 0)
      fail(`its ${name} section (${length} bytes at ${start}) lies outside the file or is misaligned`);

  // The u32 sections are aligned within the file, so the file's bytes must start aligned too: a
  // fresh read's do; other bytes are copied.
  const bytes = file.byteOffset % 4 === 0 ? file : new Uint8Array(file);
  const offsets = new Uint32Array(bytes.buffer, bytes.byteOffset + h.offsetsStart, h.tokens + 1);
  const slots = new Uint32Array(bytes.buffer, bytes.byteOffset + h.slotsStart, h.slots);
  if (offsets[0] !== 0 || offsets[h.tokens] !== h.bytesLength) fail('its offsets do not span its token bytes');
  const pattern = Buffer.from(bytes.buffer, bytes.byteOffset + h.patternStart, h.patternLength).toString('utf8');
  return new O200kTable(pattern, bytes.subarray(h.bytesStart, h.bytesStart + h.bytesLength), offsets, slots);
}
