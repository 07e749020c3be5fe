/**
 * The Switchyard gateway in its namespace: the deployment (SwitchyardGateway) with its runtime
 * config, given in `gateway.runtime` or derived from the platform, and its egress beyond the
 * cluster. Flows into it (edge, OpenWebUI) are opened by the charts of those callers; flows to
 * Ollama, Redis and Qdrant by the data charts.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import { ConfigError } from '../config/config-error';
import { problemsFromIssues } from '../config/load-config';
import type { PlatformConfig } from '../config/platform-config';
import { derivedGatewayRuntime, externalProviders } from '../constructs/gateway/gateway-runtime';
import { SwitchyardGateway } from '../constructs/gateway/switchyard-gateway';
import { allowTraffic } from '../constructs/kube/allow-traffic';
import { PUBLIC_INTERNET } from '../constructs/kube/internet';
import { type GatewayConfig, gatewayConfigSchema } from '../gateway/src/config/schema';
import { platformPodGroups } from './pod-groups';

/** The EKS Pod Identity agent on every node, which hands the gateway its Bedrock role's credentials. */
export const EKS_POD_IDENTITY_AGENT = '169.254.170.23/32';

const OLLAMA_PORT = 11434;
const REDIS_PORT = 6379;

/** The GKE Workload Identity service account the gcp profile binds the gateway's ServiceAccount to. */
export function gatewayGcpServiceAccount(config: Extract<PlatformConfig, { profile: 'gcp' }>): string {
  return `${config.name}-gateway@${config.cluster.project}.iam.gserviceaccount.com`;
}

/**
 * The runtime config the gateway runs: `gateway.runtime` as given, or derived (in-cluster Ollama
 * serving `models`, Redis state when Redis is on), validated by the gateway's own schema. Its API
 * keys come from the Secret the deployment mounts, never from here.
 */
export function gatewayRuntime(config: PlatformConfig): GatewayConfig {
  if (config.gateway.runtime) return config.gateway.runtime;
  const groups = platformPodGroups(config);
  const serviceUrl = (group: { name: string; namespace: string }, scheme: string, port: number) =>
    `${scheme}://${group.name}.${group.namespace}.svc.cluster.local:${port}`;
  const derived = derivedGatewayRuntime({
    ollamaUrl: serviceUrl(groups.ollama, 'http', OLLAMA_PORT),
    models: config.models.map((m) => m.name),
    redisUrl: config.components.redis ? serviceUrl(groups.redis, 'redis', REDIS_PORT) : undefined,
  });
  const result = gatewayConfigSchema.safeParse(derived);
  if (result.success) return result.data;
  throw new ConfigError(
    'gateway runtime derived from the platform config',
    problemsFromIssues(result.error.issues, derived, gatewayConfigSchema),
  );
}

export interface GatewayChartProps {
  readonly config: PlatformConfig;
}

export class GatewayChart extends Chart {
  readonly gateway: SwitchyardGateway;

  constructor(scope: Construct, id: string, props: GatewayChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const runtime = gatewayRuntime(config);

    this.gateway = new SwitchyardGateway(this, 'Gateway', {
      namespace: config.namespaces.gateway,
      instance: config.name,
      image: config.gateway.image,
      replicas: config.gateway.replicas,
      resources: config.gateway.resources,
      memoryProfile: config.gateway.memoryProfile,
      runtime,
      serviceAccountAnnotations:
        config.profile === 'gcp' ? { 'iam.gke.io/gcp-service-account': gatewayGcpServiceAccount(config) } : undefined,
    });

    if (externalProviders(runtime).length > 0) {
      allowTraffic(this, 'GatewayToInternet', {
        from: this.gateway.pods,
        to: PUBLIC_INTERNET,
        ports: [443],
      });
    }
    if (config.profile === 'aws' && runtime.providers.some((p) => p.type === 'bedrock')) {
      allowTraffic(this, 'GatewayToPodIdentity', {
        from: this.gateway.pods,
        to: { name: 'eks-pod-identity', cidrs: [EKS_POD_IDENTITY_AGENT] },
        ports: [80],
      });
    }
  }
}
