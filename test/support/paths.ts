/** Paths tests share: the project root, its configs, and ../shared beside it. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(__dirname, '..', '..');
export const SHARED = resolve(ROOT, '..', 'shared');
export const EXAMPLE_CONFIGS = {
  homelab: join(ROOT, 'examples', 'homelab.yaml'),
  aws: join(ROOT, 'examples', 'aws.yaml'),
  gcp: join(ROOT, 'examples', 'gcp.yaml'),
} as const;
export const DEFAULT_CONFIG = join(ROOT, 'platform.yaml');

export function tempDir(prefix = 'switchyard-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}
