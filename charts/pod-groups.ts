/**
 * Where each platform workload's pods live and how they are selected, derived from the config.
 * Charts use these to open network flows by intent (`allowTraffic(this, 'X', { from: groups.gateway,
 * to: groups.redis, ports: [6379] })`) without importing each other's constructs.
 * A workload's construct must label its pods with exactly `podLabels` (use `selectorLabels`).
 */
import type { PlatformConfig } from '../config/platform-config';
import type { PodGroup } from '../constructs/kube/allow-traffic';
import { selectorLabels } from '../constructs/kube/labels';

export type WorkloadName =
  | 'gateway'
  | 'ollama'
  | 'model-pull'
  | 'open-webui'
  | 'redis'
  | 'qdrant'
  | 'minio'
  | 'minio-setup'
  | 'mlflow'
  | 'postgres'
  | 'prometheus'
  | 'grafana'
  | 'redis-exporter'
  | 'kube-state-metrics';

const NAMESPACE_OF: Record<WorkloadName, keyof PlatformConfig['namespaces']> = {
  gateway: 'gateway',
  ollama: 'models',
  'model-pull': 'models',
  'open-webui': 'ui',
  redis: 'data',
  qdrant: 'data',
  minio: 'data',
  'minio-setup': 'data',
  mlflow: 'data',
  postgres: 'data',
  prometheus: 'observability',
  grafana: 'observability',
  // Beside Redis, so it can read Redis's password Secret (Secrets do not cross namespaces).
  'redis-exporter': 'data',
  'kube-state-metrics': 'observability',
};

export function platformPodGroups(config: PlatformConfig): Record<WorkloadName, PodGroup> {
  return Object.fromEntries(
    (Object.keys(NAMESPACE_OF) as WorkloadName[]).map((name) => [
      name,
      { name, namespace: config.namespaces[NAMESPACE_OF[name]], podLabels: selectorLabels({ name, instance: config.name }) },
    ]),
  ) as Record<WorkloadName, PodGroup>;
}
