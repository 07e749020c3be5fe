/**
 * The o200k table file's bytes, from gpt-tokenizer's o200k_base ranks and split pattern. Run at
 * build time (scripts/o200k-table.mjs writes the file beside the bundle), and at load by a gateway
 * run from sources (jest, tsx), which has no built file (load-o200k-table.ts); the bundle never
 * contains it (scripts/build.mjs).
 */
import ranks from 'gpt-tokenizer/cjs/bpeRanks/o200k_base';
import { O200K_TOKEN_SPLIT_REGEX } from 'gpt-tokenizer/cjs/encodingParams/constants';
import { decodeO200kTable, encodeO200kTable } from './o200k-table';

/**
 * gpt-tokenizer keeps a token as a string when its bytes are valid UTF-8 (they are the string's
 * UTF-8) and as an array of bytes when not (1 571 of them: parts of multi-byte characters).
 */
function tokenBytes(token: string | number[]): Uint8Array {
  return typeof token === 'string' ? Buffer.from(token, 'utf8') : Uint8Array.from(token);
}

export function buildO200kTable(): Buffer {
  const tokens: Uint8Array[] = [];
  for (let rank = 0; rank < ranks.length; rank++) {
    // A hole (a rank without a token) would shift every later rank.
    if (!(rank in ranks)) throw new Error(`gpt-tokenizer's o200k_base ranks have no token at rank ${rank}`);
    tokens.push(tokenBytes(ranks[rank]));
  }
  const file = encodeO200kTable(tokens, O200K_TOKEN_SPLIT_REGEX.source);
  // Every token found again at its own rank: no two tokens have the same bytes.
  const table = decodeO200kTable(file, 'the o200k table just built');
  tokens.forEach((token, rank) => {
    const found = table.rankOf(token, 0, token.length);
    if (found !== rank) throw new Error(`o200k_base token ${rank} is found at rank ${found}: two tokens have the same bytes`);
  });
  return file;
}
