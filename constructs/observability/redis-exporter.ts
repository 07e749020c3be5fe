/**
 * redis_exporter beside Redis (in its namespace, so it can read Redis's password Secret by
 * reference): Prometheus scrapes it on 9121; it talks to Redis on 6379 with the password.
 */
import { Construct } from 'constructs';
import { METRICS_PORTS } from '../../observability/scrape-targets';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import type { SecretKeyReference } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';

export const REDIS_EXPORTER_IMAGE: ImageReference = { repository: 'quay.io/oliver006/redis_exporter', tag: 'v1.74.0' };

export interface RedisExporterProps {
  readonly instance: string;
  readonly namespace: string;
  /** e.g. redis://redis.ai-data.svc.cluster.local:6379 */
  readonly redisUrl: string;
  readonly passwordSecret: SecretKeyReference;
  /** @default REDIS_EXPORTER_IMAGE */
  readonly image?: ImageReference;
}

export class RedisExporter extends Construct {
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: RedisExporterProps) {
    super(scope, id);
    const workload = new SecureWorkload(this, 'Workload', {
      name: 'redis-exporter',
      component: 'monitoring',
      instance: props.instance,
      namespace: props.namespace,
      runAs: { userId: 59000, groupId: 59000 },
      container: {
        name: 'redis-exporter',
        image: props.image ?? REDIS_EXPORTER_IMAGE,
        env: {
          REDIS_ADDR: props.redisUrl,
          REDIS_PASSWORD: props.passwordSecret,
          REDIS_EXPORTER_WEB_LISTEN_ADDRESS: `:${METRICS_PORTS.redisExporter}`,
        },
        ports: [{ name: 'metrics', port: METRICS_PORTS.redisExporter }],
        resources: { cpuRequest: '25m', cpuLimit: '200m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
        health: { readiness: { httpGet: { path: '/health', port: 'metrics' } } },
      },
    });
    this.pods = workload.pods;
  }
}
