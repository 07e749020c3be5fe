/**
 * Per-model use of the in-cluster model servers: which gateway providers are the in-cluster
 * Ollama, and promtool unit tests of the recording rules that split the Ollama pods' CPU and GPU
 * use by each model's share of request time (with the series that must not count beside them),
 * and the dashboard panels that show them, memory saying it is not split.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { Panel, RowPanel } from '@grafana/grafana-foundation-sdk/dashboard';
import { gatewayConfigSchema } from '../../gateway/src/config/schema';
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import type { PlatformConfig } from '../../config/platform-config';
import { modelsAndGpusDashboard } from '../../observability/dashboards/models-and-gpus';
import { platformGpuVendor } from '../../observability/gpu-metrics';
import { modelServerProviders } from '../../observability/model-attribution';
import { platformRuleGroups } from '../../observability/platform-rules';
import { RECORDED } from '../../observability/recording-rules';
import { renderRuleFile } from '../../observability/rule-group';
import { tempDir } from '../support/paths';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { runTool, testWithBinary } from './system-binary';

const withPromtool = testWithBinary('promtool');
const homelab = EXAMPLE_PLATFORMS.find(([n]) => n === 'homelab')![1];

function withRuntime(
  config: PlatformConfig,
  providers: Array<{ name: string; type: 'ollama' | 'openai'; baseUrl: string }>,
): PlatformConfig {
  const runtime = gatewayConfigSchema.parse({
    providers,
    models: [{ name: 'chat', targets: [{ provider: providers[0].name, model: 'llama3.2:3b' }] }],
  });
  return { ...config, gateway: { ...config.gateway, runtime } };
}

function panelTitles(config: PlatformConfig): string[] {
  const panels = modelsAndGpusDashboard(config).panels ?? [];
  return panels.flatMap((p) => (p.type === 'row' ? ((p as RowPanel).panels ?? []) : [p as Panel])).map((p) => p.title ?? '');
}

describe('the in-cluster model server providers', () => {
  test('the derived runtime: its one Ollama provider', () => {
    expect(modelServerProviders(homelab)).toEqual(['ollama']);
  });

  test('a given runtime: the Ollama providers on the in-cluster Service, under any name and host form', () => {
    const config = withRuntime(homelab, [
      { name: 'local', type: 'ollama', baseUrl: `http://ollama.${homelab.namespaces.models}.svc:11434` },
      { name: 'laptop', type: 'ollama', baseUrl: 'http://192.168.1.20:11434' },
      { name: 'cloud', type: 'openai', baseUrl: 'https://api.openai.com/v1' },
    ]);
    expect(modelServerProviders(config)).toEqual(['local']);
  });

  test('none when the gateway sends nothing to the in-cluster Ollama: no estimate rules, no estimate panels', () => {
    const config = withRuntime(homelab, [{ name: 'cloud', type: 'openai', baseUrl: 'https://api.openai.com/v1' }]);
    expect(modelServerProviders(config)).toEqual([]);
    expect(platformRuleGroups(config).map((g) => g.name)).not.toContain('switchyard-models.rules');
    expect(panelTitles(config)).not.toContain('CPU by model (estimate)');
    expect(modelServerProviders({ ...homelab, components: { ...homelab.components, ollama: false } })).toEqual([]);
  });
});

const withoutGpu: PlatformConfig =
  homelab.profile === 'homelab' ? { ...homelab, cluster: { ...homelab.cluster, gpuVendor: 'none' } } : homelab;

describe.each([...EXAMPLE_PLATFORMS, ['homelab without a GPU', withoutGpu] as const])('%s', (_name, config) => {
  const gpu = platformGpuVendor(config);
  const models = config.namespaces.models;

  test('the dashboard shows the request-time share, the CPU (and GPU) estimates, and memory not split by model', () => {
    const panels = (modelsAndGpusDashboard(config).panels ?? []).filter((p) => p.type !== 'row') as Panel[];
    const byTitle = new Map(panels.map((p) => [p.title, p]));
    expect(byTitle.get('CPU by model (estimate)')?.description).toMatch(/^Estimate, not a measurement: /);
    expect(byTitle.has('GPU busy by model (estimate)')).toBe(gpu !== undefined);
    expect(byTitle.get('Memory of the loaded models (all together)')?.description).toMatch(
      /^Not split by model, because nothing here can measure it/,
    );
    expect(byTitle.get('Model server time by model')?.description).toMatch(/^Measured: /);
  });

  withPromtool(
    'promtool test rules: CPU and GPU split by request time, only the Ollama pods and the in-cluster provider counted',
    async () => {
      const dir = tempDir('switchyard-model-rules-');
      writeFileSync(join(dir, 'rules.yaml'), renderRuleFile(platformRuleGroups(config)));
      const duration = (provider: string, model: string, values: string) => ({
        series: `${m.operationDuration.name}_sum{gen_ai_operation_name="chat",gen_ai_provider_name="${provider}",gen_ai_request_model="chat",gen_ai_response_model="${model}",error_type="none"}`,
        values,
      });
      const cpu = (pod: string, container: string, values: string) => ({
        series: `container_cpu_usage_seconds_total{namespace="${models}",pod="${pod}",container="${container}"}`,
        values,
      });
      const gpuBusy = (percent: number) => {
        const name = gpu === 'nvidia' ? 'DCGM_FI_DEV_GPU_UTIL' : 'gpu_gfx_activity';
        return { series: `${name}{gpu="0",node="n1",namespace="${models}",pod="ollama-0"}`, values: `${percent}x20` };
      };
      const busy = [
        // 3 and 1 request-seconds per second; the cloud provider's time is not the model server's.
        duration('ollama', 'llama3.2:3b', '0+180x20'),
        duration('ollama', 'gemma2', '0+60x20'),
        duration('cloud', 'gpt-4o', '0+600x20'),
        // 2 cores for Ollama; the pull Job and the pod-level cgroup series do not count.
        cpu('ollama-0', 'ollama', '0+120x20'),
        cpu('ollama-0', '', '0+120x20'),
        cpu('model-pull-7f3a-x2k9d', 'pull', '0+600x20'),
        ...(gpu ? [gpuBusy(50)] : []),
      ];
      const byModel = (record: string, llama: number, gemma: number) => ({
        expr: record,
        eval_time: '10m',
        exp_samples: [
          { labels: `${record}{gen_ai_response_model="gemma2"}`, value: gemma },
          { labels: `${record}{gen_ai_response_model="llama3.2:3b"}`, value: llama },
        ],
      });
      const idle = [duration('ollama', 'llama3.2:3b', '500x20'), cpu('ollama-0', 'ollama', '0+120x20')];
      const tests = {
        rule_files: ['rules.yaml'],
        evaluation_interval: '1m',
        tests: [
          {
            name: 'busy: split 3 to 1',
            interval: '1m',
            input_series: busy,
            promql_expr_test: [
              byModel(RECORDED.modelServerTimeShare, 0.75, 0.25),
              byModel(RECORDED.modelServerCpuEstimate, 1.5, 0.5),
              ...(gpu ? [byModel(RECORDED.modelServerGpuEstimate, 0.375, 0.125)] : []),
            ],
          },
          {
            name: 'idle: no request, nothing attributed',
            interval: '1m',
            input_series: idle,
            promql_expr_test: [
              { expr: RECORDED.modelServerTimeShare, eval_time: '10m', exp_samples: [] },
              { expr: RECORDED.modelServerCpuEstimate, eval_time: '10m', exp_samples: [] },
            ],
          },
        ],
      };
      writeFileSync(join(dir, 'tests.yaml'), stringify(tests, { lineWidth: 0 }));
      const result = await runTool('promtool', ['test', 'rules', 'tests.yaml'], dir);
      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    },
  );
});
