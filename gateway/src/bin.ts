/**
 * The `switchyard-gateway` bin as shipped (dist/gateway.js): it runs the gateway bundle beside it
 * (dist/gateway-main.js, built from main.ts) through V8's code cache, so a new pod does not parse
 * and compile ~800 KiB of JavaScript before it can listen (in alternating cold starts here, the
 * median went from ~290 to ~240 ms).
 *
 * The cache (dist/gateway-main.js.cache) is written by the build (scripts/build.mjs): it starts
 * this bin with SWITCHYARD_CODE_CACHE=write, sends it one request and then SIGUSR2, on which the
 * bin writes what V8 has compiled by then (startup and the request path) and exits. V8 checks a
 * cache against its own version, its flags and the source, and rejects one that does not match;
 * the bundle is then compiled as usual, so a missing, stale or damaged cache costs only its read.
 * The cache is never written at run time (the image's file system is read-only).
 *
 * V8 ties a cache to its flags, and a memory profile (memory-profiles.json) sets heap flags: the
 * build writes one cache per profile, and SWITCHYARD_MEMORY_PROFILE (set with the profile's flags)
 * picks `gateway-main.js.<profile>.cache`; unset, the default profile's `gateway-main.js.cache`.
 * The bin also sets V8 flags of its own first (v8-flags.ts), so every cache carries those too.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { MAIN_FILE, codeCacheFile } from './code-cache-file';
import { applyGatewayV8Flags } from './v8-flags';

function run(): void {
  applyGatewayV8Flags();
  const file = join(__dirname, MAIN_FILE);
  const cacheFile = join(__dirname, codeCacheFile(process.env));
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(cacheFile);
  } catch {
    // no cache: compiled as usual
  }
  const script = new Script(Module.wrap(readFileSync(file, 'utf8')), { filename: file, cachedData });
  // The bundle runs as the CommonJS module it was built as, with a require of its own (the
  // feature files beside it resolve from its directory).
  const main = new Module(file, module);
  main.filename = file;
  main.paths = [];
  const load = (id: string): unknown => main.require(id);
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  if (process.env.SWITCHYARD_CODE_CACHE === 'write')
    process.once('SIGUSR2', () => {
      writeFileSync(cacheFile, script.createCachedData());
      process.exit(0);
    });
  wrapper.call(main.exports, main.exports, load, main, file, __dirname);
}

run();
