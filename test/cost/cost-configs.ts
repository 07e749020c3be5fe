/** Example configs for the cost tests, parsed the way load-config parses files, optionally changed. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import type { AwsPlatformConfig, GcpPlatformConfig } from '../../config/platform-config';
import { EXAMPLE_CONFIGS, ROOT } from '../support/paths';

type Raw = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function example(profile: 'aws' | 'gcp', change: (raw: Raw) => void = () => {}): unknown {
  const raw = parse(readFileSync(EXAMPLE_CONFIGS[profile], 'utf8')) as Raw;
  change(raw);
  return parsePlatformConfig(raw, `examples/${profile}.yaml`);
}

export const awsExample = (change?: (raw: Raw) => void) => example('aws', change) as AwsPlatformConfig;

/**
 * examples/aws.yaml as if validated against an earlier EKS calendar, on which `version` was still
 * in standard support: the schema accepts only today's versions, a cost estimate may see older ones.
 */
export function awsExampleOnVersion(version: string): AwsPlatformConfig {
  const config = awsExample();
  config.cluster.kubernetesVersion = version;
  return config;
}
export const gcpExample = (change?: (raw: Raw) => void) => example('gcp', change) as GcpPlatformConfig;

/** A price table read straight from its JSON file, to recompute expected amounts independently. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function rawTable(name: 'aws-us-east-1' | 'gcp-us-central1'): any {
  return JSON.parse(readFileSync(join(ROOT, 'cost', 'prices', `${name}.json`), 'utf8'));
}

/** The day the tests judge EKS support on: examples/aws.yaml's 1.35 is in standard support for 124 more days. */
export const DAY = '2026-11-23';
export const H = 730;
