/**
 * A real Prometheus (Debian's `prometheus`) for tests: started on a free loopback port with a
 * config file and a scratch TSDB, queried over its HTTP API, stopped after the test. Its log is
 * kept so a failing wait can show what Prometheus said.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join } from 'node:path';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  /** GET `<url>/api/v1/<path>` and the `data` of a successful answer. */
  api<T>(path: string): Promise<T>;
  /** Polls `read` until `done` accepts its result, or fails after `timeoutMs` with Prometheus's log. */
  waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs?: number): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `prometheus` with `<dir>/prometheus.yml`, its TSDB in `<dir>/data`. */
export async function startPrometheus(dir: string): Promise<RunningPrometheus> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const log: string[] = [];
  const child: ChildProcess = spawn(
    'prometheus',
    [
      `--config.file=${join(dir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout?.on('data', (chunk: Buffer) => log.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => log.push(chunk.toString()));

  const api = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${url}/api/v1/${path}`);
    const body = (await response.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`prometheus ${path}: ${body.error ?? body.status}`);
    return body.data;
  };
  const waitFor = async <T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 30_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await read().catch(() => undefined);
      if (value !== undefined && done(value)) return value;
      if (Date.now() > deadline) throw new Error(`no ${what} after ${timeoutMs} ms; prometheus log:\n${log.join('').slice(-3000)}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  };
  return { url, api, waitFor, stop };
}
