// Writes dist/gateway-main.js.cache, the V8 code cache the bin (src/bin.ts) runs the gateway bundle
// with: the bin starts on the embedded defaults with SWITCHYARD_CODE_CACHE=write, answers one chat
// request (a 401: no keys configured) and, on SIGUSR2, saves what V8 has compiled by then and exits.
// V8 accepts a cache only from its own version and flags, so this must run with the Node that will
// run the gateway: build.mjs runs it after bundling, and the image runs it again with its own Node
// (Dockerfile). Only Node's own modules are used, so it runs in the distroless image too.
// V8 also ties a cache to its flags: for each memory profile in <dir>/memory-profiles.json that
// names itself in SWITCHYARD_MEMORY_PROFILE, a second run under the profile's NODE_OPTIONS writes
// gateway-main.js.<profile>.cache, which the bin picks by that variable.
// The bin sets its own V8 flags (src/v8-flags.ts) before it compiles the bundle, so every cache
// written through it carries them, and the bin reads them under the same flags.
//   node scripts/code-cache.mjs <dir with gateway.js>
import { spawn } from 'node:child_process';
import { readFile, rm, stat } from 'node:fs/promises';
import { request } from 'node:http';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

const TIMEOUT_MS = 30_000;
/** The bundle the bin runs and its cache; src/bin.ts reads the same names. */
export const MAIN_FILE = 'gateway-main.js';
export const CODE_CACHE_FILE = `${MAIN_FILE}.cache`;
/** The memory profiles (src/memory-profiles.json), copied beside the bin by the build. */
export const MEMORY_PROFILES_FILE = 'memory-profiles.json';

/**
 * A memory profile's process environment (its entry in memory-profiles.json): NODE_OPTIONS, when it
 * sets any, and its other variables. The chart sets the same (src/memory-profiles.ts); the
 * benchmark starts the gateway with it.
 */
export function profileEnvironment(profile) {
  const nodeOptions = profile.nodeOptions.join(' ');
  return { ...profile.env, ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}) };
}

/** The environment each cache is written under: Node's defaults, then each named profile's. */
async function cacheVariants(dir) {
  const profiles = JSON.parse(await readFile(join(dir, MEMORY_PROFILES_FILE), 'utf8'));
  const variants = [{ file: CODE_CACHE_FILE, env: {} }];
  for (const profile of Object.values(profiles)) {
    const name = profile.env?.SWITCHYARD_MEMORY_PROFILE;
    if (!name) continue;
    variants.push({ file: `${MAIN_FILE}.${name}.cache`, env: profileEnvironment(profile) });
  }
  return variants;
}

/** Writes every cache beside the bin in `dir`; returns their paths and sizes. */
export async function writeCodeCache(dir) {
  const written = [];
  for (const variant of await cacheVariants(dir)) written.push(await writeOneCache(dir, variant));
  return written;
}

async function writeOneCache(dir, variant) {
  const file = join(dir, variant.file);
  await rm(file, { force: true });
  const child = spawn(process.execPath, [join(dir, 'gateway.js'), '--port', '0', '--log-level', 'info'], {
    env: { ...process.env, ...variant.env, SWITCHYARD_CODE_CACHE: 'write', SWITCHYARD_ALLOW_ANONYMOUS: 'false' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), TIMEOUT_MS);
  let log = '';
  const exited = new Promise((done, fail) =>
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) done();
      else fail(new Error(`the code-cache run of ${dir}/gateway.js ended with ${signal ?? `exit code ${code}`}:\n${log.slice(-2000)}`));
    }),
  );
  const url = await new Promise((done, fail) => {
    child.stderr.on('data', (part) => {
      log += part;
      const listening = /"msg":"gateway listening","url":"([^"]+)"/.exec(log);
      if (listening) done(listening[1]);
    });
    exited.then(() => fail(new Error(`the code-cache run exited before listening:\n${log.slice(-2000)}`)), fail);
  });
  await new Promise((done, fail) => {
    const body = JSON.stringify({ model: 'any', messages: [{ role: 'user', content: 'Hello' }] });
    const req = request(`${url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', done);
    });
    req.on('error', fail);
    req.end(body);
  });
  child.kill('SIGUSR2');
  await exited;
  return { file, bytes: (await stat(file)).size };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  for (const { file, bytes } of await writeCodeCache(resolve(process.argv[2] ?? '.')))
    console.log(`${file}: ${(bytes / 1024).toFixed(0)} KiB`);
}
