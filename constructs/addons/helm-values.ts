/**
 * Helm values as typed objects rendered to YAML, and the small Kubernetes shapes the add-on values
 * share. A key set to `null` removes the chart's default for it (Helm's merge rule).
 */
import { stringify } from 'yaml';

/** A pod toleration, as the charts take it. */
export interface Toleration {
  readonly key: string;
  readonly operator: 'Exists' | 'Equal';
  readonly value?: string;
  readonly effect?: 'NoSchedule' | 'PreferNoSchedule' | 'NoExecute';
}

/** Renders values to the YAML document the Helm provider passes as one `values` entry. */
export function renderHelmValues(values: object): string {
  return stringify(values, { lineWidth: 0 });
}
