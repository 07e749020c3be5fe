/**
 * The real bin, bundled as shipped (scripts/build.mjs), in a child process: config reload when a
 * Kubernetes-style ConfigMap swaps its `..data` symlink, an invalid config refused while the old
 * one keeps serving, and SIGTERM with a stream in flight (the stream finishes, then the process
 * exits 0). Plus the same graceful close in-process.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { GatewayConfigInput } from '../src/config/schema';
import { type FakeUpstream, sseBody, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256 } from './support/test-gateway';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const chunk = (text: string) => ({
  id: 'u',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'm',
  choices: [{ index: 0, delta: { content: text }, finish_reason: null }],
});

/** An upstream streaming `count` chunks, one every `everyMs`. */
function slowStream(count: number, everyMs: number): FakeUpstream['handler'] {
  return async (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    for (let i = 0; i < count; i++) {
      res.write(`data: ${JSON.stringify(chunk(`${i},`))}\n\n`);
      await sleep(everyMs);
    }
    res.end(sseBody([{ ...chunk(''), choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] }]));
  };
}

function configWith(upstreamUrl: string, models: string[]): GatewayConfigInput {
  return {
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstreamUrl}/v1` }],
    models: models.map((name) => ({ name, targets: [{ provider: 'up', model: 'm' }] })),
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    audit: { destination: 'off' },
  };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(50);
  }
}

const auth = { authorization: `Bearer ${TEST_KEY}` };
const modelIds = async (url: string) =>
  ((await (await fetch(`${url}/v1/models`, { headers: auth })).json()) as { data: Array<{ id: string }> }).data.map((m) => m.id);

async function streamText(url: string, onFirstChunk: () => void): Promise<string> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: auth,
    body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: 'count' }] }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let signalled = false;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    text += decoder.decode(value, { stream: true });
    if (!signalled && text.includes('0,')) {
      signalled = true;
      onFirstChunk();
    }
  }
}

describe('the bundled bin', () => {
  let dir: string;
  let upstream: FakeUpstream;
  let child: ChildProcess;
  let stderr = '';
  let url = '';
  let bundle = '';

  /** Publishes config text the way the kubelet updates a ConfigMap volume: new dir, atomic symlink swap. */
  function publish(name: string, text: string): void {
    const data = join(dir, `..${name}`);
    mkdirSync(data);
    writeFileSync(join(data, 'gateway.yaml'), text);
    symlinkSync(`..${name}`, join(dir, '..data_tmp'));
    renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-gw-'));
    bundle = join(dir, 'bin', 'gateway.js');
    execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs'), '--outfile', bundle], { stdio: 'pipe' });
    upstream = await startFakeUpstream(slowStream(10, 40));
    publish('v1', stringify(configWith(upstream.url, ['chat'])));
    symlinkSync('..data/gateway.yaml', join(dir, 'gateway.yaml'));
    child = spawn(process.execPath, [bundle, '--config', join(dir, 'gateway.yaml'), '--port', '0'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    url = await until('the listening log line', async () => /"msg":"gateway listening","url":"([^"]+)"/.exec(stderr)?.[1]);
  });

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL');
    await upstream.close();
    rmSync(dir, { recursive: true, force: true });
  });

  test('reloads when the ConfigMap symlink is swapped', async () => {
    expect(await modelIds(url)).toEqual(['chat']);
    publish('v2', stringify(configWith(upstream.url, ['chat', 'chat-v2'])));
    await until('the new model', async () => ((await modelIds(url)).includes('chat-v2') ? true : undefined));
    expect(stderr).toContain('"msg":"config reloaded"');
  });

  test('an invalid new config is refused and reported; the old one keeps serving', async () => {
    publish('v3', 'providers: []\nmodels: []\n');
    await until('the refusal', async () => (stderr.includes('config reload refused') ? true : undefined));
    expect(stderr).toMatch(/"problems":\[\{"path":"providers","got":"\[\]","expected":"at least 1 item\(s\)"\}/);
    expect(await modelIds(url)).toEqual(['chat', 'chat-v2']);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('switchyard_config_reloads_total{result="failure"} 1');
    expect(metrics).toContain('switchyard_config_last_reload_successful 0');
  });

  test('SIGTERM with a stream in flight: the stream completes, new connections are refused, exit 0', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const text = await streamText(url, () => child.kill('SIGTERM'));
    expect(text).toContain('9,');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(await exited).toBe(0);
    await expect(fetch(`${url}/healthz`)).rejects.toThrow();
    expect(stderr).toContain('"msg":"shutting down: finishing in-flight requests","signal":"SIGTERM"');
  });

  test('a second SIGTERM exits at once, and the audit lines waiting for their window are written first', async () => {
    const config = { ...configWith(upstream.url, ['chat']), audit: { destination: 'stdout' as const, flushMs: 1000 } };
    writeFileSync(join(dir, 'audit.yaml'), stringify(config));
    const second = spawn(process.execPath, [bundle, '--config', join(dir, 'audit.yaml'), '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    second.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    second.stderr!.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => second.once('exit', (code) => resolve(code)));
    try {
      const at = await until('the listening log line', async () => /"msg":"gateway listening","url":"([^"]+)"/.exec(err)?.[1]);
      const served = await fetch(`${at}/v1/models`, { headers: auth });
      expect(served.status).toBe(200);
      const requestId = served.headers.get('x-request-id');
      // A stream in flight holds the first SIGTERM's graceful shutdown open; the second one exits.
      const startedAt = performance.now();
      await streamText(at, () => {
        second.kill('SIGTERM');
        setTimeout(() => second.kill('SIGTERM'), 20);
      }).catch(() => undefined);
      expect(await exited).toBe(1);
      expect(performance.now() - startedAt).toBeLessThan(1000);
      const lines = out
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as { request_id: string; operation: string; status: number });
      expect(lines).toContainEqual(expect.objectContaining({ request_id: requestId, operation: 'models', status: 200 }));
      expect(err).toContain('"msg":"second signal: exiting without waiting"');
    } finally {
      if (second.exitCode === null) second.kill('SIGKILL');
    }
  });
});

test('close() in-process waits for an in-flight stream, then refuses new connections', async () => {
  const stream = slowStream(8, 30);
  let upstreamFinishedAt = Infinity;
  const upstream = await startFakeUpstream(async (req, res) => {
    await stream(req, res);
    upstreamFinishedAt = performance.now();
  });
  const gateway = await startTestGateway(configWith(upstream.url, ['chat']));
  try {
    let closed: Promise<void> | undefined;
    let closedAt = 0;
    const text = await streamText(gateway.url, () => {
      closed = gateway.close();
      void closed.then(() => (closedAt = performance.now()));
    });
    expect(text).toContain('7,');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    await closed;
    expect(closedAt).toBeGreaterThanOrEqual(upstreamFinishedAt);
    await expect(fetch(`${gateway.url}/healthz`)).rejects.toThrow();
  } finally {
    await gateway.close();
    await upstream.close();
  }
});
