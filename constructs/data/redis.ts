/**
 * Redis from the official image (not Bitnami), as a StatefulSet: password from a Secret
 * (`--requirepass $(REDIS_PASSWORD)`, expanded by the kubelet, so the manifest holds only the
 * reference; Redis rewrites its process title, so the password does not show in `ps`), running as
 * an unprivileged high UID (Redis needs no user of its own, only a writable /data), persistence by
 * config, memory capped below the container limit with least-recently-used eviction of keys that
 * have a TTL.
 */
import { Construct } from 'constructs';
import { quantityToNumber, type ComputeResources } from '../kube/compute-resources';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import type { SecretKeyReference } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';

export const REDIS_IMAGE: ImageReference = { repository: 'docker.io/library/redis', tag: '8.6.5' };
export const REDIS_PORT = 6379;

export type RedisPersistence = 'none' | 'snapshot' | 'append-only';

export interface RedisProps {
  readonly instance: string;
  readonly namespace: string;
  readonly passwordSecret: SecretKeyReference;
  /**
   * none: memory only; snapshot: RDB snapshots; append-only: AOF fsynced every second plus snapshots.
   * @default 'append-only'
   */
  readonly persistence?: RedisPersistence;
  /** The volume for snapshots and the AOF (unused when persistence is none). */
  readonly storage: { readonly size: string; readonly storageClassName: string };
  /** @default - 100m/1 CPU, 256Mi/512Mi memory */
  readonly resources?: ComputeResources;
  /** @default REDIS_IMAGE */
  readonly image?: ImageReference;
}

const PERSISTENCE_ARGS: Record<RedisPersistence, string[]> = {
  none: ['--save', '', '--appendonly', 'no'],
  snapshot: ['--save', '3600 1 300 100 60 10000', '--appendonly', 'no'],
  'append-only': ['--save', '3600 1 300 100 60 10000', '--appendonly', 'yes', '--appendfsync', 'everysec'],
};

/** Exits 0 only when Redis answers PONG to an authenticated PING (redis-cli reads REDISCLI_AUTH). */
export const REDIS_PING = ['sh', '-c', `redis-cli -h 127.0.0.1 -p ${REDIS_PORT} ping | grep -qx PONG`];

export class Redis extends Construct {
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  /** redis://host:port (the password comes from the Secret). */
  readonly url: string;

  constructor(scope: Construct, id: string, props: RedisProps) {
    super(scope, id);
    const persistence = props.persistence ?? 'append-only';
    const resources = props.resources ?? { cpuRequest: '100m', cpuLimit: '1', memoryRequest: '256Mi', memoryLimit: '512Mi' };
    // Leave a quarter of the limit for fork-on-save, buffers and fragmentation.
    const maxMemoryBytes = Math.floor(quantityToNumber(resources.memoryLimit) * 0.75);
    const persistent = persistence !== 'none';

    this.workload = new SecureWorkload(this, 'Workload', {
      name: 'redis',
      component: 'cache',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      container: {
        name: 'redis',
        image: props.image ?? REDIS_IMAGE,
        command: ['redis-server'],
        args: [
          '--port',
          String(REDIS_PORT),
          '--requirepass',
          '$(REDIS_PASSWORD)',
          '--dir',
          '/data',
          '--maxmemory',
          String(maxMemoryBytes),
          '--maxmemory-policy',
          'volatile-lru',
          ...PERSISTENCE_ARGS[persistence],
        ],
        env: { REDIS_PASSWORD: props.passwordSecret, REDISCLI_AUTH: '$(REDIS_PASSWORD)' },
        ports: [{ name: 'redis', port: REDIS_PORT }],
        resources,
        health: { readiness: { exec: REDIS_PING }, startupBudgetSeconds: 600 },
        scratch: persistent
          ? [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '16Mi' }]
          : [{ name: 'data', mountPath: '/data', sizeLimit: '64Mi' }],
      },
      persistentStorage: persistent ? [{ name: 'data', mountPath: '/data', ...props.storage }] : [],
      terminationGracePeriodSeconds: 30,
    });
    this.pods = this.workload.pods;
    this.url = `redis://${this.workload.serviceHost}:${REDIS_PORT}`;
  }
}
