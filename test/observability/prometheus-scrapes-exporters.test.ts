/**
 * End to end: a real Prometheus runs the generated jobs of the exporters that report on other pods
 * (kube-state-metrics, the GPU exporter) against fake exporters on loopback, discovered through
 * files holding the metadata Kubernetes discovery would attach to their pods. Their series must
 * keep the pod they are about (`namespace`, `pod`, `container`), not be renamed `exported_*` or
 * overwritten with the exporter's own pod, and carry the exporter's node.
 */
import { writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { buildPrometheusConfig } from '../../observability/prometheus-config';
import { platformRuleGroups } from '../../observability/platform-rules';
import { RECORDED } from '../../observability/recording-rules';
import { renderRuleFile } from '../../observability/rule-group';
import { podScrapeTargets } from '../../observability/scrape-targets';
import { tempDir } from '../support/paths';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { withFileDiscovery } from './file-sd';
import { type RunningPrometheus, startPrometheus } from './prometheus-process';
import { hasBinary } from './system-binary';

const available = hasBinary('prometheus');
const config = EXAMPLE_PLATFORMS.find(([n]) => n === 'aws')![1];
const EXPORTER_NODE = 'gpu-node-1';

/** What each fake exporter serves: the pods it reports on, by their own labels. */
const PAGES: Record<string, string> = {
  'kube-state-metrics': [
    `kube_pod_container_status_restarts_total{namespace="${config.namespaces.gateway}",pod="gateway-7d9f-abcde",uid="u-1",container="gateway"} 4`,
    `kube_pod_status_phase{namespace="${config.namespaces.data}",pod="qdrant-0",uid="u-2",phase="Pending"} 1`,
  ].join('\n'),
  gpu: [
    `DCGM_FI_DEV_GPU_UTIL{gpu="0",UUID="GPU-0",device="nvidia0",modelName="NVIDIA L4",Hostname="${EXPORTER_NODE}",namespace="${config.namespaces.models}",pod="ollama-0",container="ollama"} 80`,
    `DCGM_FI_DEV_GPU_UTIL{gpu="1",UUID="GPU-1",device="nvidia1",modelName="NVIDIA L4",Hostname="${EXPORTER_NODE}"} 0`,
  ].join('\n'),
};

interface VectorResult {
  metric: Record<string, string>;
}

let prometheus: RunningPrometheus | undefined;
const servers: Server[] = [];

function serve(page: string): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`${page}\n`);
    });
    servers.push(server);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
  });
}

function series(promql: string): Promise<VectorResult[]> {
  const query = () => prometheus!.api<{ result: VectorResult[] }>(`query?query=${encodeURIComponent(promql)}`).then((d) => d.result);
  return prometheus!.waitFor(`result for ${promql}`, query, (result) => result.length > 0);
}

beforeAll(async () => {
  if (!available) return;
  const dir = tempDir('switchyard-e2e-exporters-');
  const generated = buildPrometheusConfig(config, { serviceAccountDir: join(dir, 'sa'), rulesDir: dir, secretsDir: join(dir, 'secrets') });
  const targets = podScrapeTargets(config).filter((t) => t.job in PAGES);
  for (const target of targets) {
    const port = await serve(PAGES[target.job]);
    const pod = {
      __meta_kubernetes_namespace: target.group.namespace,
      __meta_kubernetes_pod_name: `${target.group.name}-5c8d-x7k2p`,
      __meta_kubernetes_pod_node_name: EXPORTER_NODE,
      __meta_kubernetes_pod_phase: 'Running',
      __meta_kubernetes_pod_container_port_number: String(target.port),
    };
    writeFileSync(join(dir, `${target.job}.sd.json`), JSON.stringify([{ targets: [`127.0.0.1:${port}`], labels: pod }]));
  }
  const jobs = generated.scrape_configs.filter((job) => job.job_name in PAGES);
  expect(jobs.map((j) => j.job_name).sort()).toEqual(Object.keys(PAGES).sort());
  const loopback = withFileDiscovery(
    { ...generated, global: { ...generated.global, scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: jobs },
    (job) => join(dir, `${job}.sd.json`),
  );
  writeFileSync(join(dir, 'platform.yaml'), renderRuleFile(platformRuleGroups(config)));
  writeFileSync(join(dir, 'prometheus.yml'), stringify(loopback));
  prometheus = await startPrometheus(dir);
});

afterAll(async () => {
  await prometheus?.stop();
  await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
});

const withPrometheus = available ? test : test.skip;

withPrometheus("kube-state-metrics series keep the pod they describe, and the exporter's node", async () => {
  const [restarts] = await series('kube_pod_container_status_restarts_total');
  expect(restarts.metric).toEqual({
    __name__: 'kube_pod_container_status_restarts_total',
    job: 'kube-state-metrics',
    instance: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
    node: EXPORTER_NODE,
    namespace: config.namespaces.gateway,
    pod: 'gateway-7d9f-abcde',
    uid: 'u-1',
    container: 'gateway',
  });
  const [phase] = await series('kube_pod_status_phase');
  expect(phase.metric).toMatchObject({ namespace: config.namespaces.data, pod: 'qdrant-0', phase: 'Pending' });
  expect(Object.keys(phase.metric).filter((l) => l.startsWith('exported_'))).toEqual([]);
});

withPrometheus('GPU series name the pod using the GPU (none when no pod does) and the node, also after the recording rule', async () => {
  const used = await series('DCGM_FI_DEV_GPU_UTIL{gpu="0"}');
  expect(used[0].metric).toMatchObject({
    job: 'gpu',
    node: EXPORTER_NODE,
    namespace: config.namespaces.models,
    pod: 'ollama-0',
    container: 'ollama',
  });
  const idle = await series('DCGM_FI_DEV_GPU_UTIL{gpu="1"}');
  expect(idle[0].metric.pod).toBeUndefined();
  expect(idle[0].metric.namespace).toBeUndefined();
  const [ratio] = await series(`${RECORDED.gpuUtilization}{gpu="0"}`);
  expect(ratio.metric).toMatchObject({ node: EXPORTER_NODE, pod: 'ollama-0' });
});
