/**
 * Platform health: are the targets up, are pods restarting, are volumes filling, which alerts fire,
 * and is Prometheus itself healthy.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../../config/platform-config';
import { platformNamespaceMatcher } from '../platform-namespaces';
import { RECORDED } from '../recording-rules';
import { platformDashboard, row, stat, timeseries } from './panels';

export const PLATFORM_HEALTH_UID = 'switchyard-health';

export function platformHealthDashboard(config: PlatformConfig): Dashboard {
  const ns = platformNamespaceMatcher(config);
  return platformDashboard(
    PLATFORM_HEALTH_UID,
    'Switchyard / Platform health',
    'Scrape targets, restarts, storage and firing alerts of the whole platform.',
  )
    .withRow(row('Now'))
    .withPanel(stat('Targets down', 'short', { expr: 'count(up == 0) or vector(0)', legend: 'down' }, { redAbove: 1 }))
    .withPanel(
      stat('Alerts firing', 'short', { expr: 'count(ALERTS{alertstate="firing"}) or vector(0)', legend: 'firing' }, { redAbove: 1 }),
    )
    .withPanel(
      stat(
        'Restarts, last hour',
        'short',
        { expr: `sum(increase(kube_pod_container_status_restarts_total{namespace=~"${ns}"}[1h])) or vector(0)`, legend: 'restarts' },
        { redAbove: 1 },
      ),
    )
    .withPanel(
      stat(
        'Fullest volume',
        'percentunit',
        {
          expr: `max(kubelet_volume_stats_used_bytes{namespace=~"${ns}"} / kubelet_volume_stats_capacity_bytes{namespace=~"${ns}"})`,
          legend: 'used',
        },
        { redAbove: 0.9 },
      ),
    )
    .withRow(row('Targets and alerts'))
    .withPanel(
      timeseries('Targets up by job', 'short', [
        { expr: 'sum by (job) (up)', legend: '{{job}} up' },
        { expr: 'count by (job) (up == 0)', legend: '{{job}} down' },
      ]),
    )
    .withPanel(
      timeseries('Firing alerts', 'short', [
        { expr: 'count by (alertname, severity) (ALERTS{alertstate="firing"})', legend: '{{alertname}} ({{severity}})' },
      ]),
    )
    .withRow(row('Pods'))
    .withPanel(
      timeseries('Container restarts (1h)', 'short', [
        {
          expr: `sum by (namespace, pod) (increase(kube_pod_container_status_restarts_total{namespace=~"${ns}"}[1h])) > 0`,
          legend: '{{namespace}}/{{pod}}',
        },
      ]),
    )
    .withPanel(
      timeseries('Pods not running', 'short', [
        {
          expr: `sum by (namespace, phase) (kube_pod_status_phase{namespace=~"${ns}", phase=~"Pending|Failed|Unknown"}) > 0`,
          legend: '{{namespace}} {{phase}}',
        },
      ]),
    )
    .withPanel(timeseries('CPU by pod', 'cores', [{ expr: `topk(15, ${RECORDED.podCpu})`, legend: '{{namespace}}/{{pod}}' }]))
    .withPanel(timeseries('Memory by pod', 'bytes', [{ expr: `topk(15, ${RECORDED.podMemory})`, legend: '{{namespace}}/{{pod}}' }]))
    .withRow(row('Storage'))
    .withPanel(
      timeseries('Volume use', 'percentunit', [
        {
          expr: `kubelet_volume_stats_used_bytes{namespace=~"${ns}"} / kubelet_volume_stats_capacity_bytes{namespace=~"${ns}"}`,
          legend: '{{namespace}}/{{persistentvolumeclaim}}',
        },
      ]),
    )
    .withPanel(
      timeseries('Volume free', 'bytes', [
        { expr: `kubelet_volume_stats_available_bytes{namespace=~"${ns}"}`, legend: '{{namespace}}/{{persistentvolumeclaim}}' },
      ]),
    )
    .withRow(row('Gateway and Prometheus'))
    .withPanel(
      timeseries('Gateway config loaded (1 ok, 0 refused)', 'none', [{ expr: m.configLastReloadSuccess.name, legend: '{{pod}}' }], {
        span: 8,
      }),
    )
    .withPanel(
      timeseries('Prometheus head series', 'short', [{ expr: 'prometheus_tsdb_head_series', legend: '{{instance}}' }], { span: 8 }),
    )
    .withPanel(
      timeseries(
        'Rule evaluation failures',
        'short',
        [{ expr: 'sum by (rule_group) (rate(prometheus_rule_evaluation_failures_total[$__rate_interval]))', legend: '{{rule_group}}' }],
        { span: 8 },
      ),
    )
    .build();
}
