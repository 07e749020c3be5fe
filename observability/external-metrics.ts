/**
 * Metric names the dashboards and rules read that do not come from the gateway's catalogue: each
 * from the exporter that serves it, and only those the scrape config keeps. With the gateway's
 * catalogue and the recording rules, this is the whole vocabulary a query may use (tests check it).
 */
import { CADVISOR_METRICS, KUBELET_METRICS, KUBELET_RESOURCE_METRICS } from './scrape-targets';
import { GPU_EXPORTER_METRICS } from './gpu-metrics';

/** Series Prometheus makes itself: per-target `up`, `ALERTS`, and its own metrics. */
export const PROMETHEUS_METRICS = ['up', 'ALERTS', 'prometheus_tsdb_head_series', 'prometheus_rule_evaluation_failures_total'] as const;

/** kube-state-metrics series (its `--metric-allowlist` keeps exactly these). */
export const KUBE_STATE_METRICS = ['kube_pod_container_status_restarts_total', 'kube_pod_status_phase'] as const;

export const EXTERNAL_METRICS: ReadonlySet<string> = new Set<string>([
  ...PROMETHEUS_METRICS,
  ...KUBE_STATE_METRICS,
  ...CADVISOR_METRICS,
  ...KUBELET_METRICS,
  ...KUBELET_RESOURCE_METRICS,
  ...Object.values(GPU_EXPORTER_METRICS).flatMap((gpu) => gpu.metricNames),
]);
