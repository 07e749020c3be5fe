/**
 * A throwaway copy of the project: its sources, configs and CLI settings, with node_modules
 * linked from the real one. Tests that run the real command-line entries (which write under the
 * project root: dist/, cdktf.out/, cdk8s.out/) run them there, so the repository's own outputs
 * are never touched and each test starts from outputs it chose.
 */
import { cpSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from './paths';

/** What the synth entries load at run time. Outputs (dist/, cdktf.out/) are left out on purpose. */
const PROJECT_ENTRIES = [
  'charts',
  'config',
  'constructs',
  'gateway/src',
  'imports',
  'infra',
  'observability',
  'policy',
  'scripts',
  'synth',
  'examples',
  'platform.yaml',
  'cdk8s.yaml',
  'cdktf.json',
  'package.json',
  'tsconfig.json',
] as const;

export function projectCopy(): string {
  const dir = tempDir('switchyard-project-');
  for (const entry of PROJECT_ENTRIES) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}
