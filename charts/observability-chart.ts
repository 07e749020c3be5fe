/**
 * Observability: Prometheus (or, when the cluster runs the prometheus-operator, ServiceMonitors and
 * a PrometheusRule for it), the exporters it needs (kube-state-metrics, redis_exporter, the GPU
 * vendor's exporter on GPU profiles), Grafana with the platform dashboards, and the network flows:
 * Prometheus to each metrics port, to the kubelets and to the API server; Grafana to Prometheus;
 * redis_exporter to Redis. The edge chart opens edge -> Grafana.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { gpuSchedulingFor } from '../constructs/models/gpu-scheduling';
import { allowTraffic, type ExternalPeer, type PodGroup } from '../constructs/kube/allow-traffic';
import { IntOrString, KubeNetworkPolicy } from '../constructs/kube/k8s';
import { PART_OF, workloadLabels } from '../constructs/kube/labels';
import { NAMESPACE_NAME_LABEL, TierNamespace } from '../constructs/kube/tier-namespace';
import { GpuMetricsExporter } from '../constructs/observability/gpu-metrics-exporter';
import { GRAFANA_PATH, Grafana } from '../constructs/observability/grafana';
import { KubeStateMetrics } from '../constructs/observability/kube-state-metrics';
import { OperatorMonitors } from '../constructs/observability/operator-monitors';
import { PROMETHEUS_PORT, PrometheusServer } from '../constructs/observability/prometheus-server';
import { RedisExporter } from '../constructs/observability/redis-exporter';
import { platformDashboards } from '../observability/dashboards/platform-dashboards';
import { platformGpuVendor } from '../observability/gpu-metrics';
import { gpuExporterNamespace, platformNamespaces } from '../observability/platform-namespaces';
import { buildPrometheusConfig } from '../observability/prometheus-config';
import { platformRuleGroups } from '../observability/platform-rules';
import { METRICS_PORTS, podScrapeTargets, scrapedNamespaces } from '../observability/scrape-targets';
import { platformPodGroups } from './pod-groups';

/** Redis's password Secret: the same name and key as the data tier's (constructs/data/data-secrets.ts). */
export const REDIS_PASSWORD_SECRET = { secretName: 'redis-auth', key: 'password' } as const;
const REDIS_PORT = 6379;

/**
 * The Kubernetes API server, for discovery. Its address differs per cluster (a cloud endpoint, a
 * node IP on k3s) and network policies see it after the Service's DNAT, so the rule allows any
 * address on the API ports only: 443 (EKS, GKE) and 6443 (k3s, kubeadm).
 */
export const KUBERNETES_API: ExternalPeer = { name: 'kube-apiserver', cidrs: ['0.0.0.0/0'] };
/** The kubelets, on the nodes' addresses (any address, port 10250 only). */
export const KUBELETS: ExternalPeer = { name: 'kubelets', cidrs: ['0.0.0.0/0'] };

/**
 * The operator's Prometheus pods, from its in-cluster URL (`<service>.<namespace>.svc...`):
 * prometheus-operator labels them `app.kubernetes.io/name: prometheus`. Undefined for a URL
 * outside the cluster.
 */
export function operatorPrometheusPods(url: string): PodGroup | undefined {
  const match = /^https?:\/\/[a-z0-9-]+\.([a-z0-9-]+)\.svc(\.cluster\.local)?(:\d+)?(\/|$)/.exec(url);
  return match ? { name: 'operator-prometheus', namespace: match[1], podLabels: { 'app.kubernetes.io/name': 'prometheus' } } : undefined;
}

function operatorPrometheusPort(url: string): number {
  const parsed = new URL(url);
  return parsed.port ? Number(parsed.port) : parsed.protocol === 'https:' ? 443 : 80;
}

/** Egress only from Grafana to the operator's Prometheus (an ingress policy there is not ours to write). */
function grafanaEgressTo(scope: Construct, grafana: PodGroup, prometheus: PodGroup, port: number): void {
  new KubeNetworkPolicy(scope, 'GrafanaToOperatorPrometheus', {
    metadata: {
      name: `${grafana.name}-to-${prometheus.name}`,
      namespace: grafana.namespace,
      labels: { 'app.kubernetes.io/part-of': PART_OF },
    },
    spec: {
      podSelector: { matchLabels: { ...grafana.podLabels } },
      policyTypes: ['Egress'],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: prometheus.namespace } },
              podSelector: { matchLabels: { ...prometheus.podLabels } },
            },
          ],
          ports: [{ protocol: 'TCP', port: IntOrString.fromNumber(port) }],
        },
      ],
    },
  });
}

export interface ObservabilityChartProps {
  readonly config: PlatformConfig;
}

