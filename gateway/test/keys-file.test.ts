/**
 * The bundled bin with its API keys in a keys file, laid out as Kubernetes mounts a Secret volume
 * (a `..data` symlink swapped on update): the keys serve, a new Secret version is picked up without
 * a restart, an invalid one is refused with the file and entry named while the old keys keep
 * serving, and a missing keys file stops the start with a clear error.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { until } from './support/usage-upstream';

const digest = (key: string) => createHash('sha256').update(key).digest('hex');
const KEY_A = 'sk-keys-file-team-a';
const KEY_B = 'sk-keys-file-team-b';

/** Writes `files` into `dir` the way the kubelet updates a ConfigMap or Secret volume: new dir, atomic symlink swap. */
function publish(dir: string, version: string, files: Record<string, string>): void {
  const data = join(dir, `..${version}`);
  mkdirSync(data, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(join(data, name), text);
  symlinkSync(`..${version}`, join(dir, '..data_tmp'));
  renameSync(join(dir, '..data_tmp'), join(dir, '..data'));
}

let root: string;
let bundle: string;

beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), 'switchyard-keys-bin-'));
  bundle = join(root, 'bin', 'gateway.js');
  execFileSync(process.execPath, [join(__dirname, '..', 'scripts', 'build.mjs'), '--outfile', bundle], { stdio: 'pipe' });
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

function configText(keysFile: string): string {
  return stringify({
    providers: [{ name: 'local', type: 'ollama', baseUrl: 'http://127.0.0.1:9', private: true }],
    models: [{ name: 'chat', targets: [{ provider: 'local', model: 'llama3.2:3b' }] }],
    keysFile,
    audit: { destination: 'off' },
  });
}

function start(configFile: string): { child: ChildProcess; output: () => string; exited: Promise<number | null> } {
  let stderr = '';
  const child = spawn(process.execPath, [bundle, '--config', configFile, '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, output: () => stderr, exited };
}

describe('keys from a Secret-style keys file', () => {
  const configDir = () => join(root, 'config');
  const keysDir = () => join(root, 'keys');
  let gateway: ReturnType<typeof start>;
  let url = '';
  const status = async (key: string) => (await fetch(`${url}/v1/models`, { headers: { authorization: `Bearer ${key}` } })).status;

  beforeAll(async () => {
    publish(keysDir(), 'v1', { 'keys.yaml': stringify([{ id: 'team-a', sha256: digest(KEY_A), tenant: 'a', models: ['*'] }]) });
    symlinkSync('..data/keys.yaml', join(keysDir(), 'keys.yaml'));
    publish(configDir(), 'v1', { 'gateway.yaml': configText(join(keysDir(), 'keys.yaml')) });
    symlinkSync('..data/gateway.yaml', join(configDir(), 'gateway.yaml'));
    gateway = start(join(configDir(), 'gateway.yaml'));
    url = await until('the listening log line', async () => /"msg":"gateway listening","url":"([^"]+)"/.exec(gateway.output())?.[1]);
  });
  afterAll(() => {
    if (gateway.child.exitCode === null) gateway.child.kill('SIGKILL');
  });

  test('serves the keys of the file', async () => {
    expect(await status(KEY_A)).toBe(200);
    expect(await status(KEY_B)).toBe(401);
  });

  test('a new Secret version swaps the keys without a restart', async () => {
    publish(keysDir(), 'v2', { 'keys.yaml': stringify([{ id: 'team-b', sha256: digest(KEY_B), tenant: 'b', models: ['chat'] }]) });
    await until('the new key', async () => ((await status(KEY_B)) === 200 ? true : undefined));
    expect(await status(KEY_A)).toBe(401);
    expect(gateway.output()).toContain('"msg":"config reloaded"');
  });

  test('an invalid keys file is refused, naming the file and the entry; the keys before it keep serving', async () => {
    publish(keysDir(), 'v3', { 'keys.yaml': stringify([{ id: 'team-c', sha256: 'sk-not-a-digest', tenant: 'c', models: ['*'] }]) });
    await until('the refusal', async () => (gateway.output().includes('config reload refused') ? true : undefined));
    const refusal = gateway
      .output()
      .split('\n')
      .find((line) => line.includes('config reload refused'))!;
    expect(JSON.parse(refusal)).toMatchObject({
      source: join(keysDir(), 'keys.yaml'),
      problems: [{ path: '[0].sha256', got: '"sk-not-a-digest"', expected: 'a hex SHA-256 digest (64 hex characters)' }],
    });
    expect(await status(KEY_B)).toBe(200);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    expect(metrics).toContain('switchyard_config_reloads_total{result="failure"} 1');
  });

  test('the keys digests never reach the logs', () => {
    expect(gateway.output()).not.toContain(digest(KEY_A));
    expect(gateway.output()).not.toContain(digest(KEY_B));
  });
});

test('a missing keys file stops the start with the file named (exit 2)', async () => {
  const dir = join(root, 'missing');
  mkdirSync(dir);
  const keysFile = join(dir, 'keys', 'keys.yaml');
  writeFileSync(join(dir, 'gateway.yaml'), configText(keysFile));
  const gateway = start(join(dir, 'gateway.yaml'));
  expect(await gateway.exited).toBe(2);
  expect(gateway.output()).toBe(
    `switchyard-gateway: invalid config\n${keysFile}: 1 problem\n  (root): got an unreadable file (ENOENT); expected a readable YAML list of keys\n`,
  );
});
