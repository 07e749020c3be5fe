/**
 * The shipped bin (src/bin.ts) runs the bundle through the V8 code cache the build writes beside
 * it (scripts/code-cache.mjs): this Node accepts the cache, and a gateway with a damaged or no
 * cache still starts and serves (V8 rejects a cache that does not match; the bundle is compiled).
 * V8 ties a cache to its flags, so a cache accepted only with the bin's own V8 flags (v8-flags.ts)
 * shows that the bin set them before it compiled the bundle.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { codeCacheFile } from '../src/code-cache-file';
import { GATEWAY_V8_FLAGS } from '../src/v8-flags';
import { DEFAULT_MEMORY_PROFILE, MEMORY_PROFILE_NAMES, MEMORY_PROFILES } from '../src/memory-profiles';
import { buildGatewayBundle, spawnGateway } from './support/gateway-process';
import { TEST_KEY, TEST_KEY_SHA256 } from './support/test-gateway';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-code-cache-'));
  buildGatewayBundle(dir);
}, 60_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Whether a fresh Node (no test-runner flags; `nodeOptions` as NODE_OPTIONS; `v8Flags` set as the
 * bin sets them) accepts the cache `cacheFile` for the bundle in `bundleDir`.
 */
function cacheAccepted(bundleDir: string, cacheFile = 'gateway-main.js.cache', nodeOptions = '', v8Flags = GATEWAY_V8_FLAGS): string {
  const check = `
    for (const flag of ${JSON.stringify(v8Flags)}) require('node:v8').setFlagsFromString(flag);
    const { readFileSync } = require('node:fs');
    const Module = require('node:module');
    const { Script } = require('node:vm');
    const file = ${JSON.stringify(join(bundleDir, 'gateway-main.js'))};
    const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData: readFileSync(${JSON.stringify(join(bundleDir, cacheFile))}) });
    process.stdout.write(script.cachedDataRejected ? 'rejected' : 'accepted');`;
  return execFileSync(process.execPath, ['-e', check], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: nodeOptions } });
}

test('the build writes the bin, the bundle it runs and the bundle’s code cache, which this Node accepts', () => {
  expect(readdirSync(dir).filter((f) => /^gateway(-main)?\.js(\.cache)?$/.test(f))).toEqual(
    expect.arrayContaining(['gateway.js', 'gateway-main.js', 'gateway-main.js.cache']),
  );
  expect(cacheAccepted(dir)).toBe('accepted');
});

test('the bin compiles the bundle under its own V8 flags: its cache is refused without them', () => {
  expect(GATEWAY_V8_FLAGS).toEqual(['--no-allocation-site-pretenuring', '--no-maglev']);
  expect(cacheAccepted(dir, 'gateway-main.js.cache', '', [])).toBe('rejected');
  const standard = `gateway-main.js.${DEFAULT_MEMORY_PROFILE}.cache`;
  const options = MEMORY_PROFILES[DEFAULT_MEMORY_PROFILE].nodeOptions.join(' ');
  expect(cacheAccepted(dir, standard, options, [])).toBe('rejected');
  expect(cacheAccepted(dir, standard, options)).toBe('accepted');
});

test('exactly one memory profile is the default, and every profile pins its heap flags and names its code cache', () => {
  expect(MEMORY_PROFILE_NAMES.filter((name) => MEMORY_PROFILES[name].default)).toEqual([DEFAULT_MEMORY_PROFILE]);
  for (const name of MEMORY_PROFILE_NAMES) {
    const profile = MEMORY_PROFILES[name];
    expect(profile.nodeOptions).toEqual(
      expect.arrayContaining([expect.stringMatching(/^--max-semi-space-size=\d+$/), `--max-old-space-size=${profile.heapLimitMiB}`]),
    );
    expect(profile.env.SWITCHYARD_MEMORY_PROFILE).toBe(name);
  }
});

test.each(MEMORY_PROFILE_NAMES)(
  'the %s profile gets a cache of its own, accepted under its flags only; the bin picks it by SWITCHYARD_MEMORY_PROFILE',
  async (name) => {
    const profile = MEMORY_PROFILES[name];
    const options = profile.nodeOptions.join(' ');
    const cacheFile = `gateway-main.js.${name}.cache`;
    expect(cacheAccepted(dir, cacheFile, options)).toBe('accepted');
    // The reason for a cache per profile: V8 refuses the flagless one under the profile's flags,
    // the profile's without them, and each other profile's.
    expect(cacheAccepted(dir, 'gateway-main.js.cache', options)).toBe('rejected');
    expect(cacheAccepted(dir, cacheFile)).toBe('rejected');
    for (const other of MEMORY_PROFILE_NAMES.filter((n) => n !== name))
      expect(cacheAccepted(dir, `gateway-main.js.${other}.cache`, options)).toBe('rejected');
    // The bin picks the file by the profile's environment, under the name the build wrote.
    expect(codeCacheFile(profile.env)).toBe(cacheFile);
    expect(codeCacheFile({})).toBe('gateway-main.js.cache');
    expect(codeCacheFile({ SWITCHYARD_MEMORY_PROFILE: '../etc/x' })).toBe('gateway-main.js.cache');
    const gateway = await spawnGateway(
      join(dir, 'gateway.js'),
      dir,
      name,
      {
        providers: [{ name: 'local', type: 'ollama', baseUrl: 'http://127.0.0.1:9' }],
        models: [{ name: 'chat', targets: [{ provider: 'local', model: 'llama3' }] }],
        keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'team-a', models: ['*'] }],
        audit: { destination: 'off' },
      },
      { NODE_OPTIONS: options, ...profile.env },
    );
    try {
      expect((await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${TEST_KEY}` } })).status).toBe(200);
    } finally {
      await gateway.stop();
    }
  },
  60_000,
);

test.each([
  ['damaged', (cache: string) => writeFileSync(cache, Buffer.alloc(4096, 0x5a))],
  ['missing', (cache: string) => rmSync(cache)],
])(
  'with a %s cache the gateway still starts and serves',
  async (_name, spoil) => {
    const copy = join(dir, `spoilt-${_name}`);
    mkdirSync(copy);
    for (const f of readdirSync(dir)) if (/\.(js|bin|cache)$/.test(f)) copyFileSync(join(dir, f), join(copy, f));
    spoil(join(copy, 'gateway-main.js.cache'));
    if (_name === 'damaged') expect(cacheAccepted(copy)).toBe('rejected');
    const gateway = await spawnGateway(join(copy, 'gateway.js'), copy, 'spoilt', {
      providers: [{ name: 'local', type: 'ollama', baseUrl: 'http://127.0.0.1:9' }],
      models: [{ name: 'chat', targets: [{ provider: 'local', model: 'llama3' }] }],
      keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'team-a', models: ['*'] }],
      audit: { destination: 'off' },
    });
    try {
      const models = await fetch(`${gateway.url}/v1/models`, { headers: { authorization: `Bearer ${TEST_KEY}` } });
      expect(models.status).toBe(200);
      expect(((await models.json()) as { data: Array<{ id: string }> }).data.map((m) => m.id)).toEqual(['chat']);
    } finally {
      await gateway.stop();
    }
  },
  60_000,
);
