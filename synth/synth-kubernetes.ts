/**
 * Synthesizes the platform's Kubernetes objects in memory, validates them (construct validations,
 * then the schema gate), and renders one YAML file per chart. Nothing touches the disk here.
 */
import { stringify } from 'yaml';
import { buildPlatformCharts } from '../charts/platform-charts';
import type { PlatformConfig } from '../config/platform-config';
import { ManifestValidationError, type ManifestProblem } from './manifest-problem';
import { type KubeObject, validateManifests } from './validate-manifests';

export interface RenderedFile {
  /** File name inside dist/<profile>/. */
  readonly name: string;
  readonly content: string;
}

export interface KubernetesSynthesis {
  readonly files: RenderedFile[];
  readonly objects: KubeObject[];
}

/** Renders objects as a multi-document YAML stream, stable byte for byte. */
export function renderYaml(objects: readonly KubeObject[]): string {
  return objects.map((obj) => stringify(obj, { lineWidth: 0, aliasDuplicateObjects: false })).join('---\n');
}

/**
 * @param inject test hook: receives the objects before validation (e.g. to add a broken one).
 */
export function synthKubernetes(config: PlatformConfig, inject?: (objects: KubeObject[]) => void): KubernetesSynthesis {
  const { app, charts } = buildPlatformCharts(config);

  const constructErrors: ManifestProblem[] = app.node
    .findAll()
    .flatMap((c) => c.node.validate().map((message) => ({ kind: 'Construct', name: c.node.path, field: '', message })));
  if (constructErrors.length > 0) throw new ManifestValidationError(constructErrors);

  const perChart = charts.map(({ fileStem, chart }) => ({ fileStem, objects: chart.toJson() as KubeObject[] }));
  const objects = perChart.flatMap((c) => c.objects);
  inject?.(objects);
  const problems = validateManifests(objects);
  if (problems.length > 0) throw new ManifestValidationError(problems);

  return {
    objects,
    files: perChart.filter((c) => c.objects.length > 0).map((c) => ({ name: `${c.fileStem}.yaml`, content: renderYaml(c.objects) })),
  };
}
