/**
 * Dashboards: built by the Grafana Foundation SDK into valid dashboard JSON, every panel on the
 * provisioned datasource, and every query (and every rule expression) names only metrics and labels
 * that exist, parsed by Prometheus's own PromQL grammar: label matchers and groupings on the
 * gateway's, the recording rules' and the exporters' series, and each legend template against the
 * labels its query returns.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { platformDashboards } from '../../observability/dashboards/platform-dashboards';
import { PROMETHEUS_DATASOURCE_UID } from '../../observability/dashboards/panels';
import { platformRuleGroups } from '../../observability/platform-rules';
import { isAlertingRule } from '../../observability/rule-group';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { alertTemplateProblems, metricVocabulary, queryProblems } from './query-vocabulary';

function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
}

function queriesOf(dashboard: Dashboard): Array<{ panel: string; expr: string; legend: string }> {
  return panelsOf(dashboard).flatMap((panel) =>
    (panel.targets ?? []).map((t) => {
      const target = t as { expr?: unknown; legendFormat?: unknown };
      return { panel: panel.title ?? '', expr: String(target.expr), legend: String(target.legendFormat ?? '') };
    }),
  );
}

describe.each(EXAMPLE_PLATFORMS)('%s', (_name, config) => {
  const dashboards = platformDashboards(config);
  const groups = platformRuleGroups(config);
  const vocabulary = metricVocabulary(groups);

  test('three dashboards with distinct uids, serialised as dashboard JSON', () => {
    expect(Object.keys(dashboards).sort()).toEqual(['gateway-overview.json', 'models-and-gpus.json', 'platform-health.json']);
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(3);
    for (const dashboard of Object.values(dashboards)) {
      const json = JSON.parse(JSON.stringify(dashboard)) as Dashboard;
      expect(json).toMatchObject({
        schemaVersion: expect.any(Number),
        title: expect.stringMatching(/^Switchyard \/ /),
        tags: ['switchyard'],
        editable: false,
      });
      expect(panelsOf(json).length).toBeGreaterThan(5);
    }
  });

  test('every panel reads the provisioned Prometheus datasource and fits the 24-column grid', () => {
    for (const dashboard of Object.values(dashboards))
      for (const panel of panelsOf(dashboard)) {
        expect(panel.datasource).toEqual({ type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID });
        expect(panel.targets?.length).toBeGreaterThan(0);
        const { x = 0, w = 0 } = panel.gridPos ?? {};
        expect(x + w).toBeLessThanOrEqual(24);
      }
  });

  test('every panel query parses, names only known metrics and labels, and its legend only labels it returns', () => {
    const problems = Object.entries(dashboards).flatMap(([file, d]) =>
      queriesOf(d).flatMap(({ panel, expr, legend }) => queryProblems(expr, vocabulary, legend).map((p) => `${file} "${panel}": ${p}`)),
    );
    expect(problems).toEqual([]);
    expect(Object.values(dashboards).flatMap(queriesOf).length).toBeGreaterThan(30);
  });

  test('every rule expression parses and names only catalogued metrics and labels', () => {
    const problems = groups.flatMap((g) =>
      g.rules.flatMap((r) => queryProblems(r.expr, vocabulary).map((p) => `${'alert' in r ? r.alert : r.record}: ${p}`)),
    );
    expect(problems).toEqual([]);
  });

  test("every alert's annotations template only labels its expression returns", () => {
    expect(groups.flatMap((g) => g.rules.filter(isAlertingRule)).flatMap((rule) => alertTemplateProblems(rule, vocabulary))).toEqual([]);
  });
});

test('the gateway overview shows what operators asked for', () => {
  const titles = panelsOf(platformDashboards(EXAMPLE_PLATFORMS[0][1])['gateway-overview.json']).map((p) => p.title);
  for (const title of [
    'Requests/s by model and backend',
    'Latency per model (p50, p95, p99)',
    'Time to first token (streams)',
    'Errors by type',
    'Tokens/s by model',
    'Cost per hour by tenant and key',
    'Cache hit ratio',
    'Rate-limit rejections',
    'Fallbacks',
    'Compliance decisions',
  ])
    expect(titles).toContain(title);
});

test('GPU panels appear only on profiles with GPUs', () => {
  const homelab = EXAMPLE_PLATFORMS.find(([n]) => n === 'homelab')![1];
  if (homelab.profile !== 'homelab') throw new Error('examples/homelab.yaml is not a homelab config');
  const withGpu = panelsOf(platformDashboards(homelab)['models-and-gpus.json']).map((p) => p.title);
  expect(withGpu).toContain('GPU utilisation');
  const noGpu = { ...homelab, cluster: { ...homelab.cluster, gpuVendor: 'none' as const } };
  expect(panelsOf(platformDashboards(noGpu)['models-and-gpus.json']).map((p) => p.title)).not.toContain('GPU utilisation');
});

describe('the vocabulary check fails when it should', () => {
  const vocabulary = metricVocabulary(platformRuleGroups(EXAMPLE_PLATFORMS.find(([n]) => n === 'aws')![1]));
  test.each([
    ['a misspelt gateway metric', 'rate(switchyard_request_total[5m])', '', 'unknown metric "switchyard_request_total"'],
    ['a label the metric does not have', 'switchyard_requests_total{tenant="a"}', '', 'switchyard_requests_total has no label tenant'],
    [
      'a histogram series with a wrong suffix',
      'switchyard_gateway_overhead_seconds_total',
      '',
      'unknown metric "switchyard_gateway_overhead_seconds_total"',
    ],
    ['a metric named through __name__', '{__name__="nope"}', '', 'unknown metric "nope"'],
    ['a syntax error', 'sum(rate(up[5m])', '', 'syntax error'],
    [
      'a recording rule series filtered on a label it does not keep',
      'model_token_type:switchyard_tokens:rate5m{token="output"}',
      '',
      'model_token_type:switchyard_tokens:rate5m has no label token (it has model, token_type)',
    ],
    [
      'a recorded latency filtered on the request label of another metric',
      'model:gen_ai_client_operation_duration_seconds:p95_5m{model="chat"}',
      '',
      'has no label model (it has gen_ai_request_model)',
    ],
    [
      'an exporter series filtered on a label it lacks',
      'kube_pod_status_phase{status="Failed"}',
      '',
      'kube_pod_status_phase has no label status',
    ],
    [
      'a kubelet series filtered on a pod label',
      'node_memory_working_set_bytes{pod="x"}',
      '',
      'node_memory_working_set_bytes has no label pod (it has job, instance, node)',
    ],
    [
      'a legend naming a label the query aggregates away',
      'sum by (model) (rate(switchyard_requests_total[5m]))',
      '{{model}} via {{provider}}',
      "legend {{provider}}: the query's result has model",
    ],
    [
      'a legend on a recorded series naming a label it does not keep',
      'model:switchyard_requests:rate5m',
      '{{gen_ai_request_model}}',
      "legend {{gen_ai_request_model}}: the query's result has model",
    ],
    ['a legend on a scalar', 'count(up == 0) or vector(0)', '{{job}}', "legend {{job}}: the query's result has no labels"],
    [
      'grouping by a label the series lacks',
      'sum by (tenant) (rate(switchyard_requests_total[5m]))',
      '',
      'groups by tenant, which its input does not have',
    ],
    [
      'histogram_quantile over series without le',
      'histogram_quantile(0.9, sum by (model) (rate(switchyard_requests_total[5m])))',
      '',
      'histogram_quantile needs the le label',
    ],
    [
      'dividing series whose labels differ, one to one',
      'sum by (model) (rate(switchyard_requests_total[5m])) / sum by (provider) (rate(switchyard_requests_total[5m]))',
      '',
      'its sides differ in model, provider',
    ],
    [
      'matching on a label one side lacks',
      'model:switchyard_requests:rate5m / on (provider) model:switchyard_request_errors:rate5m',
      '',
      'matches on provider, which its left side does not have',
    ],
  ])('%s', (_case, expr, legend, message) => {
    expect(queryProblems(expr, vocabulary, legend).join('\n')).toContain(message);
  });
  test('valid queries and legends have no problems', () => {
    for (const [expr, legend] of [
      ['sum by (model) (model:switchyard_requests:rate5m) / on () group_left sum(up{job="gateway"})', '{{model}}'],
      [`${'model_token_type:switchyard_tokens:rate5m'}{token_type="output"}`, '{{model}} {{token_type}}'],
      ['gpu:utilization:ratio{namespace="ai-models"}', '{{node}} GPU {{gpu}} {{pod}}'],
      ['count by (alertname, severity) (ALERTS{alertstate="firing", model="chat"})', '{{alertname}} ({{severity}})'],
    ])
      expect(queryProblems(expr, vocabulary, legend)).toEqual([]);
  });
  test('an alert annotation naming a label its expression aggregates away', () => {
    const rule = {
      alert: 'X',
      expr: 'max by (gpu) (gpu:memory_used:ratio) > 0.9',
      labels: { severity: 'warning' as const },
      annotations: { summary: 'GPU {{ $labels.gpu }} on {{ $labels.node }}', description: 'd', runbook: 'r' },
    };
    expect(alertTemplateProblems(rule, vocabulary)).toEqual([
      "X summary: $labels.node is not a label of its expression's result (gpu, severity)",
    ]);
  });
  test('recording rule series carry exactly the labels their expressions keep', () => {
    expect(vocabulary.get('model:switchyard_requests:rate5m')).toEqual(['model']);
    expect(vocabulary.get('model:gen_ai_client_operation_duration_seconds:p99_5m')).toEqual(['gen_ai_request_model']);
    expect(vocabulary.get('provider_target:switchyard_upstream_errors:ratio_rate5m')).toEqual(['provider', 'target_model']);
    expect(vocabulary.get('namespace_pod:container_cpu_usage_seconds:rate5m')).toEqual(['namespace', 'pod']);
    expect(vocabulary.get('gen_ai_response_model:container_cpu_usage_seconds:estimate_rate5m')).toEqual(['gen_ai_response_model']);
    expect(vocabulary.get('gpu:memory_used:ratio')).toEqual(expect.arrayContaining(['gpu', 'node', 'namespace', 'pod']));
    expect(vocabulary.get('gpu:memory_used:ratio')).not.toContain('le');
  });
});
