/**
 * End to end: a real Prometheus (Debian's `prometheus`) runs the generated gateway scrape job and
 * the generated rules, adapted to loopback: the job's Kubernetes pod discovery is replaced by a
 * file listing a gateway started here, labelled with the discovery metadata a pod would carry, so
 * the generated relabelling runs unchanged. The test waits for a scrape and finds the gateway's
 * series, with the labels relabelling sets, and a recording rule evaluated on them.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadPlatformConfig } from '../../config/load-config';
import { startTestGateway, type TestGateway } from '../../gateway/test/support/test-gateway';
import { buildPrometheusConfig, type PrometheusConfig } from '../../observability/prometheus-config';
import { platformRuleGroups } from '../../observability/platform-rules';
import { RECORDED } from '../../observability/recording-rules';
import { renderRuleFile } from '../../observability/rule-group';
import { EXAMPLE_CONFIGS, tempDir } from '../support/paths';
import { withFileDiscovery } from './file-sd';
import { type RunningPrometheus, startPrometheus } from './prometheus-process';
import { hasBinary } from './system-binary';

const available = hasBinary('prometheus');
const config = loadPlatformConfig(EXAMPLE_CONFIGS.homelab);

let gateway: TestGateway | undefined;
let prometheus: RunningPrometheus | undefined;

interface VectorResult {
  metric: Record<string, string>;
  value: [number, string];
}

/** Polls `promql` until it returns a series. */
function waitFor(promql: string): Promise<VectorResult[]> {
  const query = () => prometheus!.api<{ result: VectorResult[] }>(`query?query=${encodeURIComponent(promql)}`).then((data) => data.result);
  return prometheus!.waitFor(`result for ${promql}`, query, (result) => result.length > 0);
}

beforeAll(async () => {
  if (!available) return;
  gateway = await startTestGateway({
    providers: [{ name: 'local', type: 'openai', baseUrl: 'http://127.0.0.1:9/v1' }],
    models: [{ name: 'chat', targets: [{ provider: 'local', model: 'm' }] }],
  });
  // One refused request, so request counters have a series to find.
  await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });

  const dir = tempDir('switchyard-e2e-prom-');
  const generated = buildPrometheusConfig(config, { serviceAccountDir: join(dir, 'sa'), rulesDir: dir, secretsDir: join(dir, 'secrets') });
  const gatewayJob = generated.scrape_configs.filter((job) => job.job_name === 'gateway');
  const loopback: PrometheusConfig = withFileDiscovery(
    { ...generated, global: { ...generated.global, scrape_interval: '1s', evaluation_interval: '1s' }, scrape_configs: gatewayJob },
    () => join(dir, 'gateway.sd.json'),
  );
  const pod = {
    __meta_kubernetes_namespace: config.namespaces.gateway,
    __meta_kubernetes_pod_name: 'gateway-7d9f-abcde',
    __meta_kubernetes_pod_node_name: 'node-1',
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_container_port_number: '8080',
  };
  writeFileSync(join(dir, 'gateway.sd.json'), JSON.stringify([{ targets: [`127.0.0.1:${gateway.port}`], labels: pod }]));
  writeFileSync(join(dir, 'platform.yaml'), renderRuleFile(platformRuleGroups(config)));
  writeFileSync(join(dir, 'prometheus.yml'), stringify(loopback));

  prometheus = await startPrometheus(dir);
});

afterAll(async () => {
  await prometheus?.stop();
  await gateway?.close();
});

(available ? test : test.skip)('Prometheus scrapes the gateway through the generated job and finds its series', async () => {
  const [up] = await waitFor('up{job="gateway"} == 1');
  expect(up.metric).toMatchObject({
    job: 'gateway',
    instance: `127.0.0.1:${gateway!.port}`,
    namespace: config.namespaces.gateway,
    pod: 'gateway-7d9f-abcde',
    node: 'node-1',
  });

  const [refused] = await waitFor('switchyard_requests_total{job="gateway",status="401"}');
  expect(refused.metric).toMatchObject({ error_type: 'authentication', namespace: config.namespaces.gateway });
  expect(Number(refused.value[1])).toBe(1);
  expect(await waitFor('switchyard_build_info{job="gateway"}')).toHaveLength(1);

  // The generated recording rules run on the scraped series.
  const [recorded] = await waitFor(RECORDED.requestsRate);
  expect(recorded.metric).toEqual({ __name__: RECORDED.requestsRate, model: 'none' });
});
