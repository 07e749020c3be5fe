/**
 * npm run synth [-- --config <file>]
 * Synthesizes Kubernetes YAML (dist/<profile>/) and Terraform JSON (cdktf.out/) from one config.
 * Exits 1 with every problem listed, and writes nothing, when the config or an output is invalid.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE } from '../config/load-config';
import { listExemptions } from '../policy/kubernetes/kubernetes-policy';
import { ManifestValidationError } from '../synth/manifest-problem';
import { synthPlatform } from '../synth/synth-platform';

const USAGE = 'usage: npm run synth [-- --config <file>]   (default: $SWITCHYARD_CONFIG or platform.yaml)';

function main(): number {
  let values: { config?: string };
  try {
    ({ values } = parseArgs({ options: { config: { type: 'string', short: 'c' } }, strict: true, allowPositionals: false }));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const rootDir = resolve(__dirname, '..');
  const configFile = values.config ?? process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE;
  try {
    const summary = synthPlatform({ configFile, rootDir });
    const rel = (p: string) => p.slice(rootDir.length + 1);
    console.log(`synthesized profile "${summary.config.profile}" from ${configFile}`);
    console.log(
      `  Kubernetes: ${summary.kubernetes.objects.length} objects in ${summary.kubernetes.files.length} files -> ${rel(summary.kubeDir)}/`,
    );
    console.log(`  Terraform:  stack ${summary.stack} -> ${rel(summary.terraformDir)}/stacks/${summary.stack}/cdk.tf.json`);
    for (const exemption of listExemptions(summary.kubernetes.objects)) console.warn(`  warning: ${exemption}`);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ManifestValidationError) {
      console.error(`synth failed, nothing was written.\n${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
