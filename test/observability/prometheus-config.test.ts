/**
 * The generated Prometheus config: promtool accepts it (and the rule files it loads) for every
 * profile, its Kubernetes discovery uses only fields and values Prometheus knows, and discovery is
 * narrowed to the workloads' namespaces and labels.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { platformPodGroups } from '../../charts/pod-groups';
import { buildPrometheusConfig, type PrometheusConfig } from '../../observability/prometheus-config';
import { platformRuleGroups } from '../../observability/platform-rules';
import { renderRuleFile } from '../../observability/rule-group';
import { QDRANT_API_KEY } from '../../observability/scrape-targets';
import { tempDir } from '../support/paths';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { promtoolKnowsKubernetesSd, withFileDiscovery } from './file-sd';
import { runTool, testWithBinary } from './system-binary';

const withPromtool = testWithBinary('promtool');

/** Fields of `kubernetes_sd_configs` in Prometheus (discovery/kubernetes SDConfig), HTTP client fields aside. */
const KUBERNETES_SD_FIELDS = ['api_server', 'role', 'kubeconfig_file', 'namespaces', 'selectors', 'attach_metadata'];
const KUBERNETES_SD_ROLES = ['node', 'pod', 'service', 'endpoints', 'endpointslice', 'ingress'];
/** A Kubernetes equality-based label selector: key=value pairs joined by commas. */
const LABEL_SELECTOR = /^[A-Za-z0-9./-]+=[A-Za-z0-9._-]*(,[A-Za-z0-9./-]+=[A-Za-z0-9._-]*)*$/;

async function checkConfig(config: PrometheusConfig, dir: string): Promise<string> {
  const checked = (await promtoolKnowsKubernetesSd(dir))
    ? config
    : withFileDiscovery(config, (job) => {
        const file = join(dir, `${job}.sd.json`);
        writeFileSync(file, JSON.stringify([{ targets: ['127.0.0.1:9'], labels: {} }]));
        return file;
      });
  writeFileSync(join(dir, 'prometheus.yml'), stringify(checked));
  const result = await runTool('promtool', ['check', 'config', join(dir, 'prometheus.yml')]);
  expect(result.code).toBe(0);
  return result.output;
}

describe.each(EXAMPLE_PLATFORMS)('%s', (_name, config) => {
  withPromtool('promtool check config accepts the config and its rule files', async () => {
    const dir = tempDir('switchyard-prom-');
    const paths = { serviceAccountDir: join(dir, 'sa'), rulesDir: join(dir, 'rules'), secretsDir: join(dir, 'secrets') };
    mkdirSync(paths.serviceAccountDir);
    mkdirSync(paths.rulesDir);
    mkdirSync(join(paths.secretsDir, QDRANT_API_KEY.secretName), { recursive: true });
    writeFileSync(join(paths.secretsDir, QDRANT_API_KEY.secretName, QDRANT_API_KEY.key), 'key');
    writeFileSync(join(paths.serviceAccountDir, 'token'), 'token');
    writeFileSync(join(paths.serviceAccountDir, 'ca.crt'), '');
    const groups = platformRuleGroups(config);
    writeFileSync(join(paths.rulesDir, 'platform.yaml'), renderRuleFile(groups));

    const output = await checkConfig(buildPrometheusConfig(config, paths), dir);
    const ruleCount = groups.reduce((n, g) => n + g.rules.length, 0);
    expect(output).toContain(`SUCCESS: ${ruleCount} rules found`);
  });

  test('Kubernetes discovery uses only fields, roles and selectors Prometheus knows', () => {
    for (const job of buildPrometheusConfig(config).scrape_configs)
      for (const sd of job.kubernetes_sd_configs ?? []) {
        expect(Object.keys(sd).filter((key) => !KUBERNETES_SD_FIELDS.includes(key))).toEqual([]);
        expect(KUBERNETES_SD_ROLES).toContain(sd.role);
        for (const selector of sd.selectors ?? []) {
          expect(selector.role).toBe(sd.role);
          expect(selector.label).toMatch(LABEL_SELECTOR);
        }
      }
  });

  test('workload jobs discover pods only in their namespace, selected by their pod labels and metrics port', () => {
    const jobs = new Map(buildPrometheusConfig(config).scrape_configs.map((job) => [job.job_name, job]));
    const gateway = jobs.get('gateway');
    expect(gateway?.kubernetes_sd_configs).toEqual([
      {
        role: 'pod',
        namespaces: { names: [config.namespaces.gateway] },
        selectors: [{ role: 'pod', label: `app.kubernetes.io/name=gateway,app.kubernetes.io/instance=${config.name}` }],
      },
    ]);
    expect(gateway?.relabel_configs?.[0]).toEqual({
      source_labels: ['__meta_kubernetes_pod_container_port_number'],
      regex: '8080',
      action: 'keep',
    });
    expect(jobs.get('redis')?.kubernetes_sd_configs?.[0].namespaces?.names).toEqual([
      platformPodGroups(config)['redis-exporter'].namespace,
    ]);
    expect(jobs.get('minio')?.metrics_path).toBe('/minio/v2/metrics/cluster');
    expect(jobs.get('qdrant')?.authorization).toEqual({ credentials_file: '/etc/prometheus/secrets/qdrant-api-key/api-key' });
  });

  test('kubelets are scraped directly with the ServiceAccount token and only the series the platform reads', () => {
    const jobs = new Map(buildPrometheusConfig(config).scrape_configs.map((job) => [job.job_name, job]));
    const cadvisor = jobs.get('cadvisor');
    expect(cadvisor).toMatchObject({
      scheme: 'https',
      metrics_path: '/metrics/cadvisor',
      authorization: { credentials_file: '/var/run/secrets/kubernetes.io/serviceaccount/token' },
      kubernetes_sd_configs: [{ role: 'node' }],
    });
    expect(cadvisor?.metric_relabel_configs?.[0]).toEqual({
      source_labels: ['__name__'],
      regex: expect.stringContaining('container_cpu_usage_seconds_total|container_memory_working_set_bytes'),
      action: 'keep',
    });
    expect(jobs.get('kubelet-resource')?.metrics_path).toBe('/metrics/resource');
  });
});

test('the GPU job follows the profile: DCGM on AWS and GCP, the AMD exporter (gpu_id renamed to gpu) on the AMD homelab', () => {
  const gpuJob = (name: string) => {
    const config = EXAMPLE_PLATFORMS.find(([n]) => n === name)![1];
    return buildPrometheusConfig(config).scrape_configs.find((job) => job.job_name === 'gpu');
  };
  expect(gpuJob('aws')?.relabel_configs?.[0].regex).toBe('9400');
  expect(gpuJob('gcp')?.relabel_configs?.[0].regex).toBe('9400');
  const amd = gpuJob('homelab');
  expect(amd?.relabel_configs?.[0].regex).toBe('5000');
  expect(amd?.honor_labels).toBe(true);
  expect(amd?.metric_relabel_configs).toEqual([
    { source_labels: ['gpu_id'], target_label: 'gpu' },
    { regex: 'gpu_id', action: 'labeldrop' },
  ]);
});
