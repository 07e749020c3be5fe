/**
 * Policy rules for the gcp profile's synthesized Terraform: the GKE hardening Checkov checks
 * (CKV_GCP_7/9/10/12/13/18/20/25/64/68/69/70/71/72, CKV2_GCP_1), re-expressed over
 * `TerraformStackJson` so they run in the tests without Checkov. Each finding names the
 * resource, the attribute, its value and what is required.
 */
import type { PolicyFinding, PolicyRule } from '../policy-finding';
import { nestedBlock, nestedBlocks, type TerraformStackJson, type TerraformValues } from './terraform-stack-json';

const CLUSTER = 'google_container_cluster';
const NODE_POOL = 'google_container_node_pool';

/** A node configuration and where it lives: a node pool's, or a cluster's default/inline pool. */
interface NodeConfigAt {
  readonly resource: string;
  /** Attribute path of the node_config block, for messages. */
  readonly path: string;
  readonly nodeConfig: TerraformValues;
}

function nodeConfigs(stack: TerraformStackJson): NodeConfigAt[] {
  const fromPools = stack
    .resourcesOfType(NODE_POOL)
    .map((pool) => ({ resource: pool.address, path: 'node_config', nodeConfig: nestedBlock(pool.values, 'node_config') }));
  const fromClusters = stack.resourcesOfType(CLUSTER).flatMap((cluster) => [
    ...nestedBlocks(cluster.values, 'node_config').map((nodeConfig) => ({ resource: cluster.address, path: 'node_config', nodeConfig })),
    ...nestedBlocks(cluster.values, 'node_pool').map((pool, i) => ({
      resource: cluster.address,
      path: `node_pool[${i}].node_config`,
      nodeConfig: nestedBlock(pool, 'node_config'),
    })),
  ]);
  return [...fromPools, ...fromClusters];
}

/** Node pools, including inline `node_pool` blocks of clusters. */
function nodePools(stack: TerraformStackJson): Array<{ resource: string; path: string; values: TerraformValues }> {
  return [
    ...stack.resourcesOfType(NODE_POOL).map((pool) => ({ resource: pool.address, path: '', values: pool.values })),
    ...stack
      .resourcesOfType(CLUSTER)
      .flatMap((c) => nestedBlocks(c.values, 'node_pool').map((values, i) => ({ resource: c.address, path: `node_pool[${i}].`, values }))),
  ];
}

function show(value: unknown): string {
  return value === undefined ? 'unset' : JSON.stringify(value);
}

/** Something a rule looks at, and the Terraform address it belongs to. */
interface Checked {
  readonly resource: string;
}

/**
 * A rule over the items `select` picks from the stack (clusters, node configs, node pools):
 * `problem` returns what is wrong with one item, or undefined when it passes.
 */
function itemRule<T extends Checked>(
  select: (stack: TerraformStackJson) => T[],
  id: string,
  mirrors: string[],
  description: string,
  problem: (item: T) => string | undefined,
): PolicyRule<TerraformStackJson> {
  return {
    id,
    mirrors,
    description,
    check: (stack) =>
      select(stack).flatMap((item): PolicyFinding[] => {
        const message = problem(item);
        return message === undefined ? [] : [{ rule: id, mirrors, resource: item.resource, message }];
      }),
  };
}

const clusters = (stack: TerraformStackJson) => stack.resourcesOfType(CLUSTER).map((c) => ({ resource: c.address, values: c.values }));
const clusterRule = (id: string, mirrors: string[], description: string, problem: (c: { values: TerraformValues }) => string | undefined) =>
  itemRule(clusters, id, mirrors, description, problem);
const nodeConfigRule = (id: string, mirrors: string[], description: string, problem: (at: NodeConfigAt) => string | undefined) =>
  itemRule(nodeConfigs, id, mirrors, description, problem);
const nodeManagementRule = (id: string, mirrors: string[], key: 'auto_repair' | 'auto_upgrade') =>
  itemRule(nodePools, id, mirrors, `every node pool has management.${key} on`, ({ path, values }) => {
    const value = nestedBlock(values, 'management')[key];
    return value === true ? undefined : `${path}management.${key} is ${show(value)}; required: true`;
  });

const DEFAULT_COMPUTE_ACCOUNT = /-compute@developer\.gserviceaccount\.com$/;

