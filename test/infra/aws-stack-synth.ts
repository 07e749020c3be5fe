/**
 * Synthesizes the aws profile's Terraform stack in a temp dir, from examples/aws.yaml with an
 * optional change, and reads it back with the policy reader. Shared by the aws-*.test.ts files.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import type { AwsPlatformConfig } from '../../config/platform-config';
import { App } from '../../constructs/cdktf';
import { AwsPlatformStack } from '../../infra/aws-platform-stack';
import { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { EXAMPLE_CONFIGS, tempDir } from '../support/paths';

export type RawConfig = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** examples/aws.yaml as parsed YAML, for a test to alter before validation. */
export function rawAwsExample(): RawConfig {
  return parse(readFileSync(EXAMPLE_CONFIGS.aws, 'utf8')) as RawConfig;
}

export function awsConfig(change?: (raw: RawConfig) => void): AwsPlatformConfig {
  const raw = rawAwsExample();
  change?.(raw);
  const config = parsePlatformConfig(raw, 'examples/aws.yaml (altered by the test)');
  if (config.profile !== 'aws') throw new Error('examples/aws.yaml is not an aws config');
  return config;
}

export interface SynthesizedAwsStack {
  readonly stack: TerraformStackJson;
  /** The stack directory holding cdk.tf.json. */
  readonly dir: string;
  /** Warning annotations of the stack (cdktf.out/manifest.json), which the cdktf CLI prints. */
  readonly warnings: string[];
}

export function synthAwsStack(change?: (raw: RawConfig) => void): SynthesizedAwsStack {
  const config = awsConfig(change);
  const outdir = tempDir('switchyard-aws-');
  const app = new App({ outdir });
  new AwsPlatformStack(app, 'aws-test', { config });
  app.synth();
  const manifest = JSON.parse(readFileSync(join(outdir, 'manifest.json'), 'utf8')) as {
    stacks: Record<string, { annotations: Array<{ level: string; message: string }> }>;
  };
  const warnings = manifest.stacks['aws-test'].annotations.filter((a) => a.level === '@cdktf/warn').map((a) => a.message);
  const dir = join(outdir, 'stacks', 'aws-test');
  return { stack: TerraformStackJson.fromFile(join(dir, 'cdk.tf.json')), dir, warnings };
}

/** The only resource of a type; fails the test when there are none or several. */
export function onlyResource(stack: TerraformStackJson, type: string) {
  const found = stack.resourcesOfType(type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}
