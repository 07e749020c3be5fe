// Writes the o200k table (gateway-o200k.bin): gpt-tokenizer's o200k_base ranks and split pattern in
// the binary layout of src/state/o200k-table.ts, which the gateway loads with one read and no
// parsing. The bytes come from src/state/build-o200k-table.ts, compiled here in memory, so the
// layout is written by the same code that reads it; gpt-tokenizer is required from node_modules.
// Called by build.mjs; `node scripts/o200k-table.mjs <dir>` writes <dir>/gateway-o200k.bin.
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const stateDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'state');

/** `buildO200kTable` and `O200K_TABLE_FILE`, compiled from the sources and evaluated as CommonJS. */
async function tableModule() {
  const { outputFiles } = await build({
    stdin: {
      contents: "export { buildO200kTable } from './build-o200k-table'; export { O200K_TABLE_FILE } from './o200k-table';",
      resolveDir: stateDir,
      loader: 'ts',
    },
    bundle: true,
    packages: 'external',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    write: false,
    logLevel: 'warning',
  });
  const module = { exports: {} };
  new Function('module', 'exports', 'require', outputFiles[0].text)(
    module,
    module.exports,
    createRequire(join(stateDir, 'build-o200k-table.ts')),
  );
  return module.exports;
}

/** Writes the table into `dir` (created if missing); returns its path and size. */
export async function writeO200kTable(dir) {
  const { buildO200kTable, O200K_TABLE_FILE } = await tableModule();
  const file = join(dir, O200K_TABLE_FILE);
  const table = buildO200kTable();
  await mkdir(dir, { recursive: true });
  await writeFile(file, table);
  return { file, bytes: table.length };
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const { file, bytes } = await writeO200kTable(resolve(process.argv[2] ?? '.'));
  console.log(`${file}: ${(bytes / 1024).toFixed(0)} KiB`);
}
