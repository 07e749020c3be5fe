/**
 * Debian's prometheus and promtool are built without Kubernetes service discovery (its client
 * libraries are not packaged): they refuse `kubernetes_sd_configs` as an unknown field. The tests
 * therefore swap each job's Kubernetes discovery for file discovery and keep everything else of the
 * job (relabelling, scheme, TLS, authorization, metric relabelling), so promtool still checks all of
 * it; the discovery blocks themselves are checked against the upstream field set in
 * prometheus-config.test.ts. With a promtool that knows Kubernetes discovery, the config is checked
 * unchanged.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { PrometheusConfig, ScrapeConfig } from '../../observability/prometheus-config';
import { runTool } from './system-binary';

let support: Promise<boolean> | undefined;

/** Whether this promtool accepts `kubernetes_sd_configs`. */
export function promtoolKnowsKubernetesSd(dir: string): Promise<boolean> {
  support ??= (async () => {
    const file = join(dir, 'kubernetes-sd-probe.yml');
    writeFileSync(file, 'scrape_configs:\n  - job_name: probe\n    kubernetes_sd_configs: [{ role: pod }]\n');
    return (await runTool('promtool', ['check', 'config', file])).code === 0;
  })();
  return support;
}

/** The config with every job's Kubernetes discovery replaced by the file `sdFile(job)`. */
export function withFileDiscovery(config: PrometheusConfig, sdFile: (job: string) => string): PrometheusConfig {
  return {
    ...config,
    scrape_configs: config.scrape_configs.map((job): ScrapeConfig => {
      if (!job.kubernetes_sd_configs) return job;
      const { kubernetes_sd_configs: _discovery, ...rest } = job;
      return { ...rest, file_sd_configs: [{ files: [sdFile(job.job_name)], refresh_interval: '1s' }] };
    }),
  };
}
