/**
 * Dashboards: built by the Grafana Foundation SDK into valid dashboard JSON, every panel on the
 * provisioned datasource, and every query (and every rule expression) names only metrics and labels
 * that exist, parsed by Prometheus's own PromQL grammar.
 */
import type { Dashboard, Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { platformDashboards } from '../../observability/dashboards/platform-dashboards';
import { PROMETHEUS_DATASOURCE_UID } from '../../observability/dashboards/panels';
import { platformRuleGroups } from '../../observability/platform-rules';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { queryProblems, recordedNames } from './query-vocabulary';

function panelsOf(dashboard: Dashboard): Panel[] {
  return (dashboard.panels ?? []).flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel]));
}

function queriesOf(dashboard: Dashboard): Array<{ panel: string; expr: string }> {
  return panelsOf(dashboard).flatMap((panel) => (panel.targets ?? []).map((t) => ({ panel: panel.title ?? '', expr: String((t as { expr?: unknown }).expr) })));
}

describe.each(EXAMPLE_PLATFORMS)('%s', (_name, config) => {
  const dashboards = platformDashboards(config);
  const groups = platformRuleGroups(config);
  const recorded = recordedNames(groups);

  test('three dashboards with distinct uids, serialised as dashboard JSON', () => {
    expect(Object.keys(dashboards).sort()).toEqual(['gateway-overview.json', 'models-and-gpus.json', 'platform-health.json']);
    const uids = Object.values(dashboards).map((d) => d.uid);
    expect(new Set(uids).size).toBe(3);
    for (const dashboard of Object.values(dashboards)) {
      const json = JSON.parse(JSON.stringify(dashboard)) as Dashboard;
      expect(json).toMatchObject({ schemaVersion: expect.any(Number), title: expect.stringMatching(/^Switchyard \/ /), tags: ['switchyard'], editable: false });
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

  test('every panel query parses and names only catalogued metrics and labels', () => {
    const problems = Object.entries(dashboards).flatMap(([file, d]) =>
      queriesOf(d).flatMap(({ panel, expr }) => queryProblems(expr, recorded).map((p) => `${file} "${panel}": ${p}`)),
    );
    expect(problems).toEqual([]);
    expect(Object.values(dashboards).flatMap(queriesOf).length).toBeGreaterThan(30);
  });

  test('every rule expression parses and names only catalogued metrics and labels', () => {
    const problems = groups.flatMap((g) => g.rules.flatMap((r) => queryProblems(r.expr, recorded).map((p) => `${'alert' in r ? r.alert : r.record}: ${p}`)));
    expect(problems).toEqual([]);
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
  const recorded = new Set(['model:switchyard_requests:rate5m']);
  test.each([
    ['a misspelt gateway metric', 'rate(switchyard_request_total[5m])', 'unknown metric "switchyard_request_total"'],
    ['a label the metric does not have', 'switchyard_requests_total{tenant="a"}', 'switchyard_requests_total has no label tenant'],
    ['a histogram series with a wrong suffix', 'switchyard_gateway_overhead_seconds_total', 'unknown metric "switchyard_gateway_overhead_seconds_total"'],
    ['a metric named through __name__', '{__name__="nope"}', 'unknown metric "nope"'],
    ['a syntax error', 'sum(rate(up[5m])', 'syntax error'],
  ])('%s', (_case, expr, message) => {
    expect(queryProblems(expr, recorded).join('\n')).toContain(message);
  });
  test('a valid query has no problems', () => {
    expect(queryProblems('sum by (model) (model:switchyard_requests:rate5m) / on () group_left sum(up{job="gateway"})', recorded)).toEqual([]);
  });
});
