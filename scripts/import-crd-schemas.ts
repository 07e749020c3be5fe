/**
 * Generates imports/crd-schemas/*.json from the real CustomResourceDefinitions in ../shared/crds
 * (or the folder given as the first argument) and in the project's own schemas/crds (CRDs that
 * ../shared does not hold, e.g. Argo CD's): for each CRD, its group, kind and the
 * openAPIV3Schema of every served version. The synth validation gate reads these files, so synth
 * works on machines without ../shared; test/synth/crd-schemas.test.ts fails if they drift.
 *
 *   npx tsx scripts/import-crd-schemas.ts [crd-folder]
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseAllDocuments } from 'yaml';

export interface CrdSchemaFile {
  readonly source: string;
  readonly group: string;
  readonly kind: string;
  readonly versions: Record<string, unknown>;
}

export const CRD_SCHEMA_DIR = resolve(__dirname, '..', 'imports', 'crd-schemas');
/** CRDs kept in the project itself (see schemas/crds/<project>/README.md for their sources). */
export const PROJECT_CRD_DIR = resolve(__dirname, '..', 'schemas', 'crds');

function yamlFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return yamlFiles(path);
      return /\.ya?ml$/.test(entry) ? [path] : [];
    });
}

/** Reads every CRD under `crdDir` and returns the schema files to write, by file name. */
export function extractCrdSchemas(crdDir: string): Map<string, CrdSchemaFile> {
  const out = new Map<string, CrdSchemaFile>();
  for (const file of yamlFiles(crdDir)) {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const crd = doc.toJS() as {
        kind?: string;
        metadata?: { name?: string };
        spec?: {
          group: string;
          names: { kind: string };
          versions: Array<{ name: string; served: boolean; schema?: { openAPIV3Schema?: unknown } }>;
        };
      } | null;
      if (crd?.kind !== 'CustomResourceDefinition' || !crd.spec) continue;
      const versions = Object.fromEntries(
        crd.spec.versions.filter((v) => v.served && v.schema?.openAPIV3Schema).map((v) => [v.name, v.schema!.openAPIV3Schema]),
      );
      out.set(`${crd.spec.group}_${crd.spec.names.kind}.json`, {
        source: file.slice(crdDir.length + 1),
        group: crd.spec.group,
        kind: crd.spec.names.kind,
        versions,
      });
    }
  }
  return out;
}

if (require.main === module) {
  const crdDir = resolve(process.argv[2] ?? join(__dirname, '..', '..', 'shared', 'crds'));
  const schemas = new Map([...extractCrdSchemas(crdDir), ...extractCrdSchemas(PROJECT_CRD_DIR)]);
  rmSync(CRD_SCHEMA_DIR, { recursive: true, force: true });
  mkdirSync(CRD_SCHEMA_DIR, { recursive: true });
  for (const [name, schema] of schemas) writeFileSync(join(CRD_SCHEMA_DIR, name), `${JSON.stringify(schema)}\n`);
  console.log(`wrote ${schemas.size} CRD schemas to ${CRD_SCHEMA_DIR}`);
}
