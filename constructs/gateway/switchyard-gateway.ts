/**
 * SwitchyardGateway: the gateway's Deployment on the secure workload base, with its Service
 * (`gateway`, port 8080), CPU autoscaler, disruption budget and own ServiceAccount, a ConfigMap
 * holding the rendered runtime config at /etc/switchyard/gateway.yaml, and the API keys from a
 * Secret at /etc/switchyard-keys/keys.yaml.
 *
 * - The config is mounted as a directory (not a subPath), so a ConfigMap update reaches the pod
 *   as a `..data` symlink swap, which the gateway watches and reloads without a restart; the
 *   pod template also carries the config's SHA-256, so `kubectl apply` of a new config rolls
 *   the pods too (a reload the watcher might miss never leaves an old config running).
 * - Provider API keys and the Redis password reach the container only as secretKeyRef env vars
 *   named by the config (`apiKeyEnv`, `passwordEnv`).
 * - API keys (their SHA-256 digests) come only from a Secret the operator creates
 *   (`gateway-api-keys`, key `keys.yaml`: a YAML list of key entries), mounted read-only at
 *   /etc/switchyard-keys; the rendered config points `keysFile` at it and lists no keys, so no
 *   ConfigMap holds a digest. The gateway watches the file, so a Secret update reaches it as a
 *   `..data` symlink swap without a restart. The volume is not optional: a pod waits for the
 *   Secret rather than start with no keys.
 * - The image is distroless Node running as UID 65532 and writes nothing: read-only root, no
 *   scratch directories.
 * - `memoryProfile` sets NODE_OPTIONS and MALLOC_ARENA_MAX from gateway/src/memory-profiles.json
 *   (the flags the benchmark measures); a memory limit below the profile's `minMemoryLimitMiB`
 *   (room above its heap limit) fails synth.
 */
import { Construct } from 'constructs';
import { GATEWAY_API_KEYS_SECRET } from '../../config/gateway';
import type { GatewayConfig } from '../../gateway/src/config/schema';
import {
  DEFAULT_MEMORY_PROFILE,
  MEMORY_PROFILES,
  type MemoryProfileName,
  memoryProfileEnv,
  memoryProfileFloorReason,
} from '../../gateway/src/memory-profiles';
import type { PodGroup } from '../kube/allow-traffic';
import { type ComputeResources, quantityToNumber } from '../kube/compute-resources';
import type { ImageReference } from '../kube/image-reference';
import { KubeConfigMap } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import type { EnvValue } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';
import { renderGatewayConfig, secretEnvNames, sha256Hex } from './gateway-runtime';

/** Where the image expects its config (gateway/Dockerfile). */
export const GATEWAY_CONFIG_DIR = '/etc/switchyard';
export const GATEWAY_CONFIG_FILE = 'gateway.yaml';
export const GATEWAY_PORT = 8080;
/**
 * Where the API keys Secret is mounted, and its key: the rendered config's `keysFile`. A sibling of
 * the config directory, not inside it: the ConfigMap volume is read-only, so no mount point can be
 * made in it.
 */
export const GATEWAY_KEYS_DIR = '/etc/switchyard-keys';
export const GATEWAY_KEYS_FILE = 'keys.yaml';
/** The pod-template annotation carrying the config's SHA-256. */
export const CONFIG_CHECKSUM_ANNOTATION = 'switchyard.dev/config-sha256';

export interface GatewaySecretNames {
  /** Secret whose keys are the providers' `apiKeyEnv` names (OPENAI_API_KEY: sk-...). @default 'gateway-provider-keys' */
  readonly providerKeys?: string;
  /** Secret holding the Redis password under `password`. @default 'gateway-redis' */
  readonly redis?: string;
  /**
   * Secret holding the API keys under `keys.yaml`: a YAML list of `{ id, sha256, tenant, models, ... }`
   * entries (the gateway's `keys` schema). @default 'gateway-api-keys'
   */
  readonly apiKeys?: string;
}

export interface SwitchyardGatewayProps {
  readonly namespace: string;
  /** The release instance: the platform config's name. */
  readonly instance: string;
  readonly image: ImageReference;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly resources: ComputeResources;
  /** How the Node process trades memory for CPU (gateway/src/memory-profiles.ts). @default 'standard' */
  readonly memoryProfile?: MemoryProfileName;
  /**
   * The validated runtime config (gatewayConfigSchema's output), with no `keys` and no `keysFile`:
   * the construct points `keysFile` at the mounted API keys Secret.
   */
  readonly runtime: GatewayConfig;
  /** @default - see GatewaySecretNames */
  readonly secrets?: GatewaySecretNames;
  /**
   * Annotations binding the ServiceAccount to a cloud identity (GKE Workload Identity). EKS Pod
   * Identity binds by namespace and name and needs none.
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

export const GATEWAY_NAME = 'gateway';

export class SwitchyardGateway extends Construct {
  readonly pods: PodGroup;
  readonly workload: SecureWorkload;
  /** The rendered config file, as mounted. */
  readonly configText: string;

