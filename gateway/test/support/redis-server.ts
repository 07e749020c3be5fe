/**
 * A real `redis-server` for tests (the Debian package): started on a free 127.0.0.1 port in a temp
 * dir with persistence off, and killed and restarted on demand to test outages. When the binary
 * is missing the suite is skipped with the reason printed, except under CI=true where it fails.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** Whether the process is running now. */
  readonly running: boolean;
  /** SIGKILL: an abrupt outage (no shutdown, no goodbye to clients). */
  kill(): Promise<void>;
  /** Starts it again on the same port (empty: persistence is off). */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: a Redis that stops answering while its connections stay open. */
  pause(): void;
  resume(): void;
  /** Runs redis-cli against it and returns the output (trimmed). */
  cli(...args: string[]): string;
  stop(): Promise<void>;
}

function which(binary: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${binary}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

export const REDIS_SERVER = which('redis-server');
const REDIS_CLI = which('redis-cli');

/** `describe`, or a skip with the reason printed when redis-server is missing (a failure under CI=true). */
export function describeWithRedis(name: string, body: () => void): void {
  if (REDIS_SERVER && REDIS_CLI) {
    describe(name, body);
    return;
  }
  const reason = 'redis-server/redis-cli not installed (apt-get install -y redis-server)';
  if (process.env.CI === 'true') {
    test(name, () => {
      throw new Error(`${reason}; CI must have it`);
    });
    return;
  }
  process.stdout.write(`skipping "${name}": ${reason}\n`);
  describe.skip(name, body);
}

function passwordOf(args: readonly string[]): string | undefined {
  const at = args.indexOf('--requirepass');
  return at === -1 ? undefined : args[at + 1];
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Resolves once the port answers PING. */
async function waitForPong(port: number, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = connect(port, '127.0.0.1');
      let reply = '';
      socket.setTimeout(500, () => socket.destroy());
      socket.on('connect', () => socket.write('PING\r\n'));
      socket.on('data', (data) => {
        reply += data.toString();
        // NOAUTH: up, with a password required.
        if (reply.includes('PONG') || reply.includes('NOAUTH')) {
          socket.end();
          resolve(true);
        }
      });
      socket.on('error', () => resolve(false));
      socket.on('close', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Starts a redis-server; `extraArgs` are appended to its command line (e.g. `--requirepass`). */
export async function startRedisServer(extraArgs: readonly string[] = []): Promise<RedisServer> {
  if (!REDIS_SERVER || !REDIS_CLI) throw new Error('redis-server is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-redis-'));
  const port = await freePort();
  let child: ChildProcess | undefined;
  let output = '';

  const launch = async () => {
    output = '';
    child = spawn(
      REDIS_SERVER,
      [
        '--port',
        String(port),
        '--bind',
        '127.0.0.1',
        '--dir',
        dir,
        '--save',
        '',
        '--appendonly',
        'no',
        '--daemonize',
        'no',
        '--loglevel',
        'warning',
        ...extraArgs,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    try {
      await waitForPong(port);
    } catch (error) {
      throw new Error(`${(error as Error).message}\n${output}`);
    }
  };
  const kill = async () => {
    const running = child;
    if (!running || running.exitCode !== null || running.signalCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGKILL');
    await exited;
  };
  await launch();
  const password = passwordOf(extraArgs);
  const cliEnv = password ? { ...process.env, REDISCLI_AUTH: password } : process.env;

  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && child.exitCode === null && child.signalCode === null;
    },
    kill,
    restart: launch,
    pause: () => child?.kill('SIGSTOP'),
    resume: () => child?.kill('SIGCONT'),
    cli: (...args) => execFileSync(REDIS_CLI!, ['-p', String(port), ...args], { encoding: 'utf8', env: cliEnv }).trim(),
    async stop() {
      await kill();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
