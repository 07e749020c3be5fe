/**
 * The gcp profile's stack: project APIs, VPC with Cloud NAT, a private GKE cluster with a
 * least-privilege node account and its node pools (system and GPU), an Artifact Registry
 * repository for the gateway image, Workload Identity for the gateway, and the cluster add-ons
 * installed with Helm: Envoy Gateway, and Argo CD when GitOps is on. GKE brings its own
 * metrics-server and, on GPU nodes, the NVIDIA driver and device plugin, so neither is installed.
 */
import { DataGoogleClientConfig } from '@cdktf/provider-google/lib/data-google-client-config';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Construct } from 'constructs';
import { ArgoCd } from '../constructs/addons/argo-cd';
import { EnvoyGateway } from '../constructs/addons/envoy-gateway';
import { platformPodGroups } from '../charts/pod-groups';
import { Fn, TerraformOutput, TerraformStack, dependable } from '../constructs/cdktf';
import { ArtifactRegistryRepository } from '../constructs/gcp/artifact-registry-repository';
import { CloudNat } from '../constructs/gcp/cloud-nat';
import { ControlPlaneWebhookFirewall } from '../constructs/gcp/control-plane-webhook-firewall';
import { GcpNetwork } from '../constructs/gcp/gcp-network';
import { GcpProjectApis } from '../constructs/gcp/gcp-project-apis';
import { GkeCluster } from '../constructs/gcp/gke-cluster';
import { GkeNodePool } from '../constructs/gcp/gke-node-pool';
import { GkeNodeServiceAccount } from '../constructs/gcp/gke-node-service-account';
import { GkeWorkloadIdentity } from '../constructs/gcp/gke-workload-identity';
import { useProjectLocalBackend } from './state-backend';
import type { GcpPlatformConfig } from '../config/platform-config';

export interface GcpPlatformStackProps {
  readonly config: GcpPlatformConfig;
}

export class GcpPlatformStack extends TerraformStack {
  readonly cluster: GkeCluster;
  readonly gatewayIdentity: GkeWorkloadIdentity;
  readonly registry: ArtifactRegistryRepository;

  constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    const { config } = props;
    const { project, region, network: ranges } = config.cluster;
    const prefix = config.name;
    const labels = { 'switchyard-name': config.name, 'switchyard-environment': config.environment, 'managed-by': 'switchyard' };
    useProjectLocalBackend(this, id);
    new GoogleProvider(this, 'google', { project, region, defaultLabels: labels });

    const apis = new GcpProjectApis(this, 'apis', { project });
    const network = new GcpNetwork(this, 'network', { namePrefix: prefix, region, ...ranges });
    new CloudNat(this, 'nat', { namePrefix: prefix, region, network });
    const nodeAccount = new GkeNodeServiceAccount(this, 'node-service-account', { project, accountId: `${prefix}-gke-nodes` });
    this.registry = new ArtifactRegistryRepository(this, 'registry', {
      project,
      region,
      repositoryId: prefix,
      description: 'Switchyard images (the gateway); tags are immutable.',
    });
    this.registry.grantPull('nodes-pull', nodeAccount.member);

    this.cluster = new GkeCluster(this, 'cluster', {
      name: prefix,
      project,
      region,
      network,
      releaseChannel: config.cluster.releaseChannel,
      kubernetesVersion: config.cluster.kubernetesVersion,
      masterCidr: ranges.masterCidr,
      authorizedNetworks: config.cluster.authorizedNetworks,
      nodeServiceAccountEmail: nodeAccount.account.email,
      labels,
    });
    const pools = config.cluster.nodePools.map(
      (pool) =>
        new GkeNodePool(this, `node-pool-${pool.name}`, { cluster: this.cluster, pool, serviceAccountEmail: nodeAccount.account.email }),
    );
    new ControlPlaneWebhookFirewall(this, 'control-plane-webhooks', {
      namePrefix: prefix,
      network,
      masterCidr: ranges.masterCidr,
      nodeServiceAccountEmail: nodeAccount.account.email,
    });
    const gatewayPods = platformPodGroups(config).gateway;
    this.gatewayIdentity = new GkeWorkloadIdentity(this, 'gateway-identity', {
      project,
      accountId: `${prefix}-gateway`,
      // Each workload's ServiceAccount is named after it, in its pod group's namespace.
      namespace: gatewayPods.namespace,
      serviceAccountName: gatewayPods.name,
      cluster: this.cluster.cluster,
    });

    apis.requiredBy('compute.googleapis.com', network.network);
    apis.requiredBy('container.googleapis.com', this.cluster.cluster);
    apis.requiredBy('artifactregistry.googleapis.com', this.registry.repository);
    apis.requiredBy('iam.googleapis.com', nodeAccount.account, this.gatewayIdentity.account);

    this.installAddons(config, pools);
    this.addOutputs();
  }

  /** Helm against the new cluster, authenticated as whoever runs Terraform (their gcloud token). */
  private installAddons(config: GcpPlatformConfig, pools: readonly GkeNodePool[]): void {
    const client = new DataGoogleClientConfig(this, 'client');
    const cluster = this.cluster.cluster;
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: `https://${cluster.endpoint}`,
        token: client.accessToken,
        clusterCaCertificate: Fn.base64decode(cluster.masterAuth.clusterCaCertificate),
      },
    });
    // Add-on pods need nodes: wait for the node pools, not only the control plane.
    // `dependable` renders a static address (a `${...}` template is invalid in depends_on).
    const nodePools = pools.map((p) => dependable(p.nodePool));
    const envoyGateway = new EnvoyGateway(this, 'envoy-gateway');
    envoyGateway.release.dependsOn = nodePools;
    if (config.gitops?.enabled) new ArgoCd(this, 'argocd').release.dependsOn = nodePools;
  }

  private addOutputs(): void {
    new TerraformOutput(this, 'cluster_name', { value: this.cluster.cluster.name, description: 'Name of the GKE cluster.' });
    new TerraformOutput(this, 'cluster_endpoint', {
      value: this.cluster.cluster.endpoint,
      description: this.cluster.privateEndpoint
        ? 'Private IP of the control plane (reachable from the VPC only: no authorized networks are configured).'
        : 'Public IP of the control plane, reachable only from cluster.authorizedNetworks.',
    });
    new TerraformOutput(this, 'get_credentials_command', {
      value: this.cluster.credentialsCommand,
      description: 'Writes a kubeconfig entry for the cluster (gcloud and gke-gcloud-auth-plugin required).',
    });
    new TerraformOutput(this, 'registry_url', {
      value: this.registry.url,
      description: 'Artifact Registry repository for the gateway image: docker push <url>/gateway:<tag> (tags are immutable).',
    });
    new TerraformOutput(this, 'gateway_service_account_email', {
      value: this.gatewayIdentity.account.email,
      description: 'Google service account the gateway ServiceAccount impersonates (annotation iam.gke.io/gcp-service-account).',
    });
  }
}