  constructor(scope: Construct, id: string, props: SwitchyardGatewayProps) {
    super(scope, id);
    const identity = { name: GATEWAY_NAME, component: 'api-gateway', instance: props.instance, namespace: props.namespace };
    const keysFile = `${GATEWAY_KEYS_DIR}/${GATEWAY_KEYS_FILE}`;
    if (props.runtime.keys.length > 0)
      throw new Error(
        `${this.node.path}: runtime.keys: got ${props.runtime.keys.length} key(s); expected none (API keys come only from the Secret ${props.secrets?.apiKeys ?? GATEWAY_API_KEYS_SECRET}, key ${GATEWAY_KEYS_FILE})`,
      );
    if (props.runtime.keysFile !== undefined && props.runtime.keysFile !== keysFile)
      throw new Error(
        `${this.node.path}: runtime.keysFile: got ${JSON.stringify(props.runtime.keysFile)}; expected nothing (the construct sets it to ${keysFile}, where the API keys Secret is mounted)`,
      );
    this.configText = renderGatewayConfig({ ...props.runtime, keysFile });
    const configMapName = `${GATEWAY_NAME}-config`;

    new KubeConfigMap(this, 'Config', {
      metadata: { name: configMapName, namespace: props.namespace, labels: workloadLabels(identity) },
      data: { [GATEWAY_CONFIG_FILE]: this.configText },
    });

    const secrets = {
      providerKeys: props.secrets?.providerKeys ?? 'gateway-provider-keys',
      redis: props.secrets?.redis ?? 'gateway-redis',
      apiKeys: props.secrets?.apiKeys ?? GATEWAY_API_KEYS_SECRET,
    };
    const names = secretEnvNames(props.runtime);
    const env: Record<string, EnvValue> = Object.fromEntries(
      names.providerKeys.map((name) => [name, { secretName: secrets.providerKeys, key: name }]),
    );
    if (names.redisPassword) env[names.redisPassword] = { secretName: secrets.redis, key: 'password' };
    Object.assign(env, this.memoryProfileEnv(props.memoryProfile ?? DEFAULT_MEMORY_PROFILE, props.resources.memoryLimit));

    this.workload = new SecureWorkload(this, 'Resource', {
      ...identity,
      serviceAccountAnnotations: props.serviceAccountAnnotations,
      autoscaling: { minReplicas: props.replicas.min, maxReplicas: props.replicas.max, cpuUtilizationPercent: 70 },
      container: {
        name: GATEWAY_NAME,
        image: props.image,
        args: ['--config', `${GATEWAY_CONFIG_DIR}/${GATEWAY_CONFIG_FILE}`, '--host', '0.0.0.0', '--port', String(GATEWAY_PORT)],
        env: Object.keys(env).length > 0 ? env : undefined,
        ports: [{ name: 'http', port: GATEWAY_PORT }],
        resources: props.resources,
        health: {
          readiness: { httpGet: { path: '/readyz', port: 'http' } },
          liveness: { httpGet: { path: '/healthz', port: 'http' } },
          startupBudgetSeconds: 60,
          timeoutSeconds: 3,
        },
        mounts: [
          { name: 'config', mountPath: GATEWAY_CONFIG_DIR, readOnly: true },
          { name: 'api-keys', mountPath: GATEWAY_KEYS_DIR, readOnly: true },
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: configMapName, defaultMode: 0o444 } },
        // Readable by the pod's fsGroup (65532, the gateway's group) only.
        {
          name: 'api-keys',
          secret: {
            secretName: secrets.apiKeys,
            optional: false,
            defaultMode: 0o440,
            items: [{ key: GATEWAY_KEYS_FILE, path: GATEWAY_KEYS_FILE }],
          },
        },
      ],
      podAnnotations: { [CONFIG_CHECKSUM_ANNOTATION]: sha256Hex(this.configText) },
      // The gateway drains in-flight requests and streams for up to 30 s on SIGTERM.
      terminationGracePeriodSeconds: 45,
    });
    this.pods = this.workload.pods;
  }

  /** The profile's environment; throws when the memory limit is below the profile's floor. */
  private memoryProfileEnv(name: MemoryProfileName, memoryLimit: string): Record<string, string> {
    const floorMiB = MEMORY_PROFILES[name].minMemoryLimitMiB;
    if (floorMiB !== undefined && !(quantityToNumber(memoryLimit) >= floorMiB * 2 ** 20))
      throw new Error(
        `${this.node.path}: resources.memoryLimit: got ${JSON.stringify(memoryLimit)}; expected at least ${floorMiB}Mi with memoryProfile "${name}" (${memoryProfileFloorReason(name)})`,
      );
    return memoryProfileEnv(name);
  }
}
