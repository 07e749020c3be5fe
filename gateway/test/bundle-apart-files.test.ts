/**
 * The shipped bundle loads the AWS libraries from the file beside it (dist/gateway-aws.js,
 * scripts/build.mjs APART) on the first Bedrock request: signed requests and decoded event
 * streams work from the bundle exactly as from the sources. With a `tpm` limit it reads the o200k
 * table beside it (dist/gateway-o200k.bin). (The ioredis file is exercised by the replica and
 * outage suites, which run the bundle against redis-server.) Its start loads neither HTTP/2 nor TLS:
 * undici's HTTP/2 client gets src/vendor/lazy-http2.ts.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { stringify } from 'yaml';
import { type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { buildGatewayBundle, type GatewayProcess, spawnGateway } from './support/gateway-process';
import { bedrockDialect } from './support/provider-dialects';
import { expectedAuthorization, type TestCredentials } from './support/sigv4-verify';
import { TEST_KEY, TEST_KEY_SHA256 } from './support/test-gateway';

const AWS_CREDENTIALS: TestCredentials = {
  accessKeyId: 'AKIDBUNDLE',
  secretAccessKey: 'bundle-secret-key-0123456789',
  sessionToken: 'bundle-session-token',
};

let dir: string;
let bundle: string;
let upstream: FakeUpstream;
let gateway: GatewayProcess;
let client: OpenAI;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-bundle-'));
  bundle = buildGatewayBundle(dir);
  upstream = await startFakeUpstream((request, res) => {
    if (!bedrockDialect.isStream(request)) return sendJsonResponse(res, 200, bedrockDialect.toolAnswer.toString());
    res.writeHead(200, { 'content-type': bedrockDialect.contentType });
    res.end(bedrockDialect.toolStream);
  });
  gateway = await spawnGateway(
    bundle,
    dir,
    'bedrock',
    {
      providers: [bedrockDialect.provider(upstream.url)],
      models: [{ name: 'chat', targets: [{ provider: 'aws', model: bedrockDialect.upstreamModel }] }],
      keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'team-a', models: ['*'], tpm: 1_000_000 }],
      audit: { destination: 'off' },
    },
    {
      AWS_ACCESS_KEY_ID: AWS_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: AWS_CREDENTIALS.sessionToken!,
    },
  );
  client = new OpenAI({ apiKey: TEST_KEY, baseURL: `${gateway.url}/v1`, maxRetries: 0 });
}, 60_000);

afterAll(async () => {
  await gateway?.stop();
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

test('the build writes the apart files beside the bundle', () => {
  expect(
    readdirSync(dir)
      .filter((f) => f.endsWith('.js') || f.endsWith('.bin'))
      .sort(),
  ).toEqual(['gateway-aws.js', 'gateway-main.js', 'gateway-o200k.bin', 'gateway-redis.js', 'gateway.js']);
});

test('the bundle starts without loading node:http2 or node:tls, and generates no code', () => {
  // Counts functions made from strings (zod's generated parsers) and lists Node's built-in modules
  // loaded by the time the server listens, then exits.
  const preload = join(dir, 'at-listen.cjs');
  writeFileSync(
    preload,
    `let generated = 0;
globalThis.Function = new Proxy(Function, {
  construct(target, args) { generated++; return Reflect.construct(target, args); },
  apply(target, self, args) { generated++; return Reflect.apply(target, self, args); },
});
require('node:net').Server.prototype.listen = function () {
  const loaded = process.moduleLoadList.filter((m) => m.startsWith('NativeModule ')).map((m) => m.slice(13));
  process.stdout.write(JSON.stringify({ generated, loaded }));
  process.exit(0);
};`,
  );
  const config = join(dir, 'at-listen.yaml');
  writeFileSync(
    config,
    stringify({
      providers: [{ name: 'local', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }],
      models: [{ name: 'chat', targets: [{ provider: 'local', model: 'm' }] }],
      keys: [{ id: 'k', sha256: TEST_KEY_SHA256, tenant: 't', models: ['*'], rpm: 60 }],
      audit: { destination: 'off' },
    }),
  );
  const out = execFileSync(process.execPath, ['--require', preload, bundle, '--config', config, '--port', '0'], { encoding: 'utf8' });
  const { generated, loaded } = JSON.parse(out) as { generated: number; loaded: string[] };
  expect(loaded).toEqual(expect.arrayContaining(['http', 'net']));
  expect(loaded).not.toContain('http2');
  expect(loaded).not.toContain('tls');
  // The config was parsed (a bad one exits 2 before listening) without zod generating parsers.
  expect(generated).toBe(0);
});

test('the bundle loads the o200k table beside it for tpm reservations', () => {
  expect(gateway.stderr()).toContain('"msg":"tokenizer loaded for tpm reservations"');
  expect(gateway.stderr()).not.toContain('tokenizer failed to load');
});

test('a Bedrock completion from the bundle is signed with SigV4 and translated', async () => {
  const completion = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'weather?' }] });
  const seen = upstream.requests.at(-1)!;
  expect(seen.path).toBe(bedrockDialect.chatPath(false));
  expect(seen.headers['x-amz-security-token']).toBe(AWS_CREDENTIALS.sessionToken);
  expect(seen.headers.authorization).toBe(await expectedAuthorization(seen, upstream.url, AWS_CREDENTIALS, 'bedrock', 'us-east-1'));
  expect(completion.choices[0].message.tool_calls?.length).toBeGreaterThan(0);
});

test('a Bedrock event stream from the bundle is decoded into OpenAI chunks', async () => {
  const stream = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'weather?' }], stream: true });
  let text = '';
  for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
  expect(upstream.requests.at(-1)!.path).toBe(bedrockDialect.chatPath(true));
  expect(text).toBe(bedrockDialect.toolStreamText);
});
