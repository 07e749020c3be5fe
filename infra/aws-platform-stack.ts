/**
 * The aws profile's stack: a VPC, an EKS cluster with a CPU system pool and GPU pools, the core
 * EKS add-ons, the gateway's Pod Identity role (Bedrock access scoped to the configured models),
 * an ECR repository for the gateway image, and outputs to reach all of it.
 */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import type { AwsPlatformConfig } from '../config/platform-config';
import { ContainerRegistry } from '../constructs/aws/container-registry';
import { EksCluster } from '../constructs/aws/eks-cluster';
import { EksClusterAddons } from '../constructs/aws/eks-cluster-addons';
import { EksNetwork } from '../constructs/aws/eks-network';
import { EksNodeAddons } from '../constructs/aws/eks-node-addons';
import { EksNodeGroup } from '../constructs/aws/eks-node-group';
import { EksNodeRole } from '../constructs/aws/eks-node-role';
import { GatewayIdentity } from '../constructs/aws/gateway-identity';
import { bedrockModelTargets } from '../constructs/aws/bedrock-model-access';
import { TerraformOutput, TerraformStack } from '../constructs/cdktf';
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
    new EksClusterAddons(this, 'cluster-addons', {
      clusterName: this.cluster.name,
      namePrefix: clusterName,
      region: spec.region,
      dependsOn: nodeGroups.map((g) => g.nodeGroup),
    });

    const gateway = new GatewayIdentity(this, 'gateway-identity', {
      clusterName: this.cluster.name,
      roleName: `${clusterName}-gateway`,
      namespace: config.namespaces.gateway,
      region: spec.region,
      bedrockModels: bedrockModelTargets(config.gateway.runtime),
    });
    const registry = new ContainerRegistry(this, 'gateway-registry', { repositoryName: `${config.name}-gateway` });

    new TerraformOutput(this, 'cluster_name', { value: this.cluster.name, description: 'Name of the EKS cluster.' });
    new TerraformOutput(this, 'cluster_endpoint', {
      value: this.cluster.cluster.endpoint,
      description: 'URL of the Kubernetes API server (private endpoint: reachable from inside the VPC unless cluster.endpoint.publicAccess is on).',
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
  }
}
