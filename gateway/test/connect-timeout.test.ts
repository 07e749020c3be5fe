/**
 * The connect timeout: an upstream whose TCP accept queue is full (a listener that never accepts,
 * its backlog already taken) drops the gateway's SYNs, so the connection never opens. The gateway
 * gives up after `timeouts.connectMs` and falls back to the next target. Node cannot listen
 * without accepting, so the listener is a python3 socket; the test is skipped without python3.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import OpenAI from 'openai';
import { type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const hasPython = (() => {
  try {
    execFileSync('python3', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
if (!hasPython) console.warn('connect-timeout.test.ts skipped: python3 is not installed (needed for a listener that never accepts)');
const maybe = hasPython ? test : test.skip;

/** A listener on 127.0.0.1 with backlog 0 that never accepts, and connections filling its queue. */
async function blackHole(): Promise<{ port: number; close: () => void }> {
  const listener: ChildProcess = spawn('python3', [
    '-c',
    'import socket,time\ns=socket.socket()\ns.bind(("127.0.0.1",0))\ns.listen(0)\nprint(s.getsockname()[1],flush=True)\ntime.sleep(120)',
  ]);
  const port = await new Promise<number>((resolve) =>
    listener.stdout!.once('data', (data: Buffer) => resolve(Number(String(data).trim()))),
  );
  const fillers: Socket[] = [];
  for (let i = 0; i < 3; i++) fillers.push(connect(port, '127.0.0.1').on('error', () => undefined));
  await new Promise((resolve) => setTimeout(resolve, 200));
  return {
    port,
    close: () => {
      for (const socket of fillers) socket.destroy();
      listener.kill();
    },
  };
}

let hole: Awaited<ReturnType<typeof blackHole>> | undefined;
let fallback: FakeUpstream | undefined;
let gateway: TestGateway | undefined;

afterAll(async () => {
  await gateway?.close();
  await fallback?.close();
  hole?.close();
});

maybe('an upstream that never completes the TCP handshake times out at connectMs and the next target answers', async () => {
  hole = await blackHole();
  fallback = await startFakeUpstream((_req, res) =>
    sendJsonResponse(res, 200, {
      id: 'u',
      object: 'chat.completion',
      created: 1,
      model: 'b',
      choices: [{ index: 0, message: { role: 'assistant', content: 'from b' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 1, completion_tokens: 2, total_tokens: 3 },
    }),
  );
  gateway = await startTestGateway({
    providers: [
      { name: 'hole', type: 'openai', baseUrl: `http://127.0.0.1:${hole.port}/v1`, timeouts: { connectMs: 300 } },
      { name: 'b', type: 'openai', baseUrl: `${fallback.url}/v1` },
    ],
    models: [
      {
        name: 'chat',
        targets: [
          { provider: 'hole', model: 'ma' },
          { provider: 'b', model: 'mb' },
        ],
      },
    ],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    routing: { attemptsPerTarget: 1 },
  });
  const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: TEST_KEY, maxRetries: 0 });
  const started = Date.now();
  const { data, response } = await client.chat.completions
    .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })
    .withResponse();
  const elapsed = Date.now() - started;
  expect(data.choices[0].message.content).toBe('from b');
  expect(response.headers.get('x-switchyard-target')).toBe('b/mb');
  // undici checks connect timeouts on a ~0.5 s clock: well under the 60 s first-byte default.
  expect(elapsed).toBeGreaterThanOrEqual(250);
  expect(elapsed).toBeLessThan(3000);
  expect(await (await fetch(`${gateway.url}/metrics`)).text()).toContain(
    'switchyard_upstream_attempts_total{provider="hole",target_model="ma",outcome="timeout"} 1',
  );
});
