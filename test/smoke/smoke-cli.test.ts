/**
 * `npm run smoke` against a real gateway: the gateway's own bin (gateway/src/main.ts) in a child
 * process with a config file, in front of a fake OpenAI-compatible upstream on 127.0.0.1; the smoke
 * CLI in another child process, as an operator runs it.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { type FakeUpstream, sendJsonResponse, startFakeUpstream } from '../../gateway/test/support/fake-upstream';
import { ROOT, tempDir } from '../support/paths';

/** Node itself with tsx's loader: one process, so killing it leaves no grandchild holding the pipes. */
const NODE_TSX = [process.execPath, '--import', 'tsx'] as const;
const FULL_KEY = 'sk-smoke-full-access';
const GOOD_ONLY_KEY = 'sk-smoke-good-only';
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function completion(model: string) {
  return {
    id: 'chatcmpl-smoke',
    object: 'chat.completion',
    created: 1,
    model,
    choices: [{ index: 0, message: { role: 'assistant', content: 'pong' }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 },
  };
}

const badRequest = (message: string) => ({ error: { message, type: 'invalid_request_error', code: null } });

/**
 * The upstream answers model up-good, refuses up-bad with a 400 (not retried, no fallback), and
 * serves up-embed as an embedding model only: chats with it are a 400, embeddings answer.
 */
function upstreamHandler(): FakeUpstream['handler'] {
  return (request, res) => {
    const { model } = request.json<{ model: string }>();
    if (request.path === '/v1/embeddings')
      return model === 'up-embed'
        ? sendJsonResponse(res, 200, {
            object: 'list',
            model,
            data: [{ object: 'embedding', index: 0, embedding: [0.25, -0.5] }],
            usage: { prompt_tokens: 9, total_tokens: 9 },
          })
        : sendJsonResponse(res, 400, badRequest(`${model} is not an embedding model`));
    if (request.path !== '/v1/chat/completions') return sendJsonResponse(res, 404, { error: { message: 'not found' } });
    if (model === 'up-bad') return sendJsonResponse(res, 400, badRequest('model is misconfigured'));
    if (model === 'up-embed') return sendJsonResponse(res, 400, badRequest('"up-embed" does not support chat'));
    sendJsonResponse(res, 200, completion(model));
  };
}

/** A port nothing listens on: bound by the kernel, then released. */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(NODE_TSX[0], [...NODE_TSX.slice(1), join(ROOT, 'scripts', 'smoke.ts'), ...args], {
      cwd: ROOT,
      env: { ...process.env, SWITCHYARD_API_KEY: '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Starts the gateway bin on a free port and resolves with its URL once it listens. */
function startGatewayBin(configFile: string): Promise<{ url: string; child: ChildProcess }> {
  return new Promise((resolve, reject) => {
    const args = [
      ...NODE_TSX.slice(1),
      join(ROOT, 'gateway', 'src', 'main.ts'),
      '--config',
      configFile,
      '--port',
      '0',
      '--host',
      '127.0.0.1',
    ];
    const child = spawn(NODE_TSX[0], args, { cwd: ROOT });
    let log = '';
    const timer = setTimeout(() => reject(new Error(`gateway did not start:\n${log}`)), 30_000);
    child.stderr!.on('data', (d: Buffer) => {
      log += d.toString();
      for (const line of log.split('\n')) {
        if (!line.includes('"gateway listening"')) continue;
        clearTimeout(timer);
        resolve({ url: (JSON.parse(line) as { url: string }).url, child });
      }
    });
    child.on('exit', (code) => reject(new Error(`gateway exited with ${code}:\n${log}`)));
  });
}

describe('npm run smoke', () => {
  let upstream: FakeUpstream;
  let gateway: { url: string; child: ChildProcess };
  let dir: string;

  beforeAll(async () => {
    upstream = await startFakeUpstream(upstreamHandler());
    dir = tempDir('switchyard-smoke-');
    const config = {
      providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
      models: [
        { name: 'good', targets: [{ provider: 'up', model: 'up-good' }] },
        { name: 'bad', targets: [{ provider: 'up', model: 'up-bad' }] },
        { name: 'embed', targets: [{ provider: 'up', model: 'up-embed' }] },
      ],
      keys: [
        { id: 'ops', sha256: sha256(FULL_KEY), tenant: 'ops', models: ['*'] },
        { id: 'good-only', sha256: sha256(GOOD_ONLY_KEY), tenant: 'ops', models: ['good'] },
      ],
      audit: { destination: 'off' },
    };
    const file = join(dir, 'gateway.yaml');
    writeFileSync(file, stringify(config));
    gateway = await startGatewayBin(file);
  });

  afterAll(async () => {
    gateway?.child.kill('SIGKILL');
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the models, chats with each and exits 1 when one fails, naming its target, status and error', async () => {
    const result = await run(['--url', gateway.url, '--key', FULL_KEY]);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^MODEL\s+TARGET\s+STATUS\s+LATENCY$/);
    expect(lines[1]).toMatch(/^good\s+up\/up-good\s+ok 200\s+\d+ ms$/);
    // The gateway names the target on answers it routed; a refused one shows none.
    expect(lines[2]).toMatch(/^bad\s+-\s+FAIL 400\s+\d+ ms$/);
    // An embedding model refuses the chat, then answers one embedding: it passes, marked as such.
    expect(lines[3]).toMatch(/^embed\s+up\/up-embed\s+ok 200 \(embeddings\)\s+\d+ ms$/);
    expect(result.stdout).toContain('2 of 3 model(s) answered');
    // The bad model's embedding attempt fails too, so the chat's error is the one reported.
    expect(result.stdout).toMatch(/bad: 400 \S+: .*misconfigured/);
    const chats = upstream.requests.filter((r) => r.path === '/v1/chat/completions').map((r) => r.json<{ model: string }>().model);
    expect(chats).toEqual(expect.arrayContaining(['up-good', 'up-bad']));
  });

  it('exits 0 when every model the key may use answers (the key comes from SWITCHYARD_API_KEY)', async () => {
    const result = await run(['--url', `${gateway.url}/`], { SWITCHYARD_API_KEY: GOOD_ONLY_KEY });
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^good\s+up\/up-good\s+ok 200\s+\d+ ms$/m);
    expect(result.stdout).not.toMatch(/^bad/m);
    expect(result.stdout).toContain('1 of 1 model(s) answered');
  });

  it('checks only the models asked for, and refuses one the key may not use', async () => {
    const only = await run(['--url', gateway.url, '--key', FULL_KEY, '--model', 'good']);
    expect(only.code).toBe(0);
    expect(only.stdout).not.toMatch(/^bad/m);
    const refused = await run(['--url', gateway.url, '--key', GOOD_ONLY_KEY, '--model', 'bad']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('smoke check failed: model(s) "bad" not listed for this key; listed: good');
  });

  it('exits 1 with the gateway error when the key is refused', async () => {
    const result = await run(['--url', gateway.url, '--key', 'sk-wrong']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('smoke check failed: listing models failed: 401 invalid_api_key: The API key is not valid.');
  });

  it('exits 1 naming the URL when nothing listens there', async () => {
    const port = await freePort();
    const result = await run(['--url', `http://127.0.0.1:${port}`, '--key', FULL_KEY, '--timeout', '5']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(`smoke check failed: listing models at http://127.0.0.1:${port}/v1/models failed: ECONNREFUSED`);
  });

  it.each([
    [[], '--url is required'],
    [['--url', 'ai.example.com', '--key', 'k'], '--url "ai.example.com" is not a URL; expected http(s)://host[:port]'],
    [['--url', 'ftp://ai.example.com', '--key', 'k'], '--url "ftp://ai.example.com" must start with https:// or http://'],
    [['--url', 'https://ai.example.com'], '--key is required (or set SWITCHYARD_API_KEY)'],
    [['--url', 'https://ai.example.com', '--key', 'k', '--timeout', 'soon'], '--timeout "soon" is not a positive number of seconds'],
    [['--url', 'https://ai.example.com', '--key', 'k', '--verbose'], "Unknown option '--verbose'"],
  ])('exits 2 with usage for %j', async (args, message) => {
    const result = await run(args);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
    expect(result.stderr).toContain('usage: npm run smoke -- --url <edge URL> --key <api key>');
    expect(result.stdout).toBe('');
  });
});
