/** A bare chart to build one construct in, and its synthesized objects by kind and name. */
import { App, Chart } from 'cdk8s';
import type { KubeObject } from '../../synth/validate-manifests';
import { validateManifests } from '../../synth/validate-manifests';

export function emptyChart(): Chart {
  return new Chart(new App({ outdir: '.cdk8s-unused' }), 'test', { disableResourceNameHashes: true });
}

/** Synthesizes the chart, runs construct validations and the schema gate, and fails on any problem. */
export function synthObjects(chart: Chart): KubeObject[] {
  const errors = chart.node.findAll().flatMap((c) => c.node.validate());
  if (errors.length > 0) throw new Error(errors.join('\n'));
  const objects = chart.toJson() as KubeObject[];
  const problems = validateManifests(objects);
  if (problems.length > 0) throw new Error(JSON.stringify(problems, null, 2));
  return objects;
}

/** Construct validation messages of everything in the chart. */
export function validationErrors(chart: Chart): string[] {
  return chart.node.findAll().flatMap((c) => c.node.validate());
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Obj = KubeObject & { spec: any };

export function find(objects: readonly KubeObject[], kind: string, name: string): Obj {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} among ${objects.map((o) => `${o.kind}/${o.metadata?.name}`).join(', ')}`);
  return found as Obj;
}
