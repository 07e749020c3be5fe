/**
 * Generates the typed cdk8s classes in imports/<api group>.ts from real CRDs with `cdk8s import`:
 * the Gateway API and Envoy Gateway kinds the edge uses, MetalLB's address pools and Argo CD's
 * Application and AppProject. Generated code: never edited by hand, regenerated with
 *
 *   npx tsx scripts/import-crd-classes.ts
 *
 * `cdk8s import` writes one file per API group and overwrites it on each run, so the CRDs of one
 * group are first gathered into one multi-document YAML file and imported together. Only the
 * kinds listed are imported, to keep the generated code to what the constructs use.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';

const ROOT = resolve(__dirname, '..');
const SHARED_CRDS = resolve(ROOT, '..', 'shared', 'crds');
const PROJECT_CRDS = resolve(ROOT, 'schemas', 'crds');

/** One generated file: the CRD files of one API group and the kinds to import from them. */
export interface CrdClassImport {
  readonly group: string;
  readonly files: readonly string[];
  readonly kinds: readonly string[];
}

export const CRD_CLASS_IMPORTS: readonly CrdClassImport[] = [
  {
    group: 'gateway.networking.k8s.io',
    files: [join(SHARED_CRDS, 'gateway-api', 'standard-install.yaml')],
    kinds: ['GatewayClass', 'Gateway', 'HTTPRoute', 'ReferenceGrant'],
  },
  {
    group: 'gateway.envoyproxy.io',
    files: ['backendtrafficpolicies', 'clienttrafficpolicies', 'envoyproxies'].map((plural) =>
      join(SHARED_CRDS, 'envoy-gateway', `gateway.envoyproxy.io_${plural}.yaml`),
    ),
    kinds: ['BackendTrafficPolicy', 'ClientTrafficPolicy', 'EnvoyProxy'],
  },
  {
    group: 'metallb.io',
    files: ['ipaddresspools', 'l2advertisements'].map((plural) => join(SHARED_CRDS, 'metallb', `metallb.io_${plural}.yaml`)),
    kinds: ['IPAddressPool', 'L2Advertisement'],
  },
  {
    group: 'argoproj.io',
    files: ['application-crd.yaml', 'appproject-crd.yaml'].map((file) => join(PROJECT_CRDS, 'argo-cd', file)),
    kinds: ['Application', 'AppProject'],
  },
];

interface CrdDocument {
  kind?: string;
  spec?: { group?: string; names?: { kind?: string } };
}

/** The CRDs of `entry` as one multi-document YAML text, in the order of `kinds`. */
export function gatherCrds(entry: CrdClassImport): string {
  const crds = entry.files.flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => doc.toJS() as CrdDocument | null)
      .filter((crd): crd is CrdDocument => crd?.kind === 'CustomResourceDefinition' && crd.spec?.group === entry.group),
  );
  return entry.kinds
    .map((kind) => {
      const crd = crds.find((c) => c.spec?.names?.kind === kind);
      if (!crd) throw new Error(`no CRD for ${entry.group} ${kind} in ${entry.files.join(', ')}`);
      return stringify(crd, { lineWidth: 0 });
    })
    .join('---\n');
}

/** Runs `cdk8s import` for every entry, writing imports/<group>.ts files into `outDir`. */
export function importCrdClasses(outDir: string): void {
  const work = mkdtempSync(join(tmpdir(), 'switchyard-crd-import-'));
  try {
    for (const entry of CRD_CLASS_IMPORTS) {
      const file = join(work, `${entry.group}.yaml`);
      writeFileSync(file, gatherCrds(entry));
      execFileSync(join(ROOT, 'node_modules', '.bin', 'cdk8s'), ['import', file, '--language', 'typescript', '--output', outDir], {
        cwd: work,
        stdio: ['ignore', 'ignore', 'inherit'],
        env: { ...process.env, CDK8S_CHECK_UPGRADE: 'false' },
      });
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) importCrdClasses(join(ROOT, 'imports'));
