/**
 * What prometheus-operator writes into its Prometheus's config for one of our ServiceMonitors or
 * PodMonitors, so a real Prometheus can run the monitors' relabelling in a test. Transcribed from
 * the operator's config generator (pkg/prometheus/promcfg.go, generateServiceMonitorConfig and
 * generatePodMonitorConfig) for the fields our monitors use: label selector `matchLabels`,
 * `targetPort` / `portNumber` as a number, `path`, `honorLabels`, `relabelings`,
 * `metricRelabelings`. Left out: the sharding rules (one shard keeps every target) and
 * authorization (it does not touch labels).
 */
import type { RelabelConfig, ScrapeConfig } from '../../observability/prometheus-config';
import type { MonitorRelabeling } from '../../constructs/observability/operator-monitors';

export interface MonitorObject {
  readonly kind: 'ServiceMonitor' | 'PodMonitor';
  readonly metadata: { readonly name: string; readonly namespace: string };
  readonly spec: {
    readonly selector: { readonly matchLabels: Readonly<Record<string, string>> };
    readonly endpoints?: readonly MonitorEndpoint[];
    readonly podMetricsEndpoints?: readonly MonitorEndpoint[];
  };
}

interface MonitorEndpoint {
  readonly path?: string;
  readonly honorLabels?: boolean;
  readonly targetPort?: number;
  readonly portNumber?: number;
  readonly relabelings?: readonly MonitorRelabeling[];
  readonly metricRelabelings?: readonly MonitorRelabeling[];
}

/** The operator's sanitizeLabelName: a Kubernetes label key as a Prometheus label name. */
function labelName(key: string): string {
  return key.replace(/[^a-zA-Z0-9_]/g, '_');
}

/** The operator's generateRelabelConfig: camelCase fields to Prometheus's, actions lowercased. */
function prometheusRule(rule: MonitorRelabeling): RelabelConfig {
  return {
    source_labels: rule.sourceLabels,
    separator: rule.separator,
    target_label: rule.targetLabel,
    regex: rule.regex,
    replacement: rule.replacement,
    action: rule.action?.toLowerCase() as RelabelConfig['action'],
  };
}

const RUNNING_ONLY: RelabelConfig = { source_labels: ['__meta_kubernetes_pod_phase'], regex: '(Failed|Succeeded)', action: 'drop' };

function selectorKeeps(prefix: string, matchLabels: Readonly<Record<string, string>>): RelabelConfig[] {
  return Object.keys(matchLabels)
    .sort()
    .map((key) => ({
      source_labels: [`${prefix}_label_${labelName(key)}`, `${prefix}_labelpresent_${labelName(key)}`],
      regex: `(${matchLabels[key]});true`,
      action: 'keep' as const,
    }));
}

/** The relabelling the operator puts before the monitor's own, for the first endpoint. */
function operatorRelabelings(monitor: MonitorObject, endpoint: MonitorEndpoint): RelabelConfig[] {
  const { name, namespace } = monitor.metadata;
  const tmpJob: RelabelConfig = { source_labels: ['job'], target_label: '__tmp_prometheus_job_name' };
  if (monitor.kind === 'PodMonitor') {
    const port = String(endpoint.portNumber);
    return [
      tmpJob,
      RUNNING_ONLY,
      ...selectorKeeps('__meta_kubernetes_pod', monitor.spec.selector.matchLabels),
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: port, action: 'keep' },
      { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
      { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
      { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
      { target_label: 'job', replacement: `${namespace}/${name}` },
      { target_label: 'endpoint', replacement: port },
    ];
  }
  const port = String(endpoint.targetPort);
  const addressTarget = ['__meta_kubernetes_endpoint_address_target_kind', '__meta_kubernetes_endpoint_address_target_name'];
  return [
    tmpJob,
    ...selectorKeeps('__meta_kubernetes_service', monitor.spec.selector.matchLabels),
    { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: port, action: 'keep' },
    { source_labels: addressTarget, separator: ';', regex: 'Node;(.*)', replacement: '${1}', target_label: 'node' },
    { source_labels: addressTarget, separator: ';', regex: 'Pod;(.*)', replacement: '${1}', target_label: 'pod' },
    { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
    { source_labels: ['__meta_kubernetes_service_name'], target_label: 'service' },
    { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
    { source_labels: ['__meta_kubernetes_pod_container_name'], target_label: 'container' },
    RUNNING_ONLY,
    { source_labels: ['__meta_kubernetes_service_name'], target_label: 'job', replacement: '${1}' },
    { target_label: 'endpoint', replacement: port },
  ];
}

/** The scrape job the operator generates for the monitor's first endpoint. */
export function operatorScrapeConfig(monitor: MonitorObject): ScrapeConfig {
  const endpoint = (monitor.kind === 'PodMonitor' ? monitor.spec.podMetricsEndpoints : monitor.spec.endpoints)?.[0];
  if (!endpoint) throw new Error(`${monitor.kind} ${monitor.metadata.namespace}/${monitor.metadata.name} has no endpoint`);
  const { name, namespace } = monitor.metadata;
  const prefix = monitor.kind === 'PodMonitor' ? 'podMonitor' : 'serviceMonitor';
  return {
    job_name: `${prefix}/${namespace}/${name}/0`,
    honor_labels: endpoint.honorLabels ?? false,
    metrics_path: endpoint.path,
    kubernetes_sd_configs: [{ role: monitor.kind === 'PodMonitor' ? 'pod' : 'endpoints', namespaces: { names: [namespace] } }],
    relabel_configs: [...operatorRelabelings(monitor, endpoint), ...(endpoint.relabelings ?? []).map(prometheusRule)],
    metric_relabel_configs: (endpoint.metricRelabelings ?? []).map(prometheusRule),
  };
}
