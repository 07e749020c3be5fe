/**
 * Metric names the dashboards and rules read that do not come from the gateway's catalogue: each
 * from the exporter that serves it, and only those the scrape config keeps, with the labels each
 * series carries once stored (the exporter's own labels plus its job's target labels). With the
 * gateway's catalogue and the recording rules, this is the whole vocabulary a query may use, label
 * matchers, grouping and legends included (tests check it).
 */
import { CADVISOR_METRICS, KUBELET_METRICS, KUBELET_RESOURCE_METRICS } from './scrape-targets';
import { GPU_EXPORTER_METRICS } from './gpu-metrics';
import { POD_TARGET_LABELS } from './prometheus-config';

/** Series Prometheus makes itself: per-target `up`, `ALERTS`, and its own metrics. */
export const PROMETHEUS_METRICS = ['up', 'ALERTS', 'prometheus_tsdb_head_series', 'prometheus_rule_evaluation_failures_total'] as const;

/** kube-state-metrics series (its `--metric-allowlist` keeps exactly these). */
export const KUBE_STATE_METRICS = ['kube_pod_container_status_restarts_total', 'kube_pod_status_phase'] as const;

/** Target labels of the jobs that report on nodes or other pods (kubelets, GPU exporter, kube-state-metrics). */
const NODE_TARGET_LABELS = ['job', 'instance', 'node'] as const;
/** The platform's own Prometheus job (a static target). */
const SELF_TARGET_LABELS = ['job', 'instance'] as const;
/** cAdvisor's labels on per-container series. */
const CADVISOR_CONTAINER_LABELS = ['container', 'id', 'image', 'name', 'namespace', 'pod'] as const;
/** cAdvisor's labels on machine series. */
const CADVISOR_MACHINE_LABELS = ['boot_id', 'machine_id', 'system_uuid'] as const;

type ExternalMetric =
  | (typeof PROMETHEUS_METRICS)[number]
  | (typeof KUBE_STATE_METRICS)[number]
  | (typeof CADVISOR_METRICS)[number]
  | (typeof KUBELET_METRICS)[number]
  | (typeof KUBELET_RESOURCE_METRICS)[number];

const labels = (own: readonly string[], target: readonly string[]): readonly string[] => [...own, ...target];

/**
 * The labels of each exporter series as stored. `ALERTS` lists the labels every alert has; each
 * alert adds its expression's labels (the tests add them from the rules).
 */
const LABELS: Readonly<Record<ExternalMetric, readonly string[]>> = {
  // Every job's target labels; kubelet and GPU targets have no namespace or pod.
  up: POD_TARGET_LABELS,
  ALERTS: ['alertname', 'alertstate', 'severity'],
  prometheus_tsdb_head_series: SELF_TARGET_LABELS,
  prometheus_rule_evaluation_failures_total: labels(['rule_group'], SELF_TARGET_LABELS),
  kube_pod_container_status_restarts_total: labels(['namespace', 'pod', 'uid', 'container'], NODE_TARGET_LABELS),
  kube_pod_status_phase: labels(['namespace', 'pod', 'uid', 'phase'], NODE_TARGET_LABELS),
  container_cpu_usage_seconds_total: labels([...CADVISOR_CONTAINER_LABELS, 'cpu'], NODE_TARGET_LABELS),
  container_memory_working_set_bytes: labels(CADVISOR_CONTAINER_LABELS, NODE_TARGET_LABELS),
  container_cpu_cfs_throttled_periods_total: labels(CADVISOR_CONTAINER_LABELS, NODE_TARGET_LABELS),
  container_cpu_cfs_periods_total: labels(CADVISOR_CONTAINER_LABELS, NODE_TARGET_LABELS),
  machine_cpu_cores: labels(CADVISOR_MACHINE_LABELS, NODE_TARGET_LABELS),
  machine_memory_bytes: labels(CADVISOR_MACHINE_LABELS, NODE_TARGET_LABELS),
  kubelet_volume_stats_used_bytes: labels(['namespace', 'persistentvolumeclaim'], NODE_TARGET_LABELS),
  kubelet_volume_stats_capacity_bytes: labels(['namespace', 'persistentvolumeclaim'], NODE_TARGET_LABELS),
  kubelet_volume_stats_available_bytes: labels(['namespace', 'persistentvolumeclaim'], NODE_TARGET_LABELS),
  node_cpu_usage_seconds_total: NODE_TARGET_LABELS,
  node_memory_working_set_bytes: NODE_TARGET_LABELS,
};

/** Every exporter series the platform reads, with its labels. */
export const EXTERNAL_METRIC_LABELS: ReadonlyMap<string, readonly string[]> = new Map<string, readonly string[]>([
  ...Object.entries(LABELS),
  ...Object.values(GPU_EXPORTER_METRICS).flatMap((gpu) =>
    gpu.metricNames.map((name) => [name, labels(gpu.seriesLabels, NODE_TARGET_LABELS)] as const),
  ),
]);

export const EXTERNAL_METRICS: ReadonlySet<string> = new Set(EXTERNAL_METRIC_LABELS.keys());
