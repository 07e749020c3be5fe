/**
 * The Kubernetes half of a synth, on its own: what `npx cdk8s synth` runs (charts/main.ts), and
 * the part of `npm run synth` (synth-platform.ts) that writes dist/<profile>/. It never loads
 * the Terraform side, so the cdk8s entry stays light.
 */
import { join } from 'node:path';
import { loadPlatformConfig } from '../config/load-config';
import type { PlatformConfig } from '../config/platform-config';
import { type KubernetesSynthesis, synthKubernetes } from './synth-kubernetes';
import type { KubeObject } from './validate-manifests';
import { replaceDirectory } from './write-outputs';

export interface SynthOptions {
  readonly configFile: string;
  /** Project root the outputs go under. */
  readonly rootDir: string;
  /** Test hook: sees (and may alter) the Kubernetes objects before the validation gate. */
  readonly inject?: (objects: KubeObject[]) => void;
}

export interface KubernetesOutputSummary {
  readonly config: PlatformConfig;
  readonly kubernetes: KubernetesSynthesis;
  /** dist/<profile>/ under the root. */
  readonly kubeDir: string;
}

/** Where a profile's Kubernetes YAML goes: dist/<profile>/, a directory of its own. */
export function kubernetesOutputDir(rootDir: string, config: PlatformConfig): string {
  return join(rootDir, 'dist', config.profile);
}

/**
 * Config -> validated YAML -> dist/<profile>/, replaced whole or not at all. Other profiles'
 * directories and cdktf.out/ are never touched; on any problem nothing is written.
 */
export function synthKubernetesOutput(options: SynthOptions): KubernetesOutputSummary {
  const config = loadPlatformConfig(options.configFile);
  const kubernetes = synthKubernetes(config, options.inject);
  const kubeDir = kubernetesOutputDir(options.rootDir, config);
  replaceDirectory(kubeDir, kubernetes.files);
  return { config, kubernetes, kubeDir };
}
