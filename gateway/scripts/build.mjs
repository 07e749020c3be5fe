// Bundles the gateway: dist/gateway.js, the bin and the whole runtime with its dependencies, and
// beside it dist/gateway-tokenizer.js, the o200k_base encoding (~2 MB of ranks) that only a gateway
// with `tpm` limits loads, after it listens. The image needs only Node and these two files.
// Run: npm run build -w gateway (`--outfile <path>` writes elsewhere; the bin tests bundle into a
// temp dir; the tokenizer file goes beside the outfile).
import { build } from 'esbuild';
import { chmod, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outfile');
const outfile = outArg === -1 ? join(root, 'dist', 'gateway.js') : process.argv[outArg + 1];
const TOKENIZER_FILE = 'gateway-tokenizer.js';

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

/** The tokenizer module stays out of the main bundle: it is required from the file beside it. */
const tokenizerApart = {
  name: 'tokenizer-apart',
  setup(b) {
    b.onResolve({ filter: /\/o200k-encoding$/ }, () => ({ path: `./${TOKENIZER_FILE}`, external: true }));
  },
};

const [main] = await Promise.all([
  build({
    ...common,
    entryPoints: [join(root, 'src', 'main.ts')],
    outfile,
    banner: { js: '#!/usr/bin/env node' },
    metafile: true,
    plugins: [tokenizerApart],
  }),
  // gpt-tokenizer's package exports offer its CommonJS files under the "require" condition only.
  build({
    ...common,
    entryPoints: [join(root, 'src', 'state', 'o200k-encoding.ts')],
    outfile: join(dirname(outfile), TOKENIZER_FILE),
    conditions: ['require'],
  }),
]);

await chmod(outfile, 0o755);
const { size } = await stat(outfile);
const { size: tokenizerSize } = await stat(join(dirname(outfile), TOKENIZER_FILE));
const inputs = Object.keys(main.metafile.inputs).length;
console.log(
  `${outfile}: ${(size / 1024).toFixed(0)} KiB from ${inputs} modules; ${TOKENIZER_FILE}: ${(tokenizerSize / 1024).toFixed(0)} KiB`,
);
