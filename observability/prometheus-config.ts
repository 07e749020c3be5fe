/**
 * The Prometheus configuration file (prometheus.yml) of the platform's own Prometheus, built from
 * the scrape target table: Kubernetes service discovery of pods, limited to their namespaces and
 * label selectors (so discovery needs only namespaced `list`/`watch` on pods), and of nodes for the
 * kubelet endpoints. Typed for the part of the format it uses; `promtool check config` is the
 * authority, and the tests run it on every profile.
 */
import type { PlatformConfig } from '../config/platform-config';
import { oneOf, regexLiteral } from './promql-regex';
import { KUBELET_SCRAPE_TARGETS, type KubeletScrapeTarget, type PodScrapeTarget, podScrapeTargets } from './scrape-targets';

export interface RelabelConfig {
  readonly source_labels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly target_label?: string;
  readonly replacement?: string;
  readonly action?: 'replace' | 'keep' | 'drop' | 'labeldrop' | 'labelkeep' | 'labelmap';
}

/** `endpoints` is what prometheus-operator discovers a ServiceMonitor's targets with; this config uses pod and node. */
export type KubernetesSdRole = 'pod' | 'node' | 'endpoints';

export interface KubernetesSdConfig {
  readonly role: KubernetesSdRole;
  readonly namespaces?: { readonly names: readonly string[] };
  readonly selectors?: readonly { readonly role: KubernetesSdRole; readonly label?: string }[];
}

export interface ScrapeConfig {
  readonly job_name: string;
  readonly scheme?: 'http' | 'https';
  readonly metrics_path?: string;
  readonly honor_labels?: boolean;
  readonly authorization?: { readonly credentials_file: string };
  readonly tls_config?: { readonly ca_file: string; readonly insecure_skip_verify?: boolean };
  readonly kubernetes_sd_configs?: readonly KubernetesSdConfig[];
  readonly static_configs?: readonly { readonly targets: readonly string[]; readonly labels?: Readonly<Record<string, string>> }[];
  readonly file_sd_configs?: readonly { readonly files: readonly string[]; readonly refresh_interval?: string }[];
  readonly relabel_configs?: readonly RelabelConfig[];
  readonly metric_relabel_configs?: readonly RelabelConfig[];
}

export interface PrometheusConfig {
  readonly global: {
    readonly scrape_interval: string;
    readonly evaluation_interval: string;
    readonly external_labels: Readonly<Record<string, string>>;
  };
  readonly rule_files: readonly string[];
  readonly scrape_configs: readonly ScrapeConfig[];
}

/** Directories the config refers to. */
export interface PrometheusPaths {
  /** Where the pod's ServiceAccount token and cluster CA are mounted. */
  readonly serviceAccountDir: string;
  /** Where the rule files are mounted. */
  readonly rulesDir: string;
  /** Where scrape credentials are mounted, as `<dir>/<secret>/<key>`. */
  readonly secretsDir: string;
}

/** The paths inside the Prometheus pod. */
export const IN_CLUSTER_PATHS: PrometheusPaths = {
  serviceAccountDir: '/var/run/secrets/kubernetes.io/serviceaccount',
  rulesDir: '/etc/prometheus/rules',
  secretsDir: '/etc/prometheus/secrets',
};

/**
 * Labels every pod target carries: `job` (the scrape job's name), `instance` (the scraped address)
 * and what `podTargetRelabelings` sets. The raw config and the operator's monitors produce the same
 * set, so rules, alerts and panels read the same series in both modes.
 */
export const POD_TARGET_LABELS = ['job', 'instance', 'namespace', 'pod', 'node'] as const;

/**
 * Relabelling shared by the raw config and the operator's monitors, after each has picked the
 * metrics port: no target for a pod that is not running, and the target labels taken from the
 * scraped pod: its namespace, name and node. An exporter that reports on other pods (the GPU
 * exporter) gets only `node`: its series carry `namespace` and `pod` of the pod using the GPU, which
 * honor_labels keeps, and a GPU no pod uses has none rather than the exporter's own.
 */
