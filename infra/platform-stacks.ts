/**
 * Composes the Terraform stacks of a profile from the config: the aws and gcp profiles get their
 * cloud stack, the homelab profile a stack of cluster add-ons installed with Helm.
 */
import type { App } from '../constructs/cdktf';
import type { PlatformConfig } from '../config/platform-config';
import { AwsPlatformStack } from './aws-platform-stack';
import { GcpPlatformStack } from './gcp-platform-stack';
import { HomelabAddonsStack } from './homelab-addons-stack';

/** The stack name a config synthesizes to: cdktf.out/stacks/<name>/cdk.tf.json. */
export function stackName(config: PlatformConfig): string {
  return `${config.name}-${config.profile}`;
}

export function buildPlatformStacks(app: App, config: PlatformConfig): void {
  const name = stackName(config);
  switch (config.profile) {
    case 'aws':
      new AwsPlatformStack(app, name, { config });
      break;
    case 'gcp':
      new GcpPlatformStack(app, name, { config });
      break;
    case 'homelab':
      new HomelabAddonsStack(app, name, { config });
      break;
  }
}
