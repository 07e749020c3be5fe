/**
 * SwitchyardGateway: the gateway's Deployment on the secure workload base, with its Service
 * (`gateway`, port 8080), CPU autoscaler, disruption budget and own ServiceAccount, and a
 * ConfigMap holding the rendered runtime config at /etc/switchyard/gateway.yaml.
 *
 * - The config is mounted as a directory (not a subPath), so a ConfigMap update reaches the pod
 *   as a `..data` symlink swap, which the gateway watches and reloads without a restart; the
 *   pod template also carries the config's SHA-256, so `kubectl apply` of a new config rolls
 *   the pods too (a reload the watcher might miss never leaves an old config running).
 * - Provider API keys and the Redis password reach the container only as secretKeyRef env vars
 *   named by the config (`apiKeyEnv`, `passwordEnv`); the ConfigMap holds key digests only.
 * - The image is distroless Node running as UID 65532 and writes nothing: read-only root, no
 *   scratch directories.
 */
import { Construct } from 'constructs';
import type { GatewayConfig } from '../../gateway/src/config/schema';
import type { PodGroup } from '../kube/allow-traffic';
import type { ComputeResources } from '../kube/compute-resources';
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
/** The pod-template annotation carrying the config's SHA-256. */
export const CONFIG_CHECKSUM_ANNOTATION = 'switchyard.dev/config-sha256';

export interface GatewaySecretNames {
  /** Secret whose keys are the providers' `apiKeyEnv` names (OPENAI_API_KEY: sk-...). @default 'gateway-provider-keys' */
  readonly providerKeys?: string;
  /** Secret holding the Redis password under `password`. @default 'gateway-redis' */
  readonly redis?: string;
}

export interface SwitchyardGatewayProps {
  readonly namespace: string;
  /** The release instance: the platform config's name. */
  readonly instance: string;
  readonly image: ImageReference;
  readonly replicas: { readonly min: number; readonly max: number };
  readonly resources: ComputeResources;
  /** The validated runtime config (gatewayConfigSchema's output). */
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
    this.configText = renderGatewayConfig(props.runtime);
    const configMapName = `${GATEWAY_NAME}-config`;

    new KubeConfigMap(this, 'Config', {
      metadata: { name: configMapName, namespace: props.namespace, labels: workloadLabels(identity) },
      data: { [GATEWAY_CONFIG_FILE]: this.configText },
    });

    const secrets = {
      providerKeys: props.secrets?.providerKeys ?? 'gateway-provider-keys',
      redis: props.secrets?.redis ?? 'gateway-redis',
    };
    const names = secretEnvNames(props.runtime);
    const env: Record<string, EnvValue> = Object.fromEntries(
      names.providerKeys.map((name) => [name, { secretName: secrets.providerKeys, key: name }]),
    );
    if (names.redisPassword) env[names.redisPassword] = { secretName: secrets.redis, key: 'password' };

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
        mounts: [{ name: 'config', mountPath: GATEWAY_CONFIG_DIR, readOnly: true }],
      },
      volumes: [{ name: 'config', configMap: { name: configMapName, defaultMode: 0o444 } }],
      podAnnotations: { [CONFIG_CHECKSUM_ANNOTATION]: sha256Hex(this.configText) },
      // The gateway drains in-flight requests and streams for up to 30 s on SIGTERM.
      terminationGracePeriodSeconds: 45,
    });
    this.pods = this.workload.pods;
  }
}
