// Bundles the gateway into one file, dist/gateway.js: the bin and the whole runtime, dependencies
// included, so the image needs only Node and this file. Run: npm run build -w gateway
// (`--outfile <path>` writes elsewhere; the bin tests bundle into a temp dir).
import { build } from 'esbuild';
import { chmod, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--outfile');
const outfile = outArg === -1 ? join(root, 'dist', 'gateway.js') : process.argv[outArg + 1];

const result = await build({
  entryPoints: [join(root, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minifySyntax: true,
  minifyWhitespace: true,
  keepNames: true,
  sourcemap: 'linked',
  legalComments: 'linked',
  banner: { js: '#!/usr/bin/env node' },
  metafile: true,
  logLevel: 'warning',
});

await chmod(outfile, 0o755);
const { size } = await stat(outfile);
const inputs = Object.keys(result.metafile.inputs).length;
console.log(`${outfile}: ${(size / 1024).toFixed(0)} KiB from ${inputs} modules`);
