/**
 * The gateway as it ships (the esbuild bundle of the bin, scripts/build.mjs) in child processes:
 * for tests that need several replicas, or that must show a process survives an outage.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { GatewayConfigInput } from '../../src/config/schema';
import { sleep } from './usage-upstream';

export interface GatewayProcess {
  readonly url: string;
  readonly child: ChildProcess;
  /** Everything the process wrote to stderr (its JSON log lines) so far. */
  stderr(): string;
  /** SIGTERM, then SIGKILL after 5 s; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/** Bundles the bin into `dir` (about a second); returns the bundle's path. */
export function buildGatewayBundle(dir: string): string {
  const bundle = join(dir, 'gateway.js');
  execFileSync(process.execPath, [join(__dirname, '..', '..', 'scripts', 'build.mjs'), '--outfile', bundle], { stdio: 'pipe' });
  return bundle;
}

/** Writes `config` to `<dir>/<name>.yaml`, starts the bundle on it and waits until it is ready. */
export async function spawnGateway(
  bundle: string,
  dir: string,
  name: string,
  config: GatewayConfigInput,
  env: Record<string, string> = {},
): Promise<GatewayProcess> {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(file, stringify(config));
  const child = spawn(process.execPath, [bundle, '--config', file, '--port', '0'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 30_000;
  /** Polls `check` until it yields a value; the child exiting or the deadline fails the start. */
  const waitFor = async <T>(what: string, check: () => Promise<T | undefined>): Promise<T> => {
    for (;;) {
      const value = await check();
      if (value !== undefined) return value;
      if (child.exitCode !== null || Date.now() > deadline) {
        child.kill('SIGKILL');
        throw new Error(`gateway ${name} did not ${what} (exit code ${child.exitCode}):\n${stderr}`);
      }
      await sleep(10);
    }
  };
  const url = await waitFor('start', async () => /"msg":"gateway listening","url":"([^"]+)"/.exec(stderr)?.[1]);
  // Listening comes first; the tokenizer loads after. Tests expect exact token counts from the start.
  await waitFor('become ready', async () =>
    (await fetch(`${url}/readyz`).then(
      (r) => r.status,
      () => 0,
    )) === 200
      ? true
      : undefined,
  );
  return {
    url,
    child,
    stderr: () => stderr,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  };
}
