/** Whole directory trees as data, to compare what a run wrote (or did not write). */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Calls `visit` for every directory and file below `dir` (sorted, depth first); nothing when `dir` is absent. */
function walk(dir: string, visit: (path: string, isDirectory: boolean) => void): void {
  const step = (d: string) => {
    for (const entry of readdirSync(d).sort()) {
      const path = join(d, entry);
      const isDirectory = statSync(path).isDirectory();
      visit(path, isDirectory);
      if (isDirectory) step(path);
    }
  };
  if (existsSync(dir)) step(dir);
}

/** Every file under `dir`, by path relative to it, with its bytes; empty when `dir` is absent. */
export function readTree(dir: string): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  walk(dir, (path, isDirectory) => {
    if (!isDirectory) files.set(relative(dir, path), readFileSync(path));
  });
  return files;
}

/**
 * Every file under `dir` with the sha256 of its contents, and every directory (`name/`, so an
 * empty one left behind shows too). Equal digests mean the same tree with the same bytes; a
 * failing comparison names what differs without printing whole files.
 */
export function treeDigest(dir: string): Record<string, string> {
  const digest: Record<string, string> = {};
  walk(dir, (path, isDirectory) => {
    const name = relative(dir, path);
    if (isDirectory) digest[`${name}/`] = 'directory';
    else digest[name] = createHash('sha256').update(readFileSync(path)).digest('hex');
  });
  return digest;
}
