/**
 * Recording rules: the aggregates dashboards and alerts share, computed once per evaluation.
 * Names follow Prometheus's `level:metric:operations` convention. GPU series are normalised here
 * from the vendor's exporter into vendor-neutral `gpu:*` series. Per-model estimates of the model
 * servers' CPU and GPU use are explained in model-attribution.ts.
 */
import { metricCatalog as m } from '../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../config/platform-config';
import { GPU_EXPORTER_METRICS, platformGpuVendor } from './gpu-metrics';
import { modelServerPodMatcher, modelServerProviderMatcher, modelServerProviders } from './model-attribution';
import type { RecordingRule, RuleGroup } from './rule-group';
import { platformNamespaceMatcher } from './platform-namespaces';

/** Record names, so alerts and panels refer to them by constant. */
export const RECORDED = {
  requestsRate: 'model:switchyard_requests:rate5m',
  requestErrorsRate: 'model:switchyard_request_errors:rate5m',
  requestErrorRatio: 'model:switchyard_request_errors:ratio_rate5m',
  latencyP50: 'model:gen_ai_client_operation_duration_seconds:p50_5m',
  latencyP95: 'model:gen_ai_client_operation_duration_seconds:p95_5m',
  latencyP99: 'model:gen_ai_client_operation_duration_seconds:p99_5m',
  timeToFirstTokenP50: 'model:gen_ai_server_time_to_first_token_seconds:p50_5m',
  timeToFirstTokenP95: 'model:gen_ai_server_time_to_first_token_seconds:p95_5m',
  upstreamErrorRatio: 'provider_target:switchyard_upstream_errors:ratio_rate5m',
  cacheHitRatio: 'model:switchyard_cache_hits:ratio_rate30m',
  tokensRate: 'model_token_type:switchyard_tokens:rate5m',
  costPerHour: 'tenant_key:switchyard_cost_usd:increase1h',
  podCpu: 'namespace_pod:container_cpu_usage_seconds:rate5m',
  podMemory: 'namespace_pod:container_memory_working_set_bytes:sum',
  gpuUtilization: 'gpu:utilization:ratio',
  gpuMemoryUsedRatio: 'gpu:memory_used:ratio',
  gpuMemoryUsedBytes: 'gpu:memory_used:bytes',
  modelServerTimeShare: 'gen_ai_response_model:gen_ai_client_operation_duration_seconds:share_rate5m',
  modelServerCpuEstimate: 'gen_ai_response_model:container_cpu_usage_seconds:estimate_rate5m',
  modelServerGpuEstimate: 'gen_ai_response_model:gpu_utilization:estimate_ratio',
} as const;

/** Latency of served requests (errors have their own rules) by client model, at quantile `q`. */
function latencyQuantile(q: number): string {
  return `histogram_quantile(${q}, sum by (le, gen_ai_request_model) (rate(${m.operationDuration.name}_bucket{error_type="none"}[5m])))`;
}

function timeToFirstTokenQuantile(q: number): string {
  return `histogram_quantile(${q}, sum by (le, gen_ai_request_model) (rate(${m.timeToFirstToken.name}_bucket[5m])))`;
}

/**
 * The model servers' CPU and GPU use split between their models by each model's share of the
 * request-seconds the gateway spent on them (model-attribution.ts). No series while no request
 * reaches them: idle time is then nobody's. Undefined without an in-cluster model server provider.
 */
function modelServerRules(config: PlatformConfig, gpus: boolean): RuleGroup | undefined {
  const providers = modelServerProviders(config);
  if (providers.length === 0) return undefined;
  const requestSeconds = `rate(${m.operationDuration.name}_sum{${modelServerProviderMatcher(providers)}}[5m])`;
  const pods = modelServerPodMatcher(config);
  const rules: RecordingRule[] = [
    {
      record: RECORDED.modelServerTimeShare,
      expr: `(sum by (gen_ai_response_model) (${requestSeconds}) > 0) / on () group_left () sum(${requestSeconds})`,
    },
    {
      record: RECORDED.modelServerCpuEstimate,
      expr: `${RECORDED.modelServerTimeShare} * on () group_left () sum(rate(container_cpu_usage_seconds_total{container!="", ${pods}}[5m]))`,
    },
  ];
  if (gpus)
    rules.push({
      record: RECORDED.modelServerGpuEstimate,
      expr: `${RECORDED.modelServerTimeShare} * on () group_left () sum(${RECORDED.gpuUtilization}{${pods}})`,
    });
  return { name: 'switchyard-models.rules', rules };
}

export function recordingRuleGroups(config: PlatformConfig): RuleGroup[] {
  const groups: RuleGroup[] = [];
  if (config.components.gateway)
    groups.push({
      name: 'switchyard-gateway.rules',
      rules: [
        { record: RECORDED.requestsRate, expr: `sum by (model) (rate(${m.requests.name}[5m]))` },
        { record: RECORDED.requestErrorsRate, expr: `sum by (model) (rate(${m.requests.name}{status=~"5.."}[5m]))` },
        { record: RECORDED.requestErrorRatio, expr: `${RECORDED.requestErrorsRate} / ${RECORDED.requestsRate}` },
        { record: RECORDED.latencyP50, expr: latencyQuantile(0.5) },
        { record: RECORDED.latencyP95, expr: latencyQuantile(0.95) },
        { record: RECORDED.latencyP99, expr: latencyQuantile(0.99) },
        { record: RECORDED.timeToFirstTokenP50, expr: timeToFirstTokenQuantile(0.5) },
        { record: RECORDED.timeToFirstTokenP95, expr: timeToFirstTokenQuantile(0.95) },
        {
          record: RECORDED.upstreamErrorRatio,
          expr: `sum by (provider, target_model) (rate(${m.upstreamAttempts.name}{outcome!="success"}[5m])) / sum by (provider, target_model) (rate(${m.upstreamAttempts.name}[5m]))`,
        },
        {
          record: RECORDED.cacheHitRatio,
          expr: `sum by (model) (rate(${m.cacheLookups.name}{result="hit"}[30m])) / sum by (model) (rate(${m.cacheLookups.name}{result=~"hit|miss"}[30m]))`,
        },
        { record: RECORDED.tokensRate, expr: `sum by (model, token_type) (rate(${m.tokens.name}[5m]))` },
        { record: RECORDED.costPerHour, expr: `sum by (tenant, key_id) (increase(${m.cost.name}[1h]))` },
      ],
    });

  const namespaces = platformNamespaceMatcher(config);
  groups.push({
    name: 'switchyard-pods.rules',
    rules: [
      {
        record: RECORDED.podCpu,
        expr: `sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!="", namespace=~"${namespaces}"}[5m]))`,
      },
      {
        record: RECORDED.podMemory,
        expr: `sum by (namespace, pod) (container_memory_working_set_bytes{container!="", namespace=~"${namespaces}"})`,
      },
    ],
  });

  const vendor = platformGpuVendor(config);
  if (vendor) {
    const gpu = GPU_EXPORTER_METRICS[vendor];
    groups.push({
      name: 'switchyard-gpu.rules',
      rules: [
        { record: RECORDED.gpuUtilization, expr: gpu.utilizationRatio },
        { record: RECORDED.gpuMemoryUsedRatio, expr: gpu.memoryUsedRatio },
        { record: RECORDED.gpuMemoryUsedBytes, expr: gpu.memoryUsedBytes },
      ],
    });
  }
  // Reads gpu:utilization:ratio; groups are evaluated independently, so at most one interval behind.
  const models = modelServerRules(config, vendor !== undefined);
  if (models) groups.push(models);
  return groups;
}
