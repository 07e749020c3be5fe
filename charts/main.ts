/**
 * Entry point of `npx cdk8s synth` (cdk8s.yaml): synthesizes the Kubernetes side of the config
 * named by SWITCHYARD_CONFIG (default platform.yaml) through the same pipeline as `npm run synth`
 * (synth/kubernetes-output.ts): validated first, then dist/<profile>/ replaced whole or not at all,
 * other profiles' directories left alone.
 *
 * The cdk8s CLI deletes its output directory before it starts this app, whatever the config
 * holds, so cdk8s.yaml points it at cdk8s.out/, a scratch folder, and never at dist/. Once
 * dist/<profile>/ is written, the same files are copied into the CLI's folder (CDK8S_OUTDIR) for
 * the CLI to list, check with its validation plugins, or print (`--stdout`).
 * Messages go to stderr: the CLI captures this app's stdout and drops it.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { ConfigError } from '../config/config-error';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE } from '../config/load-config';
import { listExemptions } from '../policy/kubernetes/kubernetes-policy';
import { synthKubernetesOutput } from '../synth/kubernetes-output';
import { ManifestValidationError } from '../synth/manifest-problem';
import type { RenderedFile } from '../synth/synth-kubernetes';

/** Copies the files into the cdk8s CLI's output folder (which the CLI emptied beforehand). */
function copyForCli(outdir: string, files: readonly RenderedFile[]): void {
  mkdirSync(outdir, { recursive: true });
  for (const file of files) writeFileSync(join(outdir, file.name), file.content);
}

const rootDir = resolve(__dirname, '..');
const configFile = process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE;
try {
  const { config, kubernetes, kubeDir } = synthKubernetesOutput({ configFile, rootDir });
  const cliOutdir = process.env.CDK8S_OUTDIR;
  if (cliOutdir) copyForCli(cliOutdir, kubernetes.files);
  console.error(`synthesized profile "${config.profile}" from ${configFile}`);
  console.error(`  Kubernetes: ${kubernetes.objects.length} objects in ${kubernetes.files.length} files -> ${relative(rootDir, kubeDir)}/`);
  if (cliOutdir) console.error(`  a copy for the cdk8s CLI in ${cliOutdir}/ (scratch: the CLI empties it on every run)`);
  for (const exemption of listExemptions(kubernetes.objects)) console.error(`  warning: ${exemption}`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ManifestValidationError)) throw error;
  console.error(`synth failed, nothing was written.\n${error.message}`);
  process.exitCode = 1;
}
