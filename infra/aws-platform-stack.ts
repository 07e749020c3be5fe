/**
 * The aws profile's stack: a VPC, an EKS cluster with a CPU system pool and GPU pools, the core
 * EKS add-ons, the gateway's Pod Identity role (Bedrock access scoped to the configured models),
 * MLflow's Pod Identity role when its artifacts go to an AWS S3 bucket without keys (read-write on
 * that bucket only), an ECR repository for the gateway image, cluster add-ons installed with Helm
 * (NVIDIA device plugin when there are GPU pools, Envoy Gateway, metrics-server, Argo CD when
 * GitOps is on), and outputs to reach all of it.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Construct } from 'constructs';
import { mlflowArtifactsIamBucket } from '../config/data-services';
import type { AwsPlatformConfig } from '../config/platform-config';
import { ContainerRegistry } from '../constructs/aws/container-registry';
import { EksCluster } from '../constructs/aws/eks-cluster';
import { EksClusterAddons } from '../constructs/aws/eks-cluster-addons';
import { EksNetwork } from '../constructs/aws/eks-network';
import { EksNodeAddons } from '../constructs/aws/eks-node-addons';
import { EksNodeGroup } from '../constructs/aws/eks-node-group';
import { EksNodeRole } from '../constructs/aws/eks-node-role';
import { BucketAccessRole } from '../constructs/aws/bucket-access-role';
import { GatewayIdentity } from '../constructs/aws/gateway-identity';
import { bedrockModelTargets } from '../constructs/aws/bedrock-model-access';
import { ArgoCd } from '../constructs/addons/argo-cd';
import { EnvoyGateway } from '../constructs/addons/envoy-gateway';
import { MetricsServer } from '../constructs/addons/metrics-server';
import { NvidiaDevicePlugin } from '../constructs/addons/nvidia-device-plugin';
import { MLFLOW_SERVICE_ACCOUNT } from '../constructs/data/mlflow';
import { Fn, type ITerraformDependable, TerraformOutput, TerraformStack, dependable } from '../constructs/cdktf';
import { GPU_PRESENT_LABEL } from '../constructs/aws/eks-node-group';
import { useProjectLocalBackend } from './state-backend';

export interface AwsPlatformStackProps {
  readonly config: AwsPlatformConfig;
}

/** The EKS cluster's name for a config: `<name>-<environment>`. */
export function eksClusterName(config: AwsPlatformConfig): string {
  return `${config.name}-${config.environment}`;
}

export class AwsPlatformStack extends TerraformStack {
  readonly cluster: EksCluster;

