/**
 * `keysFile`: a YAML list of keys beside the config (a mounted Secret), joined to `keys` and held to
 * the same rules; each rule's failure names the file and the entry's path.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { GatewayConfigError } from './config-error';
import { withKeysFile } from './keys-file';
import { parseGatewayConfig } from './load-config';
import type { GatewayConfigInput } from './schema';

const A = 'a'.repeat(64);
const B = 'b'.repeat(64);
const config: GatewayConfigInput = {
  providers: [{ name: 'local', type: 'ollama', baseUrl: 'http://ollama:11434', private: true }],
  models: [{ name: 'chat', targets: [{ provider: 'local', model: 'llama3.2:3b' }] }],
  keys: [{ id: 'inline', sha256: A, tenant: 'a', models: ['*'] }],
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-keys-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function withFile(text: string, keysFile = join(dir, 'keys.yaml'), input: GatewayConfigInput = config) {
  writeFileSync(join(dir, 'keys.yaml'), text);
  return withKeysFile(parseGatewayConfig({ ...input, keysFile }), dir);
}

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (error instanceof GatewayConfigError) return error.message;
    throw error;
  }
  throw new Error('expected a GatewayConfigError');
}

test('the file adds its keys after the inline ones, with their defaults', () => {
  const merged = withFile(stringify([{ id: 'team-b', sha256: B, tenant: 'b', models: ['chat'], rpm: 60 }]));
  expect(merged.keys).toEqual([
    { id: 'inline', sha256: A, tenant: 'a', models: ['*'], admin: false },
    { id: 'team-b', sha256: B, tenant: 'b', models: ['chat'], admin: false, rpm: 60 },
  ]);
  expect(merged.keysFile).toBe(join(dir, 'keys.yaml'));
});

test('a relative path is found in the config directory; an empty file is no keys', () => {
  expect(withFile('', 'keys.yaml').keys.map((k) => k.id)).toEqual(['inline']);
  expect(withFile('[]\n', './keys.yaml').keys.map((k) => k.id)).toEqual(['inline']);
});

test('a config without keysFile is returned as it is', () => {
  const parsed = parseGatewayConfig(config);
  expect(withKeysFile(parsed, dir)).toBe(parsed);
});

test('fails when the file is missing, naming it', () => {
  const file = join(dir, 'absent.yaml');
  expect(failure(() => withKeysFile(parseGatewayConfig({ ...config, keysFile: file })))).toBe(
    `${file}: 1 problem\n  (root): got an unreadable file (ENOENT); expected a readable YAML list of keys`,
  );
});

test('fails when an entry breaks the key schema, with the path inside the file', () => {
  const file = join(dir, 'keys.yaml');
  expect(
    failure(() =>
      withFile(
        stringify([
          { id: 'ok', sha256: B, tenant: 'b', models: ['*'] },
          { id: 'bad', sha256: 'sk-plain-key', tenant: 'b', models: ['*'], extra: 1 },
        ]),
      ),
    ),
  ).toBe(
    `${file}: 2 problems\n  [1].sha256: got "sk-plain-key"; expected a hex SHA-256 digest (64 hex characters)\n  [1].extra: got unknown key "extra"; expected no such key (check the spelling against the config reference)`,
  );
});

test('fails when the file is not a list', () => {
  expect(failure(() => withFile('id: team-b\n'))).toBe(
    `${join(dir, 'keys.yaml')}: 1 problem\n  (root): got {"id":"team-b"}; expected a list`,
  );
});

test('fails on invalid YAML with its line', () => {
  expect(failure(() => withFile('- { id: x\n'))).toBe(
    `${join(dir, 'keys.yaml')}: 1 problem\n  line 2: got invalid YAML; expected deficient indentation at line 2, column 1`,
  );
});

test.each([
  [
    'an id the config already uses',
    { id: 'inline', sha256: B, tenant: 'b', models: ['*'] },
    '[0].id: got "inline"; expected a key id not used before ("inline" is taken)',
  ],
  [
    'a digest the config already uses',
    { id: 'team-b', sha256: A, tenant: 'b', models: ['*'] },
    `[0].sha256: got "${A}"; expected a digest not used by another key`,
  ],
  [
    'a model the config does not serve',
    { id: 'team-b', sha256: B, tenant: 'b', models: ['gpt-5'] },
    '[0].models[0]: got "gpt-5"; expected "*", a model name ("chat") or the name of an http provider',
  ],
])('fails when an entry has %s, at its place in the file', (_what, entry, problem) => {
  expect(failure(() => withFile(stringify([entry])))).toBe(`${join(dir, 'keys.yaml')}: 1 problem\n  ${problem}`);
});

test('keysFile itself must be a path', () => {
  expect(failure(() => parseGatewayConfig({ ...config, keysFile: '' }))).toContain('keysFile: got ""; expected a file path');
});
