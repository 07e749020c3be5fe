// Bundles the gateway: dist/gateway-main.js, the runtime with its dependencies; dist/gateway.js, the
// bin (src/bin.ts), which runs it through V8's code cache (gateway-main.js.cache, and one per
// memory profile from memory-profiles.json, copied beside it; written last by code-cache.mjs); and beside them the files loaded only when a feature needs them (APART below:
// the AWS libraries, ioredis; and gateway-o200k.bin, the tokenizer's table, from o200k-table.mjs).
// The image needs only Node and these files.
// Run: npm run build -w gateway (`--outfile <path>` writes elsewhere; the bin tests bundle into a
// temp dir; the apart files go beside the outfile).
import { build } from 'esbuild';
import { chmod, copyFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MAIN_FILE, MEMORY_PROFILES_FILE, writeCodeCache } from './code-cache.mjs';
import { writeO200kTable } from './o200k-table.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outfile');
const outfile = outArg === -1 ? join(root, 'dist', 'gateway.js') : process.argv[outArg + 1];

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  minifyWhitespace: true,
  // Identifiers are not minified, so names survive; keepNames would wrap every closure in a
  // __name() call at run time (~1.5 % of the CPU per request under load).
  keepNames: false,
  sourcemap: 'linked',
  legalComments: 'linked',
  logLevel: 'warning',
};

/**
 * Modules bundled into files of their own beside the main one, each imported by the runtime only
 * when needed: the main bundle's dynamic import of the module becomes a `require` of the file on
 * first use (the bin runs the main bundle as a vm.Script, whose `import()` Node 20 allows only behind
 * an experimental flag; the one `import()` left is the sources-only branch below, never reached):
 * - the AWS libraries (~600 KiB): the first Bedrock request;
 * - ioredis (~170 KiB): gateways with `state.redis`.
 * Only third-party code goes apart, so no module of the gateway's exists twice.
 */
const APART = [
  { filter: /\/vendor\/aws$/, entry: join('vendor', 'aws.ts'), file: 'gateway-aws.js' },
  { filter: /\/vendor\/ioredis$/, entry: join('vendor', 'ioredis.ts'), file: 'gateway-redis.js' },
];

/**
 * The o200k table's builder (gpt-tokenizer's ~2.4 MB of ranks) runs at build time, in
 * o200k-table.mjs; the bundle reads the file it writes. Only a gateway run from sources imports the
 * builder (src/state/load-o200k-table.ts), so the bundle keeps that import unresolved.
 */
const SOURCES_ONLY = /\/build-o200k-table$/;

const apart = {
  name: 'apart',
  setup(b) {
    for (const { filter, file } of APART) b.onResolve({ filter }, () => ({ path: file, namespace: 'apart' }));
    // A stand-in module, evaluated on first import, that requires the file beside the bundle.
    b.onLoad({ filter: /.*/, namespace: 'apart' }, ({ path }) => ({ contents: `module.exports = require('./${path}');`, loader: 'js' }));
    b.onResolve({ filter: /^\.\/gateway-[a-z]+\.js$/ }, ({ path }) => ({ path, external: true }));
    b.onResolve({ filter: SOURCES_ONLY }, ({ path }) => ({ path, external: true }));
  },
};

/**
 * undici's HTTP/2 client requires node:http2 when it loads, for constants, which loads HTTP/2 and TLS
 * at every start though the gateway never speaks HTTP/2 upstream; it gets src/vendor/lazy-http2.ts
 * instead (the constants, and `connect` loading the real module on first use).
 */
const UNDICI_HTTP2_CLIENT = /undici[\\/]lib[\\/]dispatcher[\\/]client-h2\.js$/;
const lazyHttp2 = {
  name: 'lazy-http2',
  setup(b) {
    b.onResolve({ filter: /^node:http2$/ }, ({ importer }) =>
      UNDICI_HTTP2_CLIENT.test(importer) ? { path: join(root, 'src', 'vendor', 'lazy-http2.ts') } : undefined,
    );
  },
};

/** The bin (src/bin.ts) is `outfile`; it runs the gateway bundle beside it through V8's code cache. */
const mainFile = join(dirname(outfile), MAIN_FILE);

const [main, , table] = await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile: mainFile,
    metafile: true,
    plugins: [apart, lazyHttp2],
  }),
  build({ ...common, entryPoints: [join(root, 'src', 'bin.ts')], outfile, banner: { js: '#!/usr/bin/env node' } }),
  writeO200kTable(dirname(outfile)),
  ...APART.map(({ entry, file }) => build({ ...common, entryPoints: [join(root, 'src', entry)], outfile: join(dirname(outfile), file) })),
]);

await chmod(outfile, 0o755);
await copyFile(join(root, 'src', MEMORY_PROFILES_FILE), join(dirname(outfile), MEMORY_PROFILES_FILE));
const caches = await writeCodeCache(dirname(outfile));
const { size } = await stat(mainFile);
const sizes = await Promise.all(
  APART.map(async ({ file }) => `${file}: ${((await stat(join(dirname(outfile), file))).size / 1024).toFixed(0)} KiB`),
);
sizes.push(
  `${basename(table.file)}: ${(table.bytes / 1024).toFixed(0)} KiB`,
  ...caches.map((cache) => `${basename(cache.file)}: ${(cache.bytes / 1024).toFixed(0)} KiB`),
);
const inputs = Object.keys(main.metafile.inputs).length;
console.log(`${mainFile}: ${(size / 1024).toFixed(0)} KiB from ${inputs} modules, run by ${basename(outfile)}; ${sizes.join('; ')}`);
