/** The recommended Kubernetes labels (app.kubernetes.io/*) every Switchyard object carries. */

export const PART_OF = 'switchyard';

export interface WorkloadLabelsProps {
  /** The application, e.g. ollama, redis. */
  readonly name: string;
  /** Its role in the platform, e.g. model-server, cache, database. */
  readonly component: string;
  /** The release instance; the platform config's name. */
  readonly instance: string;
}

/** Labels that select a workload's pods: stable for the workload's life (selectors are immutable). */
export function selectorLabels(props: Pick<WorkloadLabelsProps, 'name' | 'instance'>): Record<string, string> {
  return { 'app.kubernetes.io/name': props.name, 'app.kubernetes.io/instance': props.instance };
}

/** All recommended labels of a workload's objects. */
export function workloadLabels(props: WorkloadLabelsProps): Record<string, string> {
  return {
    ...selectorLabels(props),
    'app.kubernetes.io/component': props.component,
    'app.kubernetes.io/part-of': PART_OF,
    'app.kubernetes.io/managed-by': 'switchyard',
  };
}
