/** Whole directory trees as data, to compare what a run wrote (or did not write). */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under `dir`, by path relative to it (sorted), with its bytes; empty when `dir` is absent. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      if (statSync(path).isDirectory()) walk(path);
      else files.set(relative(dir, path), readFileSync(path));
    }
  };
  if (existsSync(dir)) walk(dir);
  return files;
}

/**
 * Every file under `dir` with the sha256 of its contents: equal digests mean the same files with
 * the same bytes, and a failing comparison names the files that differ without printing them.
 */
export function treeDigest(dir: string): Record<string, string> {
  return Object.fromEntries([...readTree(dir)].map(([path, bytes]) => [path, createHash('sha256').update(bytes).digest('hex')]));
}