export function podTargetRelabelings(target: PodScrapeTarget): RelabelConfig[] {
  const node: RelabelConfig = { source_labels: ['__meta_kubernetes_pod_node_name'], target_label: 'node' };
  return [
    { source_labels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed', action: 'drop' },
    ...(target.reportsOnOtherPods
      ? [node]
      : [
          { source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' },
          { source_labels: ['__meta_kubernetes_pod_name'], target_label: 'pod' },
          node,
        ]),
  ];
}

/** Exporter labels renamed at scrape time (AMD's `gpu_id` to `gpu`): copied, then the original dropped. */
export function labelRenameRelabelings(target: PodScrapeTarget): RelabelConfig[] {
  return Object.entries(target.renameLabels ?? {}).flatMap(([from, to]) => [
    { source_labels: [from], target_label: to },
    { regex: regexLiteral(from), action: 'labeldrop' as const },
  ]);
}

function podScrapeConfig(target: PodScrapeTarget, paths: PrometheusPaths): ScrapeConfig {
  const { group } = target;
  const selector = Object.entries(group.podLabels)
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
  const renames = labelRenameRelabelings(target);
  return {
    job_name: target.job,
    metrics_path: target.path,
    honor_labels: target.reportsOnOtherPods ? true : undefined,
    authorization: target.bearerSecret
      ? { credentials_file: `${paths.secretsDir}/${target.bearerSecret.secretName}/${target.bearerSecret.key}` }
      : undefined,
    kubernetes_sd_configs: [{ role: 'pod', namespaces: { names: [group.namespace] }, selectors: [{ role: 'pod', label: selector }] }],
    relabel_configs: [
      // One target per declared container port: keep the metrics port only.
      { source_labels: ['__meta_kubernetes_pod_container_port_number'], regex: String(target.port), action: 'keep' },
      ...podTargetRelabelings(target),
    ],
    metric_relabel_configs: renames.length > 0 ? renames : undefined,
  };
}

/**
 * Kubelets are scraped directly on :10250 with the ServiceAccount token, which needs only
 * `get nodes/metrics` (the API server proxy would need `nodes/proxy`, which reaches far more of the
 * kubelet API). Kubelet serving certificates are self-signed on most clusters (k3s, EKS and GKE
 * unless serving-certificate bootstrap is on), so the server certificate is not verified; the
 * token still is, by the kubelet.
 */
function kubeletScrapeConfig(target: KubeletScrapeTarget, serviceAccountDir: string): ScrapeConfig {
  return {
    job_name: target.job,
    scheme: 'https',
    metrics_path: target.path,
    authorization: { credentials_file: `${serviceAccountDir}/token` },
    tls_config: { ca_file: `${serviceAccountDir}/ca.crt`, insecure_skip_verify: true },
    kubernetes_sd_configs: [{ role: 'node' }],
    relabel_configs: [{ source_labels: ['__meta_kubernetes_node_name'], target_label: 'node' }],
    metric_relabel_configs: [{ source_labels: ['__name__'], regex: oneOf(target.keepMetrics), action: 'keep' }],
  };
}

export function buildPrometheusConfig(config: PlatformConfig, paths: PrometheusPaths = IN_CLUSTER_PATHS): PrometheusConfig {
  const interval = `${config.observability.scrapeIntervalSeconds}s`;
  return {
    global: {
      scrape_interval: interval,
      evaluation_interval: interval,
      external_labels: { platform: config.name, environment: config.environment },
    },
    rule_files: [`${paths.rulesDir}/*.yaml`],
    scrape_configs: [
      { job_name: 'prometheus', static_configs: [{ targets: ['localhost:9090'] }] },
      ...podScrapeTargets(config).map((target) => podScrapeConfig(target, paths)),
      ...KUBELET_SCRAPE_TARGETS.map((target) => kubeletScrapeConfig(target, paths.serviceAccountDir)),
    ],
  };
}
