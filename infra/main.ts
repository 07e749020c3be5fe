/**
 * Entry point of `npx cdktf synth` / `cdktf deploy` (cdktf.json): builds the Terraform stack of
 * the config named by SWITCHYARD_CONFIG (default platform.yaml). The cdktf CLI chooses the
 * output directory (CDKTF_OUTDIR).
 */
import { ConfigError } from '../config/config-error';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE, loadPlatformConfig } from '../config/load-config';
import { App } from '../constructs/cdktf';
import { buildPlatformStacks } from './platform-stacks';

const configFile = process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE;
try {
  const app = new App();
  buildPlatformStacks(app, loadPlatformConfig(configFile));
  app.synth();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`synth failed, nothing was written.\n${error.message}`);
  process.exitCode = 1;
}
