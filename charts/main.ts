/**
 * Entry point of `npx cdk8s synth` (cdk8s.yaml): synthesizes the Kubernetes side of the config
 * named by SWITCHYARD_CONFIG (default platform.yaml) into dist/<profile>/, through the same
 * validated pipeline as `npm run synth`.
 */
import { resolve } from 'node:path';
import { ConfigError } from '../config/config-error';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE, loadPlatformConfig } from '../config/load-config';
import { ManifestValidationError } from '../synth/manifest-problem';
import { synthKubernetes } from '../synth/synth-kubernetes';
import { swapIn, writeFilesStaged } from '../synth/write-outputs';

const configFile = process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE;
try {
  const config = loadPlatformConfig(configFile);
  const { files, objects } = synthKubernetes(config);
  const target = resolve(__dirname, '..', 'dist', config.profile);
  swapIn(writeFilesStaged(target, files), target);
  console.log(`synthesized ${objects.length} Kubernetes objects from ${configFile} -> dist/${config.profile}/`);
} catch (error) {
  if (!(error instanceof ConfigError || error instanceof ManifestValidationError)) throw error;
  console.error(`synth failed, nothing was written.\n${error.message}`);
  process.exitCode = 1;
}
