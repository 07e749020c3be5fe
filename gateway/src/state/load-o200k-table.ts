/**
 * The process's o200k table: the file the build wrote beside the bundle (scripts/o200k-table.mjs),
 * read in one go (~4 MB, a few milliseconds). A gateway run from sources (jest, tsx) has no built
 * file beside this module, so it builds the same bytes in memory from gpt-tokenizer (~0.5 s).
 * The file is read with node:fs's callback API: node:fs/promises would load Node's file-handle and
 * readline modules at every start (~1.5 ms) for this one read.
 */
import { readFile } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decodeO200kTable, O200K_TABLE_FILE, type O200kTable } from './o200k-table';

export async function loadO200kTable(): Promise<O200kTable> {
  if (__filename.endsWith('.ts')) {
    const { buildO200kTable } = await import('./build-o200k-table');
    return decodeO200kTable(buildO200kTable(), 'the o200k table built from gpt-tokenizer');
  }
  const file = join(__dirname, O200K_TABLE_FILE);
  const bytes = await promisify(readFile)(file);
  return decodeO200kTable(bytes, file);
}
