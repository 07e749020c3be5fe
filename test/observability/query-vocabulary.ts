/**
 * Checks PromQL against the platform's metric vocabulary: every series a query may select, with
 * the labels it carries. The gateway's catalogue (with the `_bucket`, `_sum`, `_count` series of
 * histograms, and the target labels Prometheus adds), the exporters' series the scrape config keeps
 * (observability/external-metrics.ts), and the recording rules, whose labels are inferred from
 * their expressions. A query fails on a syntax error, an unknown metric, a label matcher on a label
 * its series lacks, a grouping or matching on a missing label, or a legend template naming a label
 * the query's result does not carry.
 */
import { type MetricDefinition, metricCatalog } from '../../gateway/src/metrics/catalog';
import { EXTERNAL_METRIC_LABELS } from '../../observability/external-metrics';
import { POD_TARGET_LABELS } from '../../observability/prometheus-config';
import { type AlertingRule, isAlertingRule, type RuleGroup } from '../../observability/rule-group';
import { inferLabels, legendLabels } from './promql-labels';
import { parsePromql } from './promql-selectors';

/** Every series a query may read, by metric name, with its label names. */
export type Vocabulary = ReadonlyMap<string, readonly string[]>;

function catalogueSeries(): Map<string, readonly string[]> {
  const series = new Map<string, readonly string[]>();
  for (const definition of Object.values(metricCatalog) as MetricDefinition[]) {
    // The gateway is scraped as a pod: it gets every pod target label.
    const labels = [...definition.labelNames, ...POD_TARGET_LABELS];
    if (definition.type !== 'histogram') series.set(definition.name, labels);
    else {
      series.set(`${definition.name}_bucket`, [...labels, 'le']);
      series.set(`${definition.name}_sum`, labels);
      series.set(`${definition.name}_count`, labels);
    }
  }
  return series;
}

/**
 * The vocabulary of a platform: the catalogue, the exporters' series, each recording rule's series
 * with the labels its expression yields, and `ALERTS` with the labels of every alert.
 */
export function metricVocabulary(groups: readonly RuleGroup[]): Vocabulary {
  const series = new Map<string, readonly string[]>([...catalogueSeries(), ...EXTERNAL_METRIC_LABELS]);
  const rules = groups.flatMap((g) => g.rules);
  // Twice, so a record that reads one defined further down is resolved too.
  for (let pass = 0; pass < 2; pass++)
    for (const rule of rules) {
      if (isAlertingRule(rule)) continue;
      const { result } = inferLabels(rule.expr, (metric) => series.get(metric));
      series.set(rule.record, result === 'scalar' ? [] : [...result].sort());
    }
  const alertLabels = new Set(series.get('ALERTS') ?? []);
  for (const rule of rules.filter(isAlertingRule)) {
    const { result } = inferLabels(rule.expr, (metric) => series.get(metric));
    if (result !== 'scalar') for (const label of result) alertLabels.add(label);
    for (const label of Object.keys(rule.labels)) alertLabels.add(label);
  }
  series.set('ALERTS', [...alertLabels].sort());
  return series;
}

/**
 * Problems of one expression, and of its legend template when given: syntax errors, unknown
 * metrics, labels a series lacks, groupings and matchings on missing labels, legend labels the
 * result does not carry.
 */
export function queryProblems(expr: string, vocabulary: Vocabulary, legend?: string): string[] {
  const { errors, selectors } = parsePromql(expr);
  const problems = errors.map((e) => `syntax error ${e}`);
  for (const { metric, labels } of selectors) {
    const known = vocabulary.get(metric);
    if (!known) {
      problems.push(
        `unknown metric ${JSON.stringify(metric)}: not in the gateway catalogue, the recording rules or the external exporters' list`,
      );
      continue;
    }
    for (const label of labels)
      if (!known.includes(label)) problems.push(`${metric} has no label ${label} (it has ${known.join(', ') || 'no labels'})`);
  }
  if (errors.length > 0) return problems;
  const { result, problems: shapeProblems } = inferLabels(expr, (metric) => vocabulary.get(metric));
  problems.push(...shapeProblems);
  for (const label of legendLabels(legend ?? ''))
    if (result === 'scalar' || !result.has(label))
      problems.push(
        `legend {{${label}}}: the query's result has ${result === 'scalar' ? 'no labels (a scalar)' : [...result].sort().join(', ') || 'no labels'}`,
      );
  return problems;
}

/** Labels an alert's annotations template (`{{ $labels.node }}`) that its expression's result does not carry. */
export function alertTemplateProblems(rule: AlertingRule, vocabulary: Vocabulary): string[] {
  const { result } = inferLabels(rule.expr, (metric) => vocabulary.get(metric));
  const labels = new Set([...(result === 'scalar' ? [] : result), ...Object.keys(rule.labels)]);
  return Object.entries(rule.annotations).flatMap(([annotation, template]) =>
    [...template.matchAll(/\$labels\.([A-Za-z_][A-Za-z0-9_]*)/g)]
      .map((m) => m[1])
      .filter((label) => !labels.has(label))
      .map(
        (label) =>
          `${rule.alert} ${annotation}: $labels.${label} is not a label of its expression's result (${[...labels].sort().join(', ') || 'no labels'})`,
      ),
  );
}
