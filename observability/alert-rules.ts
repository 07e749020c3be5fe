/**
 * Alerts: each names what is wrong and where (summary), what it means (description), what to do
 * first (runbook) and how urgent it is (severity). Thresholds live in ALERT_THRESHOLDS so the docs
 * and the promtool unit tests read the same numbers. Annotations template only `$labels`, so every
 * annotation is known in advance and the unit tests compare them exactly.
 */
import { CIRCUIT_STATE_VALUES, metricCatalog as m } from '../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../config/platform-config';
import { platformGpuVendor } from './gpu-metrics';
import { platformNamespaceMatcher } from './platform-namespaces';
import { RECORDED } from './recording-rules';
import type { AlertingRule, RuleGroup } from './rule-group';

export const ALERT_THRESHOLDS = {
  /** Share of requests answered with a 5xx. */
  errorRatio: 0.05,
  /** Requests per second below which a model's error ratio is too noisy to alert on. */
  minRequestsPerSecond: 0.05,
  latencyP99Seconds: 30,
  timeToFirstTokenP95Seconds: 5,
  upstreamErrorRatio: 0.25,
  /** Rate-limit rejections per second, per key, held for 15 minutes. */
  rateLimitRejectionsPerSecond: 0.1,
  cacheHitRatio: 0.05,
  /** Cache lookups per second below which a low hit ratio is not worth a hint. */
  minCacheLookupsPerSecond: 0.1,
  gpuMemoryUsedRatio: 0.95,
  /** Container restarts within 30 minutes. */
  restartsIn30m: 3,
  volumeFreeRatio: 0.1,
  volumeFreeRatioSoon: 0.25,
} as const;

function percent(ratio: number): string {
  return `${Math.round(ratio * 100)}%`;
}

