/**
 * prometheus-operator mode gives every target the labels the raw config gives it. A real
 * Prometheus runs both side by side on the same discovered pod: each raw job, and the scrape job
 * the operator would generate from our synthesized ServiceMonitor or PodMonitor
 * (operator-scrape-config.ts). Kubernetes discovery is replaced by files holding the metadata
 * Kubernetes discovery would attach (pod role for the raw jobs and PodMonitors, endpoints role for
 * ServiceMonitors). The targets' labels after relabelling, read from /api/v1/targets, must match.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PlatformConfig } from '../../config/platform-config';
import { buildPrometheusConfig, POD_TARGET_LABELS, type PrometheusConfig, type ScrapeConfig } from '../../observability/prometheus-config';
import { type PodScrapeTarget, podScrapeTargets, QDRANT_API_KEY } from '../../observability/scrape-targets';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import { tempDir } from '../support/paths';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { withFileDiscovery } from './file-sd';
import { type MonitorObject, operatorScrapeConfig } from './operator-scrape-config';
import { type RunningPrometheus, startPrometheus } from './prometheus-process';
import { testWithBinary } from './system-binary';

const withPrometheus = testWithBinary('prometheus');

/** Nothing listens there: a failed scrape still has its target labels. */
const ADDRESS = '127.0.0.1:9';
const NODE = 'gpu-node-7';

interface ActiveTarget {
  scrapePool: string;
  labels: Record<string, string>;
}

function operatorMode(config: PlatformConfig): PlatformConfig {
  return {
    ...config,
    observability: { ...config.observability, prometheusOperator: { ...config.observability.prometheusOperator, enabled: true } },
  };
}

function labelMeta(prefix: string, labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(labels).flatMap(([key, value]) => {
      const name = key.replace(/[^a-zA-Z0-9_]/g, '_');
      return [
        [`${prefix}_label_${name}`, value],
        [`${prefix}_labelpresent_${name}`, 'true'],
      ];
    }),
  );
}

/** What Kubernetes discovery attaches to the target of one running pod of `target`. */
function discoveredPod(target: PodScrapeTarget, role: 'pod' | 'endpoints'): Record<string, string> {
  const pod = `${target.group.name}-0`;
  const meta: Record<string, string> = {
    __meta_kubernetes_namespace: target.group.namespace,
    __meta_kubernetes_pod_name: pod,
    __meta_kubernetes_pod_node_name: NODE,
    __meta_kubernetes_pod_phase: 'Running',
    __meta_kubernetes_pod_container_name: target.group.name,
    __meta_kubernetes_pod_container_port_number: String(target.port),
    ...labelMeta('__meta_kubernetes_pod', target.group.podLabels),
  };
  if (role === 'pod') return meta;
  // Endpoints of the workload's Service, which carries the pod labels (SecureWorkload).
  return {
    ...meta,
    __meta_kubernetes_service_name: target.group.name,
    ...labelMeta('__meta_kubernetes_service', target.group.podLabels),
    __meta_kubernetes_endpoint_address_target_kind: 'Pod',
    __meta_kubernetes_endpoint_address_target_name: pod,
    __meta_kubernetes_endpoint_port_number: String(target.port),
  };
}

describe.each(EXAMPLE_PLATFORMS.filter(([name]) => name === 'aws' || name === 'homelab'))('%s', (_name, base) => {
  const config = operatorMode(base);
  const monitors = synthKubernetes(config).objects.filter(
    (o) => o.kind === 'ServiceMonitor' || o.kind === 'PodMonitor',
  ) as unknown as MonitorObject[];
  const targets = podScrapeTargets(config).filter((t) => monitors.some((m) => m.metadata.name === t.job));
  let prometheus: RunningPrometheus | undefined;

  afterAll(async () => {
    await prometheus?.stop();
  });

  test('every scrape target has an operator monitor, the GPU exporter a PodMonitor', () => {
    expect(monitors.map((m) => m.metadata.name).sort()).toEqual(targets.map((t) => t.job).sort());
    expect(monitors.find((m) => m.metadata.name === 'gpu')?.kind).toBe('PodMonitor');
  });

  withPrometheus('each monitor, as the operator generates it, gives its targets the labels of the raw job', async () => {
    const dir = tempDir('switchyard-operator-labels-');
    const secretsDir = join(dir, 'secrets');
    mkdirSync(join(secretsDir, QDRANT_API_KEY.secretName), { recursive: true });
    writeFileSync(join(secretsDir, QDRANT_API_KEY.secretName, QDRANT_API_KEY.key), 'key');
    const raw = buildPrometheusConfig(config, { serviceAccountDir: join(dir, 'sa'), rulesDir: dir, secretsDir });
    const jobs: ScrapeConfig[] = [];
    const discovered = new Map<string, Record<string, string>>();
    for (const target of targets) {
      const rawJob = raw.scrape_configs.find((j) => j.job_name === target.job)!;
      const monitor = monitors.find((m) => m.metadata.name === target.job)!;
      const operatorJob = operatorScrapeConfig(monitor);
      jobs.push(rawJob, operatorJob);
      discovered.set(rawJob.job_name, discoveredPod(target, 'pod'));
      discovered.set(operatorJob.job_name, discoveredPod(target, monitor.kind === 'PodMonitor' ? 'pod' : 'endpoints'));
    }
    const file = (job: string) => join(dir, `${job.replace(/\//g, '_')}.sd.json`);
    for (const [job, labels] of discovered) writeFileSync(file(job), JSON.stringify([{ targets: [ADDRESS], labels }]));
    const loopback: PrometheusConfig = withFileDiscovery({ ...raw, rule_files: [], scrape_configs: jobs }, file);
    writeFileSync(join(dir, 'prometheus.yml'), stringify(loopback));

    prometheus = await startPrometheus(dir);
    const active = await prometheus.waitFor(
      'targets for every job',
      () => prometheus!.api<{ activeTargets: ActiveTarget[] }>('targets?state=active').then((d) => d.activeTargets),
      (list) => jobs.every((job) => list.some((t) => t.scrapePool === job.job_name)),
    );
    const labelsOf = (pool: string) => active.find((t) => t.scrapePool === pool)!.labels;

    const byJob = (pool: (target: PodScrapeTarget) => string) => Object.fromEntries(targets.map((t) => [t.job, labelsOf(pool(t))]));
    const rawLabels = byJob((t) => t.job);
    const operatorLabels = byJob((t) => operatorScrapeConfig(monitors.find((m) => m.metadata.name === t.job)!).job_name);
    expect(operatorLabels).toEqual(rawLabels);
    for (const target of targets) {
      const expected = target.reportsOnOtherPods ? ['instance', 'job', 'node'] : [...POD_TARGET_LABELS].sort();
      expect(Object.keys(rawLabels[target.job]).sort()).toEqual(expected);
      expect(rawLabels[target.job]).toMatchObject({ job: target.job, instance: ADDRESS, node: NODE });
    }
  });
});