export class ObservabilityChart extends Chart {
  constructor(scope: Construct, id: string, props: ObservabilityChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const obs = config.observability;
    const namespace = config.namespaces.observability;
    const groups = platformPodGroups(config);
    const operator = obs.prometheusOperator.enabled;
    const monitoring = config.components.prometheus;
    const targets = podScrapeTargets(config);
    const ruleGroups = platformRuleGroups(config);

    const vendor = platformGpuVendor(config);
    const gpu = gpuSchedulingFor(config);
    if (monitoring && vendor && gpu) {
      new TierNamespace(this, 'GpuExporterNamespace', {
        name: gpuExporterNamespace(config),
        tier: 'observability',
        podSecurity: 'privileged',
      });
      new GpuMetricsExporter(this, 'GpuMetricsExporter', {
        instance: config.name,
        namespace: gpuExporterNamespace(config),
        vendor,
        scheduling: gpu.scheduling,
      });
    }
    if (monitoring && config.components.redis) {
      new RedisExporter(this, 'RedisExporter', {
        instance: config.name,
        namespace: groups['redis-exporter'].namespace,
        redisUrl: `redis://${groups.redis.name}.${groups.redis.namespace}.svc.cluster.local:${REDIS_PORT}`,
        passwordSecret: REDIS_PASSWORD_SECRET,
      });
      allowTraffic(this, 'RedisExporterToRedis', { from: groups['redis-exporter'], to: groups.redis, ports: [REDIS_PORT] });
    }

    let prometheusUrl = obs.prometheusOperator.prometheusUrl;
    const operatorPrometheus = operatorPrometheusPods(prometheusUrl);
    if (monitoring && operator) {
      new OperatorMonitors(this, 'OperatorMonitors', {
        // kube-prometheus-stack brings its own kube-state-metrics and kubelet jobs.
        targets: targets.filter((t) => t.job !== 'kube-state-metrics'),
        ruleGroups,
        rulesNamespace: namespace,
        selectorLabels: obs.prometheusOperator.selectorLabels,
        labels: workloadLabels({ name: 'prometheus', component: 'monitoring', instance: config.name }),
        scrapeIntervalSeconds: obs.scrapeIntervalSeconds,
      });
      // Ingress only: the operator's namespace is not ours to put policies in.
      if (operatorPrometheus)
        for (const target of targets)
          allowTraffic(this, `OperatorPrometheusTo-${target.job}`, {
            from: operatorPrometheus,
            to: target.group,
            ports: [target.port],
            sourceEgress: false,
          });
    } else if (monitoring) {
      new KubeStateMetrics(this, 'KubeStateMetrics', { instance: config.name, namespace, watchedNamespaces: platformNamespaces(config) });
      allowTraffic(this, 'KubeStateMetricsToApiServer', { from: groups['kube-state-metrics'], to: KUBERNETES_API, ports: [443, 6443] });
      const prometheus = new PrometheusServer(this, 'Prometheus', {
        instance: config.name,
        namespace,
        config: buildPrometheusConfig(config),
        ruleGroups,
        podNamespaces: scrapedNamespaces(config),
        retention: obs.prometheus.retention,
        storageSize: obs.prometheus.storageSize,
        storageClassName: config.storage.storageClass,
        scrapeSecrets: targets.flatMap((t) => (t.bearerSecret ? [t.bearerSecret] : [])),
      });
      prometheusUrl = prometheus.url;
      for (const target of targets)
        allowTraffic(this, `PrometheusTo-${target.job}`, { from: prometheus.pods, to: target.group, ports: [target.port] });
      allowTraffic(this, 'PrometheusToKubelets', { from: prometheus.pods, to: KUBELETS, ports: [METRICS_PORTS.kubelet] });
      allowTraffic(this, 'PrometheusToApiServer', { from: prometheus.pods, to: KUBERNETES_API, ports: [443, 6443] });
    }

    if (config.components.grafana) {
      const scheme = config.exposure.tls.mode === 'none' ? 'http' : 'https';
      new Grafana(this, 'Grafana', {
        instance: config.name,
        namespace,
        rootUrl: `${scheme}://${config.exposure.hostname}${GRAFANA_PATH}/`,
        adminSecretName: obs.grafana.adminSecretName,
        prometheusUrl,
        dashboards: platformDashboards(config),
      });
      if (monitoring && !operator)
        allowTraffic(this, 'GrafanaToPrometheus', { from: groups.grafana, to: groups.prometheus, ports: [PROMETHEUS_PORT] });
      if (operator && operatorPrometheus) grafanaEgressTo(this, groups.grafana, operatorPrometheus, operatorPrometheusPort(prometheusUrl));
    }
  }
}