function gatewayAlerts(): AlertingRule[] {
  const t = ALERT_THRESHOLDS;
  return [
    {
      alert: 'SwitchyardGatewayDown',
      expr: 'absent(up{job="gateway"} == 1)',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'No gateway instance is up',
        description: 'Prometheus has not scraped a healthy gateway for 5 minutes: clients get no answers.',
        runbook: 'kubectl -n <gateway namespace> get pods,events; read the gateway logs for the config error or crash.',
      },
    },
    {
      alert: 'SwitchyardHighErrorRatio',
      expr: `${RECORDED.requestErrorRatio} > ${t.errorRatio} and on (model) ${RECORDED.requestsRate} > ${t.minRequestsPerSecond}`,
      for: '10m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Gateway answers more than ${percent(t.errorRatio)} of requests for model {{ $labels.model }} with a server error`,
        description: 'Clients of {{ $labels.model }} are getting 5xx answers; see the "Errors by type" panel for the error types.',
        runbook: 'Check upstream errors and open circuits for the targets of {{ $labels.model }}, then the gateway logs.',
      },
    },
    {
      alert: 'SwitchyardHighLatencyP99',
      expr: `${RECORDED.latencyP99} > ${t.latencyP99Seconds}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `p99 latency of model {{ $labels.gen_ai_request_model }} is above ${t.latencyP99Seconds}s`,
        description: `The slowest 1% of requests for {{ $labels.gen_ai_request_model }} take more than ${t.latencyP99Seconds} seconds.`,
        runbook: 'Compare the gateway overhead with upstream time; check GPU use and queueing on the model server.',
      },
    },
    {
      alert: 'SwitchyardSlowTimeToFirstToken',
      expr: `${RECORDED.timeToFirstTokenP95} > ${t.timeToFirstTokenP95Seconds}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `p95 time to first token of model {{ $labels.gen_ai_request_model }} is above ${t.timeToFirstTokenP95Seconds}s`,
        description: `Streaming clients of {{ $labels.gen_ai_request_model }} wait more than ${t.timeToFirstTokenP95Seconds} seconds for the first token.`,
        runbook: 'Look for model loads (Ollama unloading idle models), GPU memory pressure or a busy upstream.',
      },
    },
    {
      alert: 'SwitchyardUpstreamErrors',
      expr: `${RECORDED.upstreamErrorRatio} > ${t.upstreamErrorRatio}`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `More than ${percent(t.upstreamErrorRatio)} of attempts to {{ $labels.provider }}/{{ $labels.target_model }} fail`,
        description: 'The gateway retries and falls back, but {{ $labels.provider }} is failing often.',
        runbook: 'Check the provider status and credentials; the outcome label of switchyard_upstream_attempts_total names the error kind.',
      },
    },
    {
      alert: 'SwitchyardCircuitOpen',
      expr: `max by (provider, target_model) (${m.circuitState.name}) == ${CIRCUIT_STATE_VALUES.open}`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Circuit to {{ $labels.provider }}/{{ $labels.target_model }} is open',
        description: 'The gateway stopped sending requests to this target after consecutive failures; traffic goes to fallbacks.',
        runbook: 'Find why {{ $labels.provider }} fails (upstream attempts by outcome); the circuit closes by itself once probes succeed.',
      },
    },
    {
      alert: 'SwitchyardRateLimitRejections',
      expr: `sum by (tenant, key_id) (rate(${m.rateLimitRejections.name}[10m])) > ${t.rateLimitRejectionsPerSecond}`,
      for: '15m',
      labels: { severity: 'info' },
      annotations: {
        summary: 'Key {{ $labels.key_id }} of tenant {{ $labels.tenant }} keeps hitting its rate limit',
        description: 'Requests of this key are refused with 429 for 15 minutes or more.',
        runbook: 'Confirm the traffic is expected, then raise the key limits (rpm, tpm) in the gateway config.',
      },
    },
    {
      alert: 'SwitchyardBudgetRejections',
      expr: `sum by (tenant, key_id, scope) (rate(${m.budgetRejections.name}[10m])) > 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Requests of key {{ $labels.key_id }} (tenant {{ $labels.tenant }}) are refused: {{ $labels.scope }} budget spent',
        description: 'The monthly budget is used up; the gateway refuses paid requests until the month ends or the budget grows.',
        runbook: 'Review spend on the "Cost per hour" panel, then raise monthlyBudgetUsd or ask the tenant to wait.',
      },
    },
    {
      alert: 'SwitchyardBudgetExhausted',
      expr: `${m.budgetRemaining.name} <= 0`,
      for: '5m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The {{ $labels.scope }} budget of {{ $labels.id }} is spent',
        description: 'Paid requests under this budget are refused until the month ends.',
        runbook: 'Raise monthlyBudgetUsd in the gateway config if the spend is expected.',
      },
    },
    {
      alert: 'SwitchyardComplianceRefusals',
      expr: `sum by (operation, data_class) (rate(${m.complianceDecisions.name}{outcome="refused"}[10m])) > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The gateway refuses {{ $labels.data_class }} {{ $labels.operation }} requests for compliance',
        description: 'Sensitive requests may only reach private models; they are refused when no private target can serve them.',
        runbook: 'Check that the private model servers (Ollama) are up and serve the requested models.',
      },
    },
    {
      alert: 'SwitchyardCacheHitRatioLow',
      expr: `${RECORDED.cacheHitRatio} < ${t.cacheHitRatio} and on (model) sum by (model) (rate(${m.cacheLookups.name}[30m])) > ${t.minCacheLookupsPerSecond}`,
      for: '1h',
      labels: { severity: 'info' },
      annotations: {
        summary: `Response cache hit ratio of model {{ $labels.model }} is below ${percent(t.cacheHitRatio)}`,
        description: 'The cache costs a Redis round trip per request and saves almost nothing for this model.',
        runbook: 'Check the cache TTL and whether requests for {{ $labels.model }} repeat; consider turning the cache off for it.',
      },
    },
    {
      alert: 'SwitchyardStateBackendErrors',
      expr: `sum by (stage, action) (rate(${m.stateErrors.name}[5m])) > 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'The gateway cannot reach Redis for {{ $labels.stage }} ({{ $labels.action }})',
        description:
          'Rate limits, budgets or the cache run without their shared state: limits may be loose (fail_open) or requests refused (fail_closed).',
        runbook: 'kubectl -n <data namespace> get pods; check Redis memory, the redis target and the gateway to Redis network policy.',
      },
    },
    {
      alert: 'SwitchyardConfigReloadFailed',
      expr: `${m.configLastReloadSuccess.name} == 0`,
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Gateway pod {{ $labels.pod }} refused its newest config',
        description: 'It keeps serving the previous config; the change you applied is not live.',
        runbook: 'Read the gateway log line "config reload failed": it names the field and the allowed values.',
      },
    },
  ];
}

function platformAlerts(config: PlatformConfig): AlertingRule[] {
  const t = ALERT_THRESHOLDS;
  const ns = platformNamespaceMatcher(config);
  const free = `kubelet_volume_stats_available_bytes{namespace=~"${ns}"} / kubelet_volume_stats_capacity_bytes{namespace=~"${ns}"}`;
  const alerts: AlertingRule[] = [
    {
      alert: 'SwitchyardTargetDown',
      expr: 'up == 0',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Prometheus cannot scrape {{ $labels.job }} at {{ $labels.instance }}',
        description: 'Its metrics, dashboards and alerts are blind while the target is down.',
        runbook: 'Open Prometheus /targets for the scrape error; check the pod, its metrics port and the network policy from Prometheus.',
      },
    },
    {
      alert: 'SwitchyardPodRestarting',
      expr: `increase(kube_pod_container_status_restarts_total{namespace=~"${ns}"}[30m]) > ${t.restartsIn30m}`,
      labels: { severity: 'warning' },
      annotations: {
        summary: `Container {{ $labels.container }} of {{ $labels.namespace }}/{{ $labels.pod }} restarted more than ${t.restartsIn30m} times in 30 minutes`,
        description: 'A crash loop or OOM kill makes the workload flap.',
        runbook:
          'kubectl -n {{ $labels.namespace }} describe pod {{ $labels.pod }} (last state, OOMKilled?) and read its previous logs (--previous).',
      },
    },
    {
      alert: 'SwitchyardVolumeFull',
      expr: `${free} < ${t.volumeFreeRatio}`,
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: `Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} has less than ${percent(t.volumeFreeRatio)} free`,
        description: 'When it fills, the workload writing to it fails (Prometheus, Redis, Qdrant, MinIO or models).',
        runbook: 'Grow the PVC (the StorageClass must allow expansion) or free space; for Prometheus lower the retention.',
      },
    },
    {
      alert: 'SwitchyardVolumeFillingUp',
      expr: `${free} < ${t.volumeFreeRatioSoon} and predict_linear(kubelet_volume_stats_available_bytes{namespace=~"${ns}"}[6h], 4 * 24 * 3600) < 0`,
      for: '1h',
      labels: { severity: 'warning' },
      annotations: {
        summary: 'Volume {{ $labels.namespace }}/{{ $labels.persistentvolumeclaim }} will be full within 4 days',
        description: `It has less than ${percent(t.volumeFreeRatioSoon)} free and the last 6 hours of growth fill it within 4 days.`,
        runbook: 'Plan the PVC expansion now, or find what writes unexpectedly (model pulls, logs, unbounded retention).',
      },
    },
  ];
  if (platformGpuVendor(config))
    alerts.push({
      alert: 'SwitchyardGpuMemoryPressure',
      expr: `${RECORDED.gpuMemoryUsedRatio} > ${t.gpuMemoryUsedRatio}`,
      for: '15m',
      labels: { severity: 'warning' },
      annotations: {
        summary: `GPU {{ $labels.gpu }} on node {{ $labels.node }} has more than ${percent(t.gpuMemoryUsedRatio)} of its memory in use`,
        description: 'Model servers will fail to load another model or fall back to slow CPU offload.',
        runbook: 'Lower the number of models kept loaded (OLLAMA_MAX_LOADED_MODELS) or their context size, or add a GPU node.',
      },
    });
  return alerts;
}

export function alertRuleGroups(config: PlatformConfig): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (config.components.gateway) groups.push({ name: 'switchyard-gateway.alerts', rules: gatewayAlerts() });
  groups.push({ name: 'switchyard-platform.alerts', rules: platformAlerts(config) });
  return groups;
}
