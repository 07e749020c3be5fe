/**
 * `npm run synth`: config -> Kubernetes YAML in dist/<profile>/ and Terraform JSON in
 * cdktf.out/stacks/<stack>/. Everything is generated and validated first; only then are both
 * outputs swapped in. On any problem nothing is written.
 * `npx cdk8s synth` runs only the Kubernetes half (kubernetes-output.ts), which this shares.
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../config/load-config';
import { stackName } from '../infra/platform-stacks';
import { type KubernetesOutputSummary, type SynthOptions, kubernetesOutputDir } from './kubernetes-output';
import { synthKubernetes } from './synth-kubernetes';
import { synthTerraform } from './synth-terraform';
import { replaceDirectory, stagingDir, swapIn } from './write-outputs';

export type { SynthOptions } from './kubernetes-output';

export interface SynthSummary extends KubernetesOutputSummary {
  readonly terraformDir: string;
  readonly stack: string;
}

interface CdktfManifest {
  stacks: Record<string, unknown>;
  version: string;
}

/**
 * Moves the staged stack into cdktf.out/stacks/<stack>/ and merges its manifest entry, so the
 * stacks of other profiles synthesized before stay deployable. Keys are sorted: stable bytes.
 */
function mergeTerraformOutput(staged: string, terraformDir: string, stack: string): void {
  const stagedManifest = JSON.parse(readFileSync(join(staged, 'manifest.json'), 'utf8')) as CdktfManifest;
  const manifestFile = join(terraformDir, 'manifest.json');
  const existing: CdktfManifest = existsSync(manifestFile)
    ? (JSON.parse(readFileSync(manifestFile, 'utf8')) as CdktfManifest)
    : { stacks: {}, version: stagedManifest.version };
  const stacks = { ...existing.stacks, [stack]: stagedManifest.stacks[stack] };
  mkdirSync(join(terraformDir, 'stacks'), { recursive: true });
  swapIn(join(staged, 'stacks', stack), join(terraformDir, 'stacks', stack));
  const sorted = Object.fromEntries(
    Object.keys(stacks)
      .sort()
      .map((k) => [k, stacks[k]]),
  );
  writeFileSync(manifestFile, `${JSON.stringify({ stacks: sorted, version: stagedManifest.version }, null, 2)}\n`);
  rmSync(staged, { recursive: true, force: true });
}

export function synthPlatform(options: SynthOptions): SynthSummary {
  const config = loadPlatformConfig(options.configFile);
  const kubernetes = synthKubernetes(config, options.inject);

  const kubeDir = kubernetesOutputDir(options.rootDir, config);
  const terraformDir = join(options.rootDir, 'cdktf.out');
  const stagedTerraform = stagingDir(terraformDir);
  try {
    synthTerraform(config, stagedTerraform);
  } catch (error) {
    rmSync(stagedTerraform, { recursive: true, force: true });
    throw error;
  }
  replaceDirectory(kubeDir, kubernetes.files);
  mergeTerraformOutput(stagedTerraform, terraformDir, stackName(config));
  return { config, kubernetes, kubeDir, terraformDir, stack: stackName(config) };
}
