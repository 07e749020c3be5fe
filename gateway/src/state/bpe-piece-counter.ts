/**
 * Tokens of one pre-tokenized piece under byte-pair encoding, as tiktoken counts them: the piece's
 * UTF-8 bytes (a lone surrogate becomes U+FFFD, as TextEncoder writes it) are one token when the
 * table has them whole; otherwise they start as single bytes and the adjacent pair whose
 * concatenation has the lowest rank is merged (the leftmost of equal ones) until no pair is a
 * token. Merging is quadratic in the piece's length, fine for the counter's pieces of at most 48
 * characters. Scratch arrays are kept between calls, so counting allocates nothing.
 */
import type { O200kTable } from './o200k-table';
import type { PieceEncoder } from './token-counter';

/** The rank of a pair that is no token: above every real rank. */
const NO_TOKEN = 0x7fffffff;

export class BpePieceCounter implements PieceEncoder {
  readonly splitPattern: RegExp;
  private readonly encoder = new TextEncoder();
  /** The piece's UTF-8 bytes. */
  private bytes = new Uint8Array(0);
  /** Part i is bytes[starts[i], starts[i + 1]); starts[parts] is the piece's length. */
  private starts = new Int32Array(0);
  /** ranks[i]: the rank of parts i and i + 1 merged, or NO_TOKEN. */
  private ranks = new Int32Array(0);

  constructor(private readonly table: O200kTable) {
    this.splitPattern = new RegExp(table.pattern, 'gu');
    this.reserve(64);
  }

  countPiece(piece: string): number {
    // At most 3 UTF-8 bytes per UTF-16 unit (a surrogate pair: 4 bytes for 2 units).
    if (3 * piece.length > this.bytes.length) this.reserve(3 * piece.length);
    const length = this.encoder.encodeInto(piece, this.bytes).written;
    if (length <= 1) return length; // every single byte is a token
    if (this.table.rankOf(this.bytes, 0, length) >= 0) return 1;
    return this.merge(length);
  }

  /** The number of parts left when no adjacent pair merges into a token. */
  private merge(length: number): number {
    const { starts, ranks } = this;
    let parts = length;
    for (let i = 0; i <= length; i++) starts[i] = i;
    for (let i = 0; i < parts - 1; i++) ranks[i] = this.pairRank(i, parts);
    for (;;) {
      let best = -1;
      let bestRank = NO_TOKEN;
      for (let i = 0; i < parts - 1; i++)
        if (ranks[i] < bestRank) {
          bestRank = ranks[i];
          best = i;
        }
      if (best < 0) return parts;
      // Part best + 1 joins part best: its start goes, and so does the rank of the pair it began.
      starts.copyWithin(best + 1, best + 2, parts + 1);
      ranks.copyWithin(best + 1, best + 2, parts - 1);
      parts--;
      ranks[best] = this.pairRank(best, parts);
      if (best > 0) ranks[best - 1] = this.pairRank(best - 1, parts);
    }
  }

  private pairRank(i: number, parts: number): number {
    if (i + 1 >= parts) return NO_TOKEN;
    const rank = this.table.rankOf(this.bytes, this.starts[i], this.starts[i + 2]);
    return rank < 0 ? NO_TOKEN : rank;
  }

  private reserve(bytes: number): void {
    this.bytes = new Uint8Array(bytes);
    this.starts = new Int32Array(bytes + 1);
    this.ranks = new Int32Array(bytes);
  }
}
