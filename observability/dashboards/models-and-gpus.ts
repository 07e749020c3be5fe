/**
 * Models and GPUs: what each model serves (requests, tokens, latency) and what the pods serving
 * them use (CPU, memory, GPU). Ollama serves several models from one pod, so resource use is per
 * pod and GPU; per-model rows come from the gateway's metrics.
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../../config/platform-config';
import { platformGpuVendor } from '../gpu-metrics';
import { RECORDED } from '../recording-rules';
import { platformDashboard, row, timeseries } from './panels';

export const MODELS_AND_GPUS_UID = 'switchyard-models';

const RATE = '$__rate_interval';

export function modelsAndGpusDashboard(config: PlatformConfig): Dashboard {
  const models = config.namespaces.models;
  const dashboard = platformDashboard(MODELS_AND_GPUS_UID, 'Switchyard / Models and GPUs', 'Per-model traffic and per-pod CPU, memory and GPU use of the model servers.')
    .withRow(row('Per model'))
    .withPanel(timeseries('Requests/s by model', 'reqps', [{ expr: RECORDED.requestsRate, legend: '{{model}}' }], { span: 8 }))
    .withPanel(timeseries('Output tokens/s by model', 'short', [{ expr: `${RECORDED.tokensRate}{token_type="output"}`, legend: '{{model}}' }], { span: 8 }))
    .withPanel(timeseries('p95 latency by model', 's', [{ expr: RECORDED.latencyP95, legend: '{{gen_ai_request_model}}' }], { span: 8 }))
    .withPanel(
      timeseries('Tokens per request (p95) by model', 'short', [
        { expr: `histogram_quantile(0.95, sum by (le, gen_ai_request_model, gen_ai_token_type) (rate(${m.tokenUsage.name}_bucket[${RATE}])))`, legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}' },
      ]),
    )
    .withPanel(timeseries('Time to first token (p95) by model', 's', [{ expr: RECORDED.timeToFirstTokenP95, legend: '{{gen_ai_request_model}}' }]))
    .withRow(row('Model server pods'))
    .withPanel(timeseries('CPU by pod', 'cores', [{ expr: `${RECORDED.podCpu}{namespace="${models}"}`, legend: '{{pod}}' }], { span: 8 }))
    .withPanel(timeseries('Memory (working set) by pod', 'bytes', [{ expr: `${RECORDED.podMemory}{namespace="${models}"}`, legend: '{{pod}}' }], { span: 8 }))
    .withPanel(
      timeseries(
        'CPU throttling by pod',
        'percentunit',
        [
          {
            expr: `sum by (pod) (rate(container_cpu_cfs_throttled_periods_total{namespace="${models}", container!=""}[${RATE}])) / sum by (pod) (rate(container_cpu_cfs_periods_total{namespace="${models}", container!=""}[${RATE}]))`,
            legend: '{{pod}}',
          },
        ],
        { span: 8, description: 'Share of CPU periods in which the container hit its CPU limit.' },
      ),
    );
  if (platformGpuVendor(config))
    dashboard
      .withRow(row('GPUs'))
      .withPanel(timeseries('GPU utilisation', 'percentunit', [{ expr: RECORDED.gpuUtilization, legend: '{{node}} GPU {{gpu}} {{pod}}' }], { span: 8 }))
      .withPanel(timeseries('GPU memory used', 'bytes', [{ expr: RECORDED.gpuMemoryUsedBytes, legend: '{{node}} GPU {{gpu}} {{pod}}' }], { span: 8 }))
      .withPanel(timeseries('GPU memory used (share)', 'percentunit', [{ expr: RECORDED.gpuMemoryUsedRatio, legend: '{{node}} GPU {{gpu}}' }], { span: 8 }));
  return dashboard
    .withRow(row('Nodes'))
    .withPanel(timeseries('Node CPU use', 'percentunit', [{ expr: `sum by (node) (rate(node_cpu_usage_seconds_total[${RATE}])) / sum by (node) (machine_cpu_cores)`, legend: '{{node}}' }]))
    .withPanel(timeseries('Node memory use', 'percentunit', [{ expr: 'sum by (node) (node_memory_working_set_bytes) / sum by (node) (machine_memory_bytes)', legend: '{{node}}' }]))
    .build();
}
