/**
 * promtool unit-test cases for every alert: for each, at least one input that fires it (with the
 * exact labels expected) and one that does not. Inputs use promtool's series notation:
 * `0+60x30` starts at 0 and adds 60 per interval (1m) for 30 intervals.
 */
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../../config/platform-config';
import { platformGpuVendor } from '../../observability/gpu-metrics';

export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertCase {
  readonly alert: string;
  /** "fires when ..." or "quiet when ...". */
  readonly name: string;
  readonly input: readonly InputSeries[];
  /** When the alert is evaluated, e.g. 20m. */
  readonly evalTime: string;
  /** The labels of each expected alert, severity and alertname aside; empty: must not fire. */
  readonly fires: ReadonlyArray<Readonly<Record<string, string>>>;
}

function series(name: string, labels: Record<string, string>, values: string): InputSeries {
  const text = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .join(',');
  return { series: `${name}{${text}}`, values };
}

/** Buckets of a histogram that observes `perMinute` values of `seconds` each minute for `minutes`. */
function histogram(
  name: string,
  bounds: readonly number[],
  labels: Record<string, string>,
  seconds: number,
  perMinute: number,
  minutes: number,
): InputSeries[] {
  const bucket = (le: string, hit: boolean) => series(`${name}_bucket`, { ...labels, le }, `0+${hit ? perMinute : 0}x${minutes}`);
  return [...bounds.map((b) => bucket(String(b), seconds <= b)), bucket('+Inf', true)];
}

const duration = (value: number, perMinute = 60) =>
  histogram(
    m.operationDuration.name,
    m.operationDuration.buckets,
    {
      gen_ai_operation_name: 'chat',
      gen_ai_provider_name: 'ollama',
      gen_ai_request_model: 'chat',
      gen_ai_response_model: 'llama3',
      error_type: 'none',
    },
    value,
    perMinute,
    40,
  );
const firstToken = (value: number) =>
  histogram(
    m.timeToFirstToken.name,
    m.timeToFirstToken.buckets,
    { gen_ai_operation_name: 'chat', gen_ai_provider_name: 'ollama', gen_ai_request_model: 'chat', gen_ai_response_model: 'llama3' },
    value,
    60,
    40,
  );
const requests = (status: string, values: string) =>
  series(
    m.requests.name,
    {
      operation: 'chat',
      model: 'chat',
      provider: 'ollama',
      target_model: 'llama3',
      status,
      error_type: status === '200' ? 'none' : 'upstream_server_error',
    },
    values,
  );
const attempts = (outcome: string, values: string) =>
  series(m.upstreamAttempts.name, { provider: 'openai', target_model: 'gpt-4o', outcome }, values);
const cache = (result: string, values: string) => series(m.cacheLookups.name, { model: 'chat', result }, values);
const volume = (namespace: string, available: string) => [
  series('kubelet_volume_stats_available_bytes', { namespace, persistentvolumeclaim: 'data-qdrant-0' }, available),
  series('kubelet_volume_stats_capacity_bytes', { namespace, persistentvolumeclaim: 'data-qdrant-0' }, '100x600'),
];

