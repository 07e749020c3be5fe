/** Example platform configs for workload tests: read from examples/, optionally changed, validated. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import type { PlatformConfig } from '../../config/platform-config';
import { mergeDefaults } from '../../config/profile-defaults';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { EXAMPLE_CONFIGS } from '../support/paths';
import type { Obj } from './synth-scope';

export type ExampleProfile = keyof typeof EXAMPLE_CONFIGS;

/** The example's raw YAML as an object. */
export function exampleYaml(profile: ExampleProfile): Record<string, unknown> {
  return parse(readFileSync(EXAMPLE_CONFIGS[profile], 'utf8')) as Record<string, unknown>;
}

/** The example config with `changes` deep-merged over its YAML (arrays and scalars replace), validated. */
export function exampleConfig(profile: ExampleProfile, changes: Record<string, unknown> = {}): PlatformConfig {
  return parsePlatformConfig(mergeDefaults(exampleYaml(profile), changes), `examples/${profile}.yaml`);
}

/** Every Kubernetes object the config synthesizes (through the validation gate). */
export function synthObjectsOf(config: PlatformConfig): KubeObject[] {
  return synthKubernetes(config).objects;
}

/** The one object of `kind` named `name` (in `namespace`, when given). */
export function objectNamed(objects: readonly KubeObject[], kind: string, name: string, namespace?: string): Obj {
  const found = objects.filter(
    (o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace),
  );
  if (found.length !== 1)
    throw new Error(
      `expected one ${kind} ${namespace ? `${namespace}/` : ''}${name}, found ${found.length} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`,
    );
  return found[0] as Obj;
}

export function objectsOfKind(objects: readonly KubeObject[], kind: string): Obj[] {
  return objects.filter((o) => o.kind === kind) as Obj[];
}
