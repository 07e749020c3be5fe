/**
 * Models and GPUs: what each model serves (requests, tokens, latency) and what the pods serving
 * them use (CPU, memory, GPU). Ollama serves several models from one pod, so measured resource use
 * is per pod and GPU; the per-model CPU and GPU panels are estimates from each model's share of
 * request time, and memory is not split by model (model-attribution.ts says why).
 */
import type { Dashboard, DashboardBuilder } from '@grafana/grafana-foundation-sdk/dashboard';
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../../config/platform-config';
import { platformGpuVendor } from '../gpu-metrics';
import { modelServerPodMatcher, modelServerPods, modelServerProviders } from '../model-attribution';
import { RECORDED } from '../recording-rules';
import { type PanelQuery, platformDashboard, row, timeseries } from './panels';

export const MODELS_AND_GPUS_UID = 'switchyard-models';

const RATE = '$__rate_interval';

/**
 * Per-model use of the in-cluster model servers: the measured request-time share, the CPU and GPU
 * estimates built on it, and their memory, which is not split by model. Each panel's description
 * says exactly what it shows.
 */
function withModelServerUse(dashboard: DashboardBuilder, config: PlatformConfig, providers: readonly string[]): void {
  const gpus = platformGpuVendor(config) !== undefined;
  const pods = modelServerPodMatcher(config);
  const { namespace } = modelServerPods(config);
  const span = gpus ? 6 : 8;
  const split =
    'One Ollama pod serves every model, so cAdvisor and the GPU exporter measure the pod, never a model; the share is the one in "Model server time by model". ' +
    'Idle time, model loading and model downloads are split the same way, and there is no series while no request arrives. ' +
    'Concurrent requests and time queued in Ollama count as request time, so a model that waits behind another looks heavier than it is.';
  const memory: PanelQuery[] = [{ expr: `sum(${RECORDED.podMemory}{${pods}})`, legend: 'RAM (working set), all models' }];
  if (gpus) memory.push({ expr: `sum(${RECORDED.gpuMemoryUsedBytes}{${pods}})`, legend: 'GPU memory, all models' });
  dashboard
    .withRow(row('Per model: model server use'))
    .withPanel(
      timeseries(
        'Model server time by model',
        'percentunit',
        [{ expr: RECORDED.modelServerTimeShare, legend: '{{gen_ai_response_model}}' }],
        {
          span,
          stacked: true,
          description:
            `Measured: each model's share of the request-seconds the gateway spent on the in-cluster Ollama (provider ${providers.join(', ')}) over 5 minutes, ` +
            'by the model id Ollama served. Failed requests count; a request that fell back to another provider counts there.',
        },
      ),
    )
    .withPanel(
      timeseries('CPU by model (estimate)', 'cores', [{ expr: RECORDED.modelServerCpuEstimate, legend: '{{gen_ai_response_model}}' }], {
        span,
        stacked: true,
        description: `Estimate, not a measurement: the Ollama pods' CPU (cAdvisor) times each model's share of request time. ${split}`,
      }),
    );
  if (gpus)
    dashboard.withPanel(
      timeseries(
        'GPU busy by model (estimate)',
        'short',
        [{ expr: RECORDED.modelServerGpuEstimate, legend: '{{gen_ai_response_model}}' }],
        {
          span,
          stacked: true,
          description: `Estimate, in GPUs (0.5 = half of one GPU busy): the utilisation of the GPUs the Ollama pods hold, summed, times each model's share of request time. ${split}`,
        },
      ),
    );
  dashboard.withPanel(
    timeseries('Memory of the loaded models (all together)', 'bytes', memory, {
      span,
      description:
        'Not split by model, because nothing here can measure it: a model holds RAM and GPU memory while it is loaded, with or without requests, ' +
        'so request share says nothing about it, and no exporter the platform runs reports memory per model. ' +
        `Ollama itself lists each loaded model's size and the part in GPU memory: kubectl -n ${namespace} exec ollama-0 -- ollama ps (its GET /api/ps).`,
    }),
  );
}

export function modelsAndGpusDashboard(config: PlatformConfig): Dashboard {
  const models = config.namespaces.models;
  const providers = modelServerProviders(config);
  const dashboard = platformDashboard(
    MODELS_AND_GPUS_UID,
    'Switchyard / Models and GPUs',
    'Per-model traffic, per-model CPU and GPU estimates, and per-pod CPU, memory and GPU use of the model servers.',
  )
    .withRow(row('Per model'))
    .withPanel(timeseries('Requests/s by model', 'reqps', [{ expr: RECORDED.requestsRate, legend: '{{model}}' }], { span: 8 }))
    .withPanel(
      timeseries('Output tokens/s by model', 'short', [{ expr: `${RECORDED.tokensRate}{token_type="output"}`, legend: '{{model}}' }], {
        span: 8,
      }),
    )
    .withPanel(timeseries('p95 latency by model', 's', [{ expr: RECORDED.latencyP95, legend: '{{gen_ai_request_model}}' }], { span: 8 }))
    .withPanel(
      timeseries('Tokens per request (p95) by model', 'short', [
        {
          expr: `histogram_quantile(0.95, sum by (le, gen_ai_request_model, gen_ai_token_type) (rate(${m.tokenUsage.name}_bucket[${RATE}])))`,
          legend: '{{gen_ai_request_model}} {{gen_ai_token_type}}',
        },
      ]),
    )
    .withPanel(
      timeseries('Time to first token (p95) by model', 's', [{ expr: RECORDED.timeToFirstTokenP95, legend: '{{gen_ai_request_model}}' }]),
    );
  if (providers.length > 0) withModelServerUse(dashboard, config, providers);
  dashboard
    .withRow(row('Model server pods'))
    .withPanel(timeseries('CPU by pod', 'cores', [{ expr: `${RECORDED.podCpu}{namespace="${models}"}`, legend: '{{pod}}' }], { span: 8 }))
    .withPanel(
      timeseries('Memory (working set) by pod', 'bytes', [{ expr: `${RECORDED.podMemory}{namespace="${models}"}`, legend: '{{pod}}' }], {
        span: 8,
      }),
    )
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
      .withPanel(
        timeseries('GPU utilisation', 'percentunit', [{ expr: RECORDED.gpuUtilization, legend: '{{node}} GPU {{gpu}} {{pod}}' }], {
          span: 8,
        }),
      )
      .withPanel(
        timeseries('GPU memory used', 'bytes', [{ expr: RECORDED.gpuMemoryUsedBytes, legend: '{{node}} GPU {{gpu}} {{pod}}' }], {
          span: 8,
        }),
      )
      .withPanel(
        timeseries('GPU memory used (share)', 'percentunit', [{ expr: RECORDED.gpuMemoryUsedRatio, legend: '{{node}} GPU {{gpu}}' }], {
          span: 8,
        }),
      );
  return dashboard
    .withRow(row('Nodes'))
    .withPanel(
      timeseries('Node CPU use', 'percentunit', [
        { expr: `sum by (node) (rate(node_cpu_usage_seconds_total[${RATE}])) / sum by (node) (machine_cpu_cores)`, legend: '{{node}}' },
      ]),
    )
    .withPanel(
      timeseries('Node memory use', 'percentunit', [
        { expr: 'sum by (node) (node_memory_working_set_bytes) / sum by (node) (machine_memory_bytes)', legend: '{{node}}' },
      ]),
    )
    .build();
}