export const GCP_TERRAFORM_RULES: readonly PolicyRule<TerraformStackJson>[] = [
  clusterRule('gke-legacy-abac', ['CKV_GCP_7'], 'legacy ABAC is off (RBAC only)', (c) =>
    c.values.enable_legacy_abac === true ? 'enable_legacy_abac is true; required: false' : undefined,
  ),
  nodeManagementRule('gke-node-auto-repair', ['CKV_GCP_9'], 'auto_repair'),
  nodeManagementRule('gke-node-auto-upgrade', ['CKV_GCP_10'], 'auto_upgrade'),
  clusterRule('gke-network-policy', ['CKV_GCP_12'], 'NetworkPolicy is enforced (Dataplane V2, or the network policy add-on)', (c) => {
    if (c.values.datapath_provider === 'ADVANCED_DATAPATH') return undefined;
    const enabled = nestedBlock(c.values, 'network_policy').enabled;
    return enabled === true
      ? undefined
      : `datapath_provider is ${show(c.values.datapath_provider)} and network_policy.enabled is ${show(enabled)}; required: datapath_provider "ADVANCED_DATAPATH" (Dataplane V2) or network_policy.enabled true`;
  }),
  clusterRule('gke-client-certificate', ['CKV_GCP_13'], 'no client certificate is issued', (c) => {
    const issue = nestedBlock(nestedBlock(c.values, 'master_auth'), 'client_certificate_config').issue_client_certificate;
    return issue === true ? 'master_auth.client_certificate_config.issue_client_certificate is true; required: false' : undefined;
  }),
  clusterRule(
    'gke-control-plane-not-public',
    ['CKV_GCP_18'],
    'the control plane is not open to the internet or to all of Google Cloud',
    (c) => {
      const config = nestedBlock(c.values, 'master_authorized_networks_config');
      const open = nestedBlocks(config, 'cidr_blocks').find((b) => typeof b.cidr_block === 'string' && b.cidr_block.endsWith('/0'));
      if (open) return `master_authorized_networks_config.cidr_blocks holds ${show(open.cidr_block)}; required: networks narrower than /0`;
      if (config.gcp_public_cidrs_access_enabled === true)
        return 'master_authorized_networks_config.gcp_public_cidrs_access_enabled is true; required: false (any Google Cloud VM could reach the endpoint)';
      return undefined;
    },
  ),
  clusterRule('gke-authorized-networks', ['CKV_GCP_20'], 'master authorized networks are enabled', (c) =>
    nestedBlocks(c.values, 'master_authorized_networks_config').length === 0
      ? 'master_authorized_networks_config is unset; required: the block (with the allowed networks, or none for a private endpoint)'
      : undefined,
  ),
  clusterRule('gke-private-nodes', ['CKV_GCP_25', 'CKV_GCP_64'], 'nodes have private IPs only', (c) => {
    const enabled = nestedBlock(c.values, 'private_cluster_config').enable_private_nodes;
    return enabled === true ? undefined : `private_cluster_config.enable_private_nodes is ${show(enabled)}; required: true`;
  }),
  nodeConfigRule('gke-secure-boot', ['CKV_GCP_68'], 'nodes boot with Secure Boot', ({ path, nodeConfig }) => {
    const value = nestedBlock(nodeConfig, 'shielded_instance_config').enable_secure_boot;
    return value === true ? undefined : `${path}.shielded_instance_config.enable_secure_boot is ${show(value)}; required: true`;
  }),
  nodeConfigRule(
    'gke-workload-identity-metadata',
    ['CKV_GCP_69'],
    'pods see the GKE metadata server, never the node credentials',
    ({ path, nodeConfig }) => {
      const mode = nestedBlock(nodeConfig, 'workload_metadata_config').mode;
      return mode === 'GKE_METADATA' ? undefined : `${path}.workload_metadata_config.mode is ${show(mode)}; required: "GKE_METADATA"`;
    },
  ),
  clusterRule('gke-workload-identity', ['CKV_GCP_69'], 'the cluster has a Workload Identity pool', (c) => {
    const pool = nestedBlock(c.values, 'workload_identity_config').workload_pool;
    return typeof pool === 'string' && pool.endsWith('.svc.id.goog')
      ? undefined
      : `workload_identity_config.workload_pool is ${show(pool)}; required: "<project>.svc.id.goog"`;
  }),
  clusterRule('gke-release-channel', ['CKV_GCP_70'], 'the cluster follows a release channel', (c) => {
    const channel = nestedBlock(c.values, 'release_channel').channel;
    return channel === 'RAPID' || channel === 'REGULAR' || channel === 'STABLE'
      ? undefined
      : `release_channel.channel is ${show(channel)}; required: "RAPID", "REGULAR" or "STABLE"`;
  }),
  clusterRule('gke-shielded-nodes', ['CKV_GCP_71'], 'Shielded GKE nodes are on', (c) =>
    c.values.enable_shielded_nodes === false ? 'enable_shielded_nodes is false; required: true' : undefined,
  ),
  nodeConfigRule('gke-integrity-monitoring', ['CKV_GCP_72'], 'nodes run with integrity monitoring', ({ path, nodeConfig }) => {
    const value = nestedBlock(nodeConfig, 'shielded_instance_config').enable_integrity_monitoring;
    return value === false ? `${path}.shielded_instance_config.enable_integrity_monitoring is false; required: true` : undefined;
  }),
  nodeConfigRule(
    'gke-dedicated-node-service-account',
    ['CKV2_GCP_1'],
    'nodes run as a dedicated service account, not the Compute Engine default',
    ({ path, nodeConfig }) => {
      const account = nodeConfig.service_account;
      if (typeof account !== 'string' || account === '' || account === 'default' || DEFAULT_COMPUTE_ACCOUNT.test(account))
        return `${path}.service_account is ${show(account)}; required: a dedicated least-privilege service account (never the Compute Engine default)`;
      return undefined;
    },
  ),
];