export function alertCases(config: PlatformConfig): AlertCase[] {
  const gw = config.namespaces.gateway;
  const data = config.namespaces.data;
  const cases: AlertCase[] = [
    {
      alert: 'SwitchyardGatewayDown',
      name: 'fires when no gateway target is up',
      input: [series('up', { job: 'gateway', instance: 'a' }, '0x20')],
      evalTime: '10m',
      fires: [{}],
    },
    {
      alert: 'SwitchyardGatewayDown',
      name: 'fires when the gateway job has no target at all',
      input: [series('up', { job: 'qdrant', instance: 'q' }, '1x20')],
      evalTime: '10m',
      fires: [{}],
    },
    {
      alert: 'SwitchyardGatewayDown',
      name: 'quiet while one gateway target is up',
      input: [series('up', { job: 'gateway', instance: 'a' }, '0x20'), series('up', { job: 'gateway', instance: 'b' }, '1x20')],
      evalTime: '10m',
      fires: [],
    },
    {
      alert: 'SwitchyardHighErrorRatio',
      name: 'fires when half the requests fail with 5xx',
      input: [requests('500', '0+60x30'), requests('200', '0+60x30')],
      evalTime: '20m',
      fires: [{ model: 'chat' }],
    },
    {
      alert: 'SwitchyardHighErrorRatio',
      name: 'quiet at 0.2% errors',
      input: [requests('502', '0+1x30'), requests('200', '0+500x30')],
      evalTime: '20m',
      fires: [],
    },
    {
      alert: 'SwitchyardHighErrorRatio',
      name: 'quiet when traffic is too low to judge',
      input: [requests('500', '0+1x30'), requests('200', '0+1x30')],
      evalTime: '20m',
      fires: [],
    },
    {
      alert: 'SwitchyardHighLatencyP99',
      name: 'fires when requests take 60s',
      input: duration(60),
      evalTime: '25m',
      fires: [{ gen_ai_request_model: 'chat' }],
    },
    { alert: 'SwitchyardHighLatencyP99', name: 'quiet when requests take 1s', input: duration(1), evalTime: '25m', fires: [] },
    {
      alert: 'SwitchyardSlowTimeToFirstToken',
      name: 'fires when the first token takes 8s',
      input: firstToken(8),
      evalTime: '25m',
      fires: [{ gen_ai_request_model: 'chat' }],
    },
    {
      alert: 'SwitchyardSlowTimeToFirstToken',
      name: 'quiet when the first token takes 200ms',
      input: firstToken(0.2),
      evalTime: '25m',
      fires: [],
    },
    {
      alert: 'SwitchyardUpstreamErrors',
      name: 'fires when half the attempts time out',
      input: [attempts('upstream_timeout', '0+30x30'), attempts('success', '0+30x30')],
      evalTime: '20m',
      fires: [{ provider: 'openai', target_model: 'gpt-4o' }],
    },
    {
      alert: 'SwitchyardUpstreamErrors',
      name: 'quiet at 2% failed attempts',
      input: [attempts('upstream_timeout', '0+1x30'), attempts('success', '0+50x30')],
      evalTime: '20m',
      fires: [],
    },
    {
      alert: 'SwitchyardCircuitOpen',
      name: 'fires when one replica holds the circuit open',
      input: [
        series(m.circuitState.name, { provider: 'openai', target_model: 'gpt-4o', pod: 'gw-1' }, '2x20'),
        series(m.circuitState.name, { provider: 'openai', target_model: 'gpt-4o', pod: 'gw-2' }, '0x20'),
      ],
      evalTime: '10m',
      fires: [{ provider: 'openai', target_model: 'gpt-4o' }],
    },
    {
      alert: 'SwitchyardCircuitOpen',
      name: 'quiet while half-open',
      input: [series(m.circuitState.name, { provider: 'openai', target_model: 'gpt-4o', pod: 'gw-1' }, '1x20')],
      evalTime: '10m',
      fires: [],
    },
    {
      alert: 'SwitchyardRateLimitRejections',
      name: 'fires at 0.2 rejections/s for 15 minutes',
      input: [series(m.rateLimitRejections.name, { key_id: 'k1', tenant: 't1', model: 'chat', limit: 'rpm' }, '0+12x40')],
      evalTime: '30m',
      fires: [{ key_id: 'k1', tenant: 't1' }],
    },
    {
      alert: 'SwitchyardRateLimitRejections',
      name: 'quiet at 0.05 rejections/s',
      input: [series(m.rateLimitRejections.name, { key_id: 'k1', tenant: 't1', model: 'chat', limit: 'rpm' }, '0+3x40')],
      evalTime: '30m',
      fires: [],
    },
    {
      alert: 'SwitchyardBudgetRejections',
      name: 'fires while requests are refused for budget',
      input: [series(m.budgetRejections.name, { key_id: 'k1', tenant: 't1', scope: 'tenant' }, '0+1x30')],
      evalTime: '20m',
      fires: [{ key_id: 'k1', tenant: 't1', scope: 'tenant' }],
    },
    {
      alert: 'SwitchyardBudgetRejections',
      name: 'quiet when the counter stopped moving',
      input: [series(m.budgetRejections.name, { key_id: 'k1', tenant: 't1', scope: 'tenant' }, '5x30')],
      evalTime: '20m',
      fires: [],
    },
    {
      alert: 'SwitchyardBudgetExhausted',
      name: 'fires when nothing is left',
      input: [series(m.budgetRemaining.name, { scope: 'tenant', id: 't1', pod: 'gw-1' }, '0x20')],
      evalTime: '10m',
      fires: [{ scope: 'tenant', id: 't1', pod: 'gw-1' }],
    },
    {
      alert: 'SwitchyardBudgetExhausted',
      name: 'quiet while budget remains',
      input: [series(m.budgetRemaining.name, { scope: 'tenant', id: 't1', pod: 'gw-1' }, '12.5x20')],
      evalTime: '10m',
      fires: [],
    },
    {
      alert: 'SwitchyardComplianceRefusals',
      name: 'fires while sensitive requests are refused',
      input: [series(m.complianceDecisions.name, { operation: 'chat', data_class: 'sensitive', outcome: 'refused' }, '0+1x30')],
      evalTime: '25m',
      fires: [{ operation: 'chat', data_class: 'sensitive' }],
    },
    {
      alert: 'SwitchyardComplianceRefusals',
      name: 'quiet while every request is routed',
      input: [series(m.complianceDecisions.name, { operation: 'chat', data_class: 'sensitive', outcome: 'routed' }, '0+10x30')],
      evalTime: '25m',
      fires: [],
    },
    {
      alert: 'SwitchyardCacheHitRatioLow',
      name: 'fires at under 2% hits for an hour',
      input: [cache('hit', '0+1x120'), cache('miss', '0+60x120')],
      evalTime: '100m',
      fires: [{ model: 'chat' }],
    },
    {
      alert: 'SwitchyardCacheHitRatioLow',
      name: 'quiet at 50% hits',
      input: [cache('hit', '0+30x120'), cache('miss', '0+30x120')],
      evalTime: '100m',
      fires: [],
    },
    {
      alert: 'SwitchyardStateBackendErrors',
      name: 'fires while Redis errors continue',
      input: [series(m.stateErrors.name, { stage: 'rate_limit', action: 'fail_open' }, '0+5x30')],
      evalTime: '20m',
      fires: [{ stage: 'rate_limit', action: 'fail_open' }],
    },
    {
      alert: 'SwitchyardStateBackendErrors',
      name: 'quiet when errors stopped',
      input: [series(m.stateErrors.name, { stage: 'rate_limit', action: 'fail_open' }, '7x30')],
      evalTime: '20m',
      fires: [],
    },
    {
      alert: 'SwitchyardConfigReloadFailed',
      name: 'fires when the newest config was refused',
      input: [series(m.configLastReloadSuccess.name, { pod: 'gw-1' }, '0x20')],
      evalTime: '15m',
      fires: [{ pod: 'gw-1' }],
    },
    {
      alert: 'SwitchyardConfigReloadFailed',
      name: 'quiet when the last reload succeeded',
      input: [series(m.configLastReloadSuccess.name, { pod: 'gw-1' }, '1x20')],
      evalTime: '15m',
      fires: [],
    },
    {
      alert: 'SwitchyardTargetDown',
      name: 'fires when a target is down for 10 minutes',
      input: [series('up', { job: 'qdrant', instance: '10.0.0.7:6333' }, '0x20')],
      evalTime: '15m',
      fires: [{ job: 'qdrant', instance: '10.0.0.7:6333' }],
    },
    {
      alert: 'SwitchyardTargetDown',
      name: 'quiet when every target is up',
      input: [series('up', { job: 'qdrant', instance: '10.0.0.7:6333' }, '1x20')],
      evalTime: '15m',
      fires: [],
    },
    {
      alert: 'SwitchyardPodRestarting',
      name: 'fires when a platform container restarts every minute',
      input: [series('kube_pod_container_status_restarts_total', { namespace: gw, pod: 'gw-1', container: 'gateway' }, '0+1x40')],
      evalTime: '35m',
      fires: [{ namespace: gw, pod: 'gw-1', container: 'gateway' }],
    },
    {
      alert: 'SwitchyardPodRestarting',
      name: 'quiet for pods outside the platform namespaces',
      input: [series('kube_pod_container_status_restarts_total', { namespace: 'other-team', pod: 'x', container: 'x' }, '0+1x40')],
      evalTime: '35m',
      fires: [],
    },
    {
      alert: 'SwitchyardPodRestarting',
      name: 'quiet when a container never restarts',
      input: [series('kube_pod_container_status_restarts_total', { namespace: gw, pod: 'gw-1', container: 'gateway' }, '2x40')],
      evalTime: '35m',
      fires: [],
    },
    {
      alert: 'SwitchyardVolumeFull',
      name: 'fires at 5% free',
      input: volume(data, '5x600'),
      evalTime: '10m',
      fires: [{ namespace: data, persistentvolumeclaim: 'data-qdrant-0' }],
    },
    { alert: 'SwitchyardVolumeFull', name: 'quiet at 50% free', input: volume(data, '50x600'), evalTime: '10m', fires: [] },
    {
      alert: 'SwitchyardVolumeFull',
      name: 'quiet for volumes outside the platform',
      input: volume('other-team', '5x600'),
      evalTime: '10m',
      fires: [],
    },
    {
      alert: 'SwitchyardVolumeFillingUp',
      name: 'fires when 20% free shrinks to zero within days',
      input: volume(data, '20-0.01x600'),
      evalTime: '430m',
      fires: [{ namespace: data, persistentvolumeclaim: 'data-qdrant-0' }],
    },
    {
      alert: 'SwitchyardVolumeFillingUp',
      name: 'quiet when 20% free holds steady',
      input: volume(data, '20x600'),
      evalTime: '430m',
      fires: [],
    },
  ];
  const vendor = platformGpuVendor(config);
  if (vendor) {
    const gpu = { gpu: '0', node: 'gpu-node-1' };
    const memory = (usedMiB: number, totalMiB: number) =>
      vendor === 'nvidia'
        ? [series('DCGM_FI_DEV_FB_USED', gpu, `${usedMiB}x20`), series('DCGM_FI_DEV_FB_FREE', gpu, `${totalMiB - usedMiB}x20`)]
        : [series('gpu_used_vram', gpu, `${usedMiB}x20`), series('gpu_total_vram', gpu, `${totalMiB}x20`)];
    cases.push(
      {
        alert: 'SwitchyardGpuMemoryPressure',
        name: 'fires at 98% GPU memory in use',
        input: memory(23500, 24000),
        evalTime: '20m',
        fires: [gpu],
      },
      {
        alert: 'SwitchyardGpuMemoryPressure',
        name: 'quiet at a third of GPU memory',
        input: memory(8000, 24000),
        evalTime: '20m',
        fires: [],
      },
    );
  }
  return cases;
}
