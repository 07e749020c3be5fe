/** The gcp profile's stack: the GKE, node pool, identity and registry settings that carry meaning. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import type { GcpPlatformConfig } from '../../config/platform-config';
import { buildPlatformCharts } from '../../charts/platform-charts';
import { ADDON_CHARTS } from '../../constructs/addons/addon-charts';
import { Testing } from '../../constructs/cdktf';
import { GcpPlatformStack } from '../../infra/gcp-platform-stack';
import { nestedBlock, referencedAddress, TerraformStackJson, type TerraformBlock } from '../../policy/terraform/terraform-stack-json';
import { EXAMPLE_CONFIGS } from '../support/paths';

interface RawGcpConfig {
  cluster: { authorizedNetworks: unknown[]; nodePools: Array<Record<string, unknown>> };
  gitops?: unknown;
}

function gcpConfig(override: (raw: RawGcpConfig) => void = () => {}): GcpPlatformConfig {
  const raw = parse(readFileSync(EXAMPLE_CONFIGS.gcp, 'utf8')) as RawGcpConfig;
  override(raw);
  const config = parsePlatformConfig(raw, EXAMPLE_CONFIGS.gcp);
  if (config.profile !== 'gcp') throw new Error('not a gcp config');
  return config;
}

function synth(config: GcpPlatformConfig = gcpConfig()): TerraformStackJson {
  return new TerraformStackJson(JSON.parse(Testing.synth(new GcpPlatformStack(Testing.app(), 'gcp', { config }))));
}

function single(stack: TerraformStackJson, type: string): TerraformBlock {
  const blocks = stack.resourcesOfType(type);
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

function pool(stack: TerraformStackJson, name: string): TerraformBlock {
  const found = stack.resourcesOfType('google_container_node_pool').find((p) => p.values.name === name);
  if (!found) throw new Error(`no node pool ${name}`);
  return found;
}

describe('GcpPlatformStack: GKE cluster', () => {
  const stack = synth();
  const cluster = single(stack, 'google_container_cluster').values;

  it('has private nodes and a public endpoint open only to the authorized networks', () => {
    expect(cluster.private_cluster_config).toEqual({
      enable_private_nodes: true,
      enable_private_endpoint: false,
      master_ipv4_cidr_block: '172.16.0.0/28',
    });
    expect(cluster.master_authorized_networks_config).toEqual({
      cidr_blocks: [{ cidr_block: '203.0.113.0/24', display_name: 'office' }],
      gcp_public_cidrs_access_enabled: false,
    });
  });

  it('keeps the endpoint private when no network is authorized', () => {
    const privateOnly = single(synth(gcpConfig((raw) => (raw.cluster.authorizedNetworks = []))), 'google_container_cluster').values;
    expect(privateOnly.private_cluster_config).toMatchObject({ enable_private_nodes: true, enable_private_endpoint: true });
    expect(privateOnly.master_authorized_networks_config).toEqual({ cidr_blocks: [], gcp_public_cidrs_access_enabled: false });
  });

  it('uses Workload Identity, shielded nodes, Dataplane V2 and a release channel; no ABAC, no client certificate', () => {
    expect(cluster).toMatchObject({
      workload_identity_config: { workload_pool: 'switchyard-demo-123.svc.id.goog' },
      enable_shielded_nodes: true,
      datapath_provider: 'ADVANCED_DATAPATH',
      release_channel: { channel: 'REGULAR' },
      enable_legacy_abac: false,
      master_auth: { client_certificate_config: { issue_client_certificate: false } },
    });
    expect(cluster.network_policy).toBeUndefined(); // Dataplane V2 enforces NetworkPolicy itself
  });

  it('sends logs and metrics to Cloud Logging and Monitoring, removes the default pool, and leaves Gateway API CRDs to Envoy Gateway', () => {
    expect(cluster).toMatchObject({
      logging_service: 'logging.googleapis.com/kubernetes',
      monitoring_service: 'monitoring.googleapis.com/kubernetes',
      logging_config: { enable_components: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      remove_default_node_pool: true,
      deletion_protection: true,
      gateway_api_config: { channel: 'CHANNEL_DISABLED' },
      ip_allocation_policy: { cluster_secondary_range_name: 'pods', services_secondary_range_name: 'services' },
    });
  });

  it('runs even the transient default pool as the node account with GKE metadata and secure boot', () => {
    expect(cluster.node_config).toMatchObject({
      service_account: `\${${serviceAccount(stack, 'switchyard-gke-nodes').address}.email}`,
      workload_metadata_config: { mode: 'GKE_METADATA' },
      shielded_instance_config: { enable_secure_boot: true, enable_integrity_monitoring: true },
    });
  });
});

function serviceAccount(stack: TerraformStackJson, accountId: string): TerraformBlock {
  const account = stack.resourcesOfType('google_service_account').find((a) => a.values.account_id === accountId);
  if (!account) throw new Error(`no service account ${accountId}`);
  return account;
}

describe('GcpPlatformStack: node pools', () => {
  const stack = synth();
  const nodeAccount = serviceAccount(stack, 'switchyard-gke-nodes');

  it('gives the GPU pool its L4 accelerator with the driver installed by GKE, scaling from zero', () => {
    const gpu = pool(stack, 'gpu-l4').values;
    const nodeConfig = nestedBlock(gpu, 'node_config');
    expect(nodeConfig.machine_type).toBe('g2-standard-8');
    expect(nodeConfig.guest_accelerator).toEqual([
      { type: 'nvidia-l4', count: 1, gpu_driver_installation_config: { gpu_driver_version: 'DEFAULT' } },
    ]);
    expect(gpu.autoscaling).toEqual({ total_min_node_count: 0, total_max_node_count: 2, location_policy: 'ANY' });
    expect(gpu.initial_node_count).toBe(0);
  });

  it('taints and labels GPU nodes so only GPU workloads land there', () => {
    const nodeConfig = nestedBlock(pool(stack, 'gpu-l4').values, 'node_config');
    expect(nodeConfig.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' }]);
    expect(nodeConfig.labels).toMatchObject({ 'switchyard.dev/gpu': 'nvidia', 'switchyard.dev/pool': 'gpu-l4' });
    const system = nestedBlock(pool(stack, 'system').values, 'node_config');
    expect(system.taint).toEqual([]);
    expect(system.guest_accelerator).toBeUndefined();
  });

  it.each(['system', 'gpu-l4'])('pool %s: auto-repair, auto-upgrade, GKE metadata, shielded VM, the node account', (name) => {
    const values = pool(stack, name).values;
    expect(values.management).toEqual({ auto_repair: true, auto_upgrade: true });
    expect(values.upgrade_settings).toMatchObject({ max_unavailable: 0 });
    const nodeConfig = nestedBlock(values, 'node_config');
    expect(nodeConfig.workload_metadata_config).toEqual({ mode: 'GKE_METADATA' });
    expect(nodeConfig.shielded_instance_config).toEqual({ enable_secure_boot: true, enable_integrity_monitoring: true });
    expect(referencedAddress(nodeConfig.service_account)).toBe(nodeAccount.address);
    expect(nodeConfig.metadata).toEqual({ 'disable-legacy-endpoints': 'true' });
  });

  it('gives the GPU pool a 200 GiB boot disk and the system pool 100 GiB when diskSizeGb is left out', () => {
    const defaults = synth(gcpConfig((raw) => raw.cluster.nodePools.forEach((p) => delete p.diskSizeGb)));
    const diskOf = (name: string) => nestedBlock(pool(defaults, name).values, 'node_config');
    expect(diskOf('gpu-l4')).toMatchObject({ disk_size_gb: 200, disk_type: 'pd-balanced' });
    expect(diskOf('system')).toMatchObject({ disk_size_gb: 100, disk_type: 'pd-balanced' });
    const set = synth(gcpConfig((raw) => (raw.cluster.nodePools[1].diskSizeGb = 400)));
    expect(nestedBlock(pool(set, 'gpu-l4').values, 'node_config').disk_size_gb).toBe(400);
  });

  it('maps configured taints to GKE effects and spot to Spot VMs', () => {
    const config = gcpConfig((raw) =>
      Object.assign(raw.cluster.nodePools[1], { spot: true, taints: [{ key: 'team', value: 'ml', effect: 'NoExecute' }] }),
    );
    const nodeConfig = nestedBlock(pool(synth(config), 'gpu-l4').values, 'node_config');
    expect(nodeConfig.spot).toBe(true);
    expect(nodeConfig.taint).toEqual([
      { key: 'team', value: 'ml', effect: 'NO_EXECUTE' },
      { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' },
    ]);
  });
});

describe('GcpPlatformStack: identity and registry', () => {
  const stack = synth();
  const nodeAccount = serviceAccount(stack, 'switchyard-gke-nodes');
  const gatewayAccount = serviceAccount(stack, 'switchyard-gateway');

  it('grants the node account exactly the least-privilege node roles in the project', () => {
    const grants = stack.resourcesOfType('google_project_iam_member');
    expect(grants.map((g) => g.values.role).sort()).toEqual([
      'roles/logging.logWriter',
      'roles/monitoring.metricWriter',
      'roles/monitoring.viewer',
      'roles/stackdriver.resourceMetadata.writer',
    ]);
    for (const grant of grants) expect(grant.values.member).toBe(`serviceAccount:\${${nodeAccount.address}.email}`);
  });

  it('lets the nodes pull from the gateway repository only, whose tags are immutable', () => {
    const registry = single(stack, 'google_artifact_registry_repository').values;
    expect(registry).toMatchObject({
      format: 'DOCKER',
      repository_id: 'switchyard',
      location: 'us-central1',
      docker_config: { immutable_tags: true },
    });
    const pull = single(stack, 'google_artifact_registry_repository_iam_member').values;
    expect(pull).toMatchObject({ role: 'roles/artifactregistry.reader', member: `serviceAccount:\${${nodeAccount.address}.email}` });
    expect(referencedAddress(pull.repository)).toBe(stack.resourcesOfType('google_artifact_registry_repository')[0].address);
  });

  it('lets only the gateway KSA impersonate the gateway GSA, which holds no project role', () => {
    const binding = single(stack, 'google_service_account_iam_member').values;
    expect(binding).toMatchObject({
      role: 'roles/iam.workloadIdentityUser',
      member: 'serviceAccount:switchyard-demo-123.svc.id.goog[ai-gateway/gateway]',
    });
    expect(referencedAddress(binding.service_account_id)).toBe(gatewayAccount.address);
    const projectMembers = stack.resourcesOfType('google_project_iam_member').map((g) => g.values.member as string);
    expect(projectMembers.some((m) => m.includes(gatewayAccount.address))).toBe(false);
  });

  it('binds exactly the ServiceAccount the gateway chart creates, annotated with this GSA', () => {
    const config = gcpConfig();
    const objects = buildPlatformCharts(config).charts.flatMap((c) => c.chart.toJson() as Array<Record<string, any>>); // eslint-disable-line @typescript-eslint/no-explicit-any
    const annotated = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.annotations?.['iam.gke.io/gcp-service-account']);
    expect(annotated).toHaveLength(1);
    const { name, namespace, annotations } = annotated[0].metadata;
    const stackJson = synth(config);
    expect(single(stackJson, 'google_service_account_iam_member').values.member).toBe(
      `serviceAccount:switchyard-demo-123.svc.id.goog[${namespace}/${name}]`,
    );
    const emailOutput = new GcpPlatformStack(Testing.app(), 'gcp', { config }).gatewayIdentity.email;
    expect(annotations['iam.gke.io/gcp-service-account']).toBe(emailOutput);
    expect(emailOutput).toBe(
      `${serviceAccount(stackJson, 'switchyard-gateway').values.account_id}@switchyard-demo-123.iam.gserviceaccount.com`,
    );
  });

  it('builds the VPC with secondary ranges and NAT for the node subnet', () => {
    const subnet = single(stack, 'google_compute_subnetwork').values;
    expect(subnet).toMatchObject({ ip_cidr_range: '10.10.0.0/20', private_ip_google_access: true });
    expect(subnet.secondary_ip_range).toEqual([
      { range_name: 'pods', ip_cidr_range: '10.20.0.0/14' },
      { range_name: 'services', ip_cidr_range: '10.24.0.0/20' },
    ]);
    expect(single(stack, 'google_compute_network').values.auto_create_subnetworks).toBe(false);
    const nat = single(stack, 'google_compute_router_nat').values;
    expect(nat).toMatchObject({ source_subnetwork_ip_ranges_to_nat: 'LIST_OF_SUBNETWORKS', nat_ip_allocate_option: 'AUTO_ONLY' });
  });

  it('opens only the webhook port from the control plane range to the nodes', () => {
    const firewall = single(stack, 'google_compute_firewall').values;
    expect(firewall).toMatchObject({
      direction: 'INGRESS',
      source_ranges: ['172.16.0.0/28'],
      allow: [{ protocol: 'tcp', ports: ['9443'] }],
      target_service_accounts: [`\${${nodeAccount.address}.email}`],
    });
  });

  it('makes the network, cluster, registry and service accounts wait for their API, by static address', () => {
    const api = (service: string) => {
      const found = stack.resourcesOfType('google_project_service').find((r) => r.values.service === service);
      if (!found) throw new Error(`no project service ${service}`);
      expect(found.values.disable_on_destroy).toBe(false);
      return found.address;
    };
    const waits = (block: TerraformBlock) => block.values.depends_on;
    expect(waits(single(stack, 'google_compute_network'))).toEqual([api('compute.googleapis.com')]);
    expect(waits(single(stack, 'google_container_cluster'))).toEqual([api('container.googleapis.com')]);
    expect(waits(single(stack, 'google_artifact_registry_repository'))).toEqual([api('artifactregistry.googleapis.com')]);
    for (const id of ['switchyard-gke-nodes', 'switchyard-gateway'])
      expect(waits(serviceAccount(stack, id))).toEqual([api('iam.googleapis.com')]);
  });
});

describe('GcpPlatformStack: add-ons and outputs', () => {
  it('installs Envoy Gateway after the node pools, and neither the NVIDIA plugin nor metrics-server (GKE runs both)', () => {
    const stack = synth();
    const releases = stack.resourcesOfType('helm_release');
    expect(releases.map((r) => r.values.chart)).toEqual(['gateway-helm']);
    expect(releases[0].values.version).toBe(ADDON_CHARTS.envoyGateway.version);
    // Raw addresses, as Terraform requires in depends_on: a `${...}` template fails `terraform init`.
    const pools = stack.resourcesOfType('google_container_node_pool').map((p) => p.address);
    expect([...(releases[0].values.depends_on as string[])].sort()).toEqual(pools.sort());
  });

  it('adds Argo CD when GitOps is on, also after the node pools', () => {
    const gitops = { enabled: true, repoUrl: 'https://github.com/example/platform.git', path: 'dist/gcp', revision: 'main' };
    const stack = synth(gcpConfig((raw) => (raw.gitops = gitops)));
    const releases = stack.resourcesOfType('helm_release');
    expect(releases.map((r) => r.values.chart).sort()).toEqual(['argo-cd', 'gateway-helm']);
    const pools = stack.resourcesOfType('google_container_node_pool').map((p) => p.address);
    const argo = releases.find((r) => r.values.chart === 'argo-cd');
    expect([...(argo?.values.depends_on as string[])].sort()).toEqual(pools.sort());
  });

  it('describes every output and prints the get-credentials command', () => {
    const outputs = synth().outputs;
    expect(outputs.map((o) => o.name).sort()).toEqual([
      'cluster_endpoint',
      'cluster_name',
      'gateway_service_account_email',
      'get_credentials_command',
      'registry_url',
    ]);
    for (const output of outputs) expect(output.description?.length).toBeGreaterThan(10);
    expect(outputs.find((o) => o.name === 'get_credentials_command')?.value).toBe(
      'gcloud container clusters get-credentials switchyard --region us-central1 --project switchyard-demo-123',
    );
    expect(outputs.find((o) => o.name === 'registry_url')?.value).toBe('us-central1-docker.pkg.dev/switchyard-demo-123/switchyard');
  });
});
