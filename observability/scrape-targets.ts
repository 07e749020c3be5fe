/**
 * What Prometheus scrapes, derived from the config: each enabled workload that serves metrics, the
 * exporters the observability chart adds (Redis, kube-state-metrics, the GPU vendor's exporter),
 * and every kubelet (its own metrics, cAdvisor and resource metrics). One table feeds both the raw
 * Prometheus config and, in prometheus-operator mode, the ServiceMonitors.
 *
 * Node metrics come from the kubelet (`/metrics/resource`: node CPU and memory; cAdvisor:
 * machine size) rather than node-exporter, which needs the host's network, PID namespace and root
 * filesystem: a privileged pod the platform does not need for the CPU, memory and volume numbers it
 * shows. See docs/observability.md.
 */
import { type WorkloadName, platformPodGroups } from '../charts/pod-groups';
import type { PlatformConfig } from '../config/platform-config';
import type { PodGroup } from '../constructs/kube/allow-traffic';
import { selectorLabels } from '../constructs/kube/labels';
import { GPU_EXPORTER_METRICS, type GpuVendor, platformGpuVendor } from './gpu-metrics';
import { gpuExporterNamespace } from './platform-namespaces';

/** Ports the workloads serve metrics on: a contract with each workload's construct. */
export const METRICS_PORTS = {
  gateway: 8080,
  qdrant: 6333,
  minio: 9000,
  redisExporter: 9121,
  kubeStateMetrics: 8080,
  kubelet: 10250,
} as const;

/** Qdrant's API key: the same Secret name and key as the data tier's (constructs/data/data-secrets.ts). */
export const QDRANT_API_KEY = { secretName: 'qdrant-api-key', key: 'api-key' } as const;

/** Pods of one workload, scraped on one port. */
export interface PodScrapeTarget {
  /** The `job` label of its series; dashboards and alerts select on it. */
  readonly job: string;
  readonly group: PodGroup;
  readonly port: number;
  readonly path: string;
  /**
   * The exporter reports on other pods (kube-state-metrics labels series with the pod they
   * describe, GPU exporters with the pod using the GPU): keep the exporter's `namespace` and `pod`
   * labels (honor_labels) instead of setting the scraped pod's, which would rename them
   * `exported_namespace` and `exported_pod`.
   * @default false
   */
  readonly reportsOnOtherPods?: boolean;
  /**
   * No Service selects the pods (the GPU exporter's DaemonSet): in prometheus-operator mode they
   * are scraped through a PodMonitor rather than a ServiceMonitor.
   * @default false
   */
  readonly withoutService?: boolean;
  /**
   * A Secret key whose value is sent as the bearer token (Qdrant's API key guards /metrics too).
   * Prometheus mounts it from a Secret of the same name in its own namespace.
   * @default - no authorization
   */
  readonly bearerSecret?: { readonly secretName: string; readonly key: string };
  /** Exporter labels renamed at scrape time, e.g. AMD's `gpu_id` to `gpu`. @default - none */
  readonly renameLabels?: Readonly<Record<string, string>>;
}

/** One kubelet endpoint, scraped on every node. */
export interface KubeletScrapeTarget {
  readonly job: string;
  readonly path: string;
  /** Only these metric names are kept (cAdvisor alone exposes thousands of series per node). */
  readonly keepMetrics: readonly string[];
}

/** The GPU exporter's pods: a namespace of their own, since they need host devices (privileged). */
export function gpuExporterGroup(config: PlatformConfig, vendor: GpuVendor): PodGroup {
  const name = vendor === 'nvidia' ? 'dcgm-exporter' : 'amd-metrics-exporter';
  return { name, namespace: gpuExporterNamespace(config), podLabels: selectorLabels({ name, instance: config.name }) };
}

export function podScrapeTargets(config: PlatformConfig): PodScrapeTarget[] {
  const groups = platformPodGroups(config);
  const on = config.components;
  const target = (job: WorkloadName, port: number, path = '/metrics'): PodScrapeTarget => ({ job, group: groups[job], port, path });
  const targets: PodScrapeTarget[] = [];
  if (on.gateway) targets.push(target('gateway', METRICS_PORTS.gateway));
  if (on.qdrant) targets.push({ ...target('qdrant', METRICS_PORTS.qdrant), bearerSecret: QDRANT_API_KEY });
  // MinIO serves cluster metrics without a token when MINIO_PROMETHEUS_AUTH_TYPE=public.
  if (on.minio) targets.push(target('minio', METRICS_PORTS.minio, '/minio/v2/metrics/cluster'));
  if (on.redis) targets.push({ ...target('redis-exporter', METRICS_PORTS.redisExporter), job: 'redis' });
  targets.push({ ...target('kube-state-metrics', METRICS_PORTS.kubeStateMetrics), reportsOnOtherPods: true });
  const vendor = platformGpuVendor(config);
  if (vendor) {
    const gpu = GPU_EXPORTER_METRICS[vendor];
    targets.push({
      job: 'gpu',
      group: gpuExporterGroup(config, vendor),
      port: gpu.port,
      path: gpu.path,
      reportsOnOtherPods: true,
      withoutService: true,
      renameLabels: gpu.gpuIndexLabel === 'gpu' ? undefined : { [gpu.gpuIndexLabel]: 'gpu' },
    });
  }
  return targets;
}

/** cAdvisor series the dashboards and rules read. */
export const CADVISOR_METRICS = [
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'container_cpu_cfs_throttled_periods_total',
  'container_cpu_cfs_periods_total',
  'machine_cpu_cores',
  'machine_memory_bytes',
] as const;

/** Kubelet series (volume stats of every mounted PVC). */
export const KUBELET_METRICS = [
  'kubelet_volume_stats_used_bytes',
  'kubelet_volume_stats_capacity_bytes',
  'kubelet_volume_stats_available_bytes',
] as const;

/** Kubelet resource-metrics series: per-node CPU and memory. */
export const KUBELET_RESOURCE_METRICS = ['node_cpu_usage_seconds_total', 'node_memory_working_set_bytes'] as const;

export const KUBELET_SCRAPE_TARGETS: readonly KubeletScrapeTarget[] = [
  { job: 'kubelet', path: '/metrics', keepMetrics: KUBELET_METRICS },
  { job: 'cadvisor', path: '/metrics/cadvisor', keepMetrics: CADVISOR_METRICS },
  { job: 'kubelet-resource', path: '/metrics/resource', keepMetrics: KUBELET_RESOURCE_METRICS },
];

/** The namespaces Prometheus discovers pods in (and so may list pods in). */
export function scrapedNamespaces(config: PlatformConfig): string[] {
  return [...new Set(podScrapeTargets(config).map((t) => t.group.namespace))].sort();
}
