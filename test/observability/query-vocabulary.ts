/**
 * Checks PromQL against the platform's metric vocabulary: the gateway's catalogue (with the
 * `_bucket`, `_sum`, `_count` series of histograms and only catalogued label names), the recording
 * rules, and the external exporters' series the scrape config keeps.
 */
import { type MetricDefinition, metricCatalog } from '../../gateway/src/metrics/catalog';
import { EXTERNAL_METRICS } from '../../observability/external-metrics';
import type { RuleGroup } from '../../observability/rule-group';
import { parsePromql } from './promql-selectors';

/** Labels Prometheus adds to every gateway series at scrape time (see prometheus-config.ts). */
const TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'node'];

function catalogueSeries(): Map<string, readonly string[]> {
  const series = new Map<string, readonly string[]>();
  for (const definition of Object.values(metricCatalog) as MetricDefinition[]) {
    const labels = [...definition.labelNames, ...TARGET_LABELS];
    if (definition.type !== 'histogram') series.set(definition.name, labels);
    else {
      series.set(`${definition.name}_bucket`, [...labels, 'le']);
      series.set(`${definition.name}_sum`, labels);
      series.set(`${definition.name}_count`, labels);
    }
  }
  return series;
}

/** Problems of one expression: syntax errors, unknown metrics, labels a catalogued metric lacks. */
export function queryProblems(expr: string, recorded: ReadonlySet<string>): string[] {
  const catalogue = catalogueSeries();
  const { errors, selectors } = parsePromql(expr);
  const problems = errors.map((e) => `syntax error ${e}`);
  for (const { metric, labels } of selectors) {
    const known = catalogue.get(metric);
    if (known) {
      for (const label of labels) if (!known.includes(label)) problems.push(`${metric} has no label ${label} (it has ${known.join(', ')})`);
    } else if (!recorded.has(metric) && !EXTERNAL_METRICS.has(metric)) {
      problems.push(`unknown metric ${JSON.stringify(metric)}: not in the gateway catalogue, the recording rules or the external exporters' list`);
    }
  }
  return problems;
}

export function recordedNames(groups: readonly RuleGroup[]): Set<string> {
  return new Set(groups.flatMap((g) => g.rules.flatMap((r) => ('record' in r ? [r.record] : []))));
}
