/**
 * Writes synthesized outputs all or nothing: files are written to a staging directory beside the
 * target, then swapped in with renames, so a failed synth never leaves a half-written directory.
 */
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { RenderedFile } from './synth-kubernetes';

/** A staging directory beside `target` (same filesystem, so renames are atomic). */
export function stagingDir(target: string): string {
  const dir = `${target}.staging-${process.pid}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(target), { recursive: true });
  return dir;
}

/** Replaces `target` with the staged directory. */
export function swapIn(staged: string, target: string): void {
  const old = `${target}.old-${process.pid}`;
  if (existsSync(target)) renameSync(target, old);
  renameSync(staged, target);
  rmSync(old, { recursive: true, force: true });
}

export function writeFilesStaged(target: string, files: readonly RenderedFile[]): string {
  const staged = stagingDir(target);
  mkdirSync(staged, { recursive: true });
  for (const file of files) writeFileSync(join(staged, file.name), file.content);
  return staged;
}

/** Replaces the directory `target` with exactly `files`, through a staging directory. */
export function replaceDirectory(target: string, files: readonly RenderedFile[]): void {
  swapIn(writeFilesStaged(target, files), target);
}