  constructor(scope: Construct, id: string, props: AwsPlatformStackProps) {
    super(scope, id);
    const { config } = props;
    const { cluster: spec } = config;
    const clusterName = eksClusterName(config);
    useProjectLocalBackend(this, id);
    new AwsProvider(this, 'aws', {
      region: spec.region,
      defaultTags: [{ tags: { 'switchyard:name': config.name, 'switchyard:environment': config.environment, 'managed-by': 'switchyard' } }],
    });

    const network = new EksNetwork(this, 'network', {
      clusterName,
      cidr: spec.vpcCidr,
      zoneCount: spec.availabilityZones,
      natGateways: spec.natGateways,
    });
    this.cluster = new EksCluster(this, 'cluster', {
      clusterName,
      kubernetesVersion: spec.kubernetesVersion,
      subnetIds: network.privateSubnetIds,
      region: spec.region,
      publicEndpointCidrs: spec.endpoint.publicAccess ? spec.endpoint.publicAccessCidrs : undefined,
      logRetentionDays: spec.controlPlaneLogRetentionDays,
    });
    spec.admins.forEach((admin, i) => this.cluster.grantClusterAdmin(`admin${i}`, admin.principalArn));

    const nodeAddons = new EksNodeAddons(this, 'node-addons', { clusterName: this.cluster.name });
    const nodeRole = new EksNodeRole(this, 'node-role', { roleName: `${clusterName}-node`, region: spec.region });
    const nodeGroups = spec.nodePools.map(
      (pool) =>
        new EksNodeGroup(this, `pool-${pool.name}`, {
          clusterName: this.cluster.name,
          nodeRoleArn: nodeRole.arn,
          subnetIds: network.privateSubnetIds,
          name: pool.name,
          instanceType: pool.instanceType,
          minSize: pool.minSize,
          desiredSize: pool.desiredSize,
          maxSize: pool.maxSize,
          diskSizeGb: pool.diskSizeGb,
          spot: pool.spot,
          gpu: pool.gpu !== undefined,
          labels: pool.labels,
          taints: pool.taints,
          dependsOn: [...nodeAddons.resources, ...nodeRole.attachments],
        }),
    );
    const clusterAddons = new EksClusterAddons(this, 'cluster-addons', {
      clusterName: this.cluster.name,
      namePrefix: clusterName,
      region: spec.region,
      dependsOn: nodeGroups.map((g) => g.nodeGroup),
    });

    this.installHelmAddons(config, [...nodeGroups.map((g) => g.nodeGroup), clusterAddons.coreDns.addon]);

    const gateway = new GatewayIdentity(this, 'gateway-identity', {
      clusterName: this.cluster.name,
      roleName: `${clusterName}-gateway`,
      namespace: config.namespaces.gateway,
      region: spec.region,
      bedrockModels: bedrockModelTargets(config.gateway.runtime),
    });
    const artifactsBucket = mlflowArtifactsIamBucket(config);
    const mlflow = artifactsBucket
      ? new BucketAccessRole(this, 'mlflow-identity', {
          roleName: `${clusterName}-mlflow`,
          clusterName: this.cluster.name,
          namespace: config.namespaces.data,
          serviceAccount: MLFLOW_SERVICE_ACCOUNT,
          bucketName: artifactsBucket.bucket,
          region: artifactsBucket.region,
        })
      : undefined;
    const registry = new ContainerRegistry(this, 'gateway-registry', { repositoryName: `${config.name}-gateway` });

    new TerraformOutput(this, 'cluster_name', { value: this.cluster.name, description: 'Name of the EKS cluster.' });
    new TerraformOutput(this, 'cluster_endpoint', {
      value: this.cluster.cluster.endpoint,
      description:
        'URL of the Kubernetes API server (private endpoint: reachable from inside the VPC unless cluster.endpoint.publicAccess is on).',
    });
    new TerraformOutput(this, 'kubeconfig_command', {
      value: `aws eks update-kubeconfig --region ${spec.region} --name ${clusterName}`,
      description: 'Writes a kubeconfig entry for the cluster (needs an identity with an EKS access entry).',
    });
    new TerraformOutput(this, 'gateway_registry_url', {
      value: registry.repositoryUrl,
      description: 'ECR repository URL for the gateway image; set gateway.image.repository to it.',
    });
    new TerraformOutput(this, 'gateway_role_arn', {
      value: gateway.roleArn,
      description: `IAM role the gateway's service account (${config.namespaces.gateway}/gateway) receives through EKS Pod Identity.`,
    });
    if (mlflow)
      new TerraformOutput(this, 'mlflow_role_arn', {
        value: mlflow.roleArn,
        description: `IAM role MLflow's service account (${config.namespaces.data}/${MLFLOW_SERVICE_ACCOUNT}) receives through EKS Pod Identity: read-write on its artifact bucket.`,
      });
  }

  /**
   * Helm against the new cluster, authenticated as whoever runs Terraform (`aws eks get-token`,
   * an identity with cluster admin through the EKS bootstrap access entry). The API server must
   * be reachable from where Terraform runs: the private endpoint (from the VPC, a VPN or a runner
   * inside it), or the public one limited to the runner's CIDR.
   */
  private installHelmAddons(config: AwsPlatformConfig, nodes: ITerraformDependable[]): void {
    const cluster = this.cluster.cluster;
    new HelmProvider(this, 'helm', {
      kubernetes: {
        host: cluster.endpoint,
        clusterCaCertificate: Fn.base64decode(cluster.certificateAuthority.get(0).data),
        exec: {
          apiVersion: 'client.authentication.k8s.io/v1beta1',
          command: 'aws',
          args: ['eks', 'get-token', '--cluster-name', cluster.name, '--region', config.cluster.region, '--output', 'json'],
        },
      },
    });
    // Add-on pods need nodes and cluster DNS: wait for the node groups and CoreDNS.
    // `dependable` renders a static address (a `${...}` template is invalid in depends_on).
    const dependsOn = nodes.map((n) => dependable(n));
    const releases = [new EnvoyGateway(this, 'envoy-gateway').release, new MetricsServer(this, 'metrics-server').release];
    if (config.cluster.nodePools.some((pool) => pool.gpu))
      releases.push(new NvidiaDevicePlugin(this, 'nvidia-device-plugin', { nodeSelector: { [GPU_PRESENT_LABEL]: 'true' } }).release);
    if (config.gitops?.enabled) releases.push(new ArgoCd(this, 'argocd').release);
    for (const release of releases) release.dependsOn = dependsOn;
  }
}
