/**
 * Synthesizes the profile's Terraform stacks with cdktf into a directory (a staging directory
 * during `npm run synth`, so a failure leaves the previous cdktf.out/ untouched).
 */
import { App } from '../constructs/cdktf';
import type { PlatformConfig } from '../config/platform-config';
import { buildPlatformStacks } from '../infra/platform-stacks';

export function synthTerraform(config: PlatformConfig, outdir: string): void {
  const app = new App({ outdir, skipValidation: false });
  buildPlatformStacks(app, config);
  app.synth();
}
