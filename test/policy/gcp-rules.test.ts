/** The GKE policy table: silent on the synthesized gcp stacks, and each rule catches its weakening. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import { Testing } from '../../constructs/cdktf';
import { GcpPlatformStack } from '../../infra/gcp-platform-stack';
import { formatFindings, runPolicy } from '../../policy/policy-finding';
import { GCP_TERRAFORM_RULES } from '../../policy/terraform/gcp-rules';
import { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { EXAMPLE_CONFIGS } from '../support/paths';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- raw cdk.tf.json under mutation

function synthGcp(raw: unknown): Json {
  const config = parsePlatformConfig(raw);
  if (config.profile !== 'gcp') throw new Error('not a gcp config');
  return JSON.parse(Testing.synth(new GcpPlatformStack(Testing.app(), 'gcp', { config }))) as Json;
}

const example = synthGcp(parse(readFileSync(EXAMPLE_CONFIGS.gcp, 'utf8')));

/** The one cluster and the node pools of a stack JSON, for mutation. */
function cluster(json: Json): Json {
  return Object.values(json.resource.google_container_cluster as Json)[0] as Json;
}
function gpuPool(json: Json): Json {
  return Object.values(json.resource.google_container_node_pool as Json).find((p: Json) => p.name === 'gpu-l4') as Json;
}

describe('GCP Terraform policy', () => {
  it('finds nothing on examples/gcp.yaml', () => {
    const findings = runPolicy(GCP_TERRAFORM_RULES, new TerraformStackJson(example));
    expect(formatFindings(findings)).toBe('');
  });

  it('finds nothing on the gcp defaults (private-only endpoint)', () => {
    const findings = runPolicy(
      GCP_TERRAFORM_RULES,
      new TerraformStackJson(synthGcp({ profile: 'gcp', cluster: { project: 'switchyard-demo-123' } })),
    );
    expect(formatFindings(findings)).toBe('');
  });

  it('mirrors every GKE check the issue names', () => {
    const mirrored = new Set(GCP_TERRAFORM_RULES.flatMap((r) => r.mirrors));
    for (const check of [
      'CKV_GCP_7',
      'CKV_GCP_9',
      'CKV_GCP_10',
      'CKV_GCP_12',
      'CKV_GCP_13',
      'CKV_GCP_18',
      'CKV_GCP_20',
      'CKV_GCP_25',
      'CKV_GCP_64',
      'CKV_GCP_68',
      'CKV_GCP_69',
      'CKV_GCP_70',
      'CKV_GCP_71',
      'CKV_GCP_72',
      'CKV2_GCP_1',
    ])
      expect(mirrored).toContain(check);
  });

  it.each<[string, (json: Json) => void, string]>([
    ['gke-legacy-abac', (j) => (cluster(j).enable_legacy_abac = true), 'enable_legacy_abac is true; required: false'],
    ['gke-node-auto-repair', (j) => (gpuPool(j).management.auto_repair = false), 'management.auto_repair is false; required: true'],
    ['gke-node-auto-upgrade', (j) => delete gpuPool(j).management.auto_upgrade, 'management.auto_upgrade is unset; required: true'],
    [
      'gke-network-policy',
      (j) => delete cluster(j).datapath_provider,
      'datapath_provider is unset and network_policy.enabled is unset; required: datapath_provider "ADVANCED_DATAPATH" (Dataplane V2) or network_policy.enabled true',
    ],
    [
      'gke-client-certificate',
      (j) => (cluster(j).master_auth.client_certificate_config.issue_client_certificate = true),
      'master_auth.client_certificate_config.issue_client_certificate is true; required: false',
    ],
    [
      'gke-control-plane-not-public',
      (j) => cluster(j).master_authorized_networks_config.cidr_blocks.push({ cidr_block: '0.0.0.0/0', display_name: 'all' }),
      'master_authorized_networks_config.cidr_blocks holds "0.0.0.0/0"; required: networks narrower than /0',
    ],
    [
      'gke-control-plane-not-public',
      (j) => (cluster(j).master_authorized_networks_config.gcp_public_cidrs_access_enabled = true),
      'master_authorized_networks_config.gcp_public_cidrs_access_enabled is true; required: false (any Google Cloud VM could reach the endpoint)',
    ],
    [
      'gke-authorized-networks',
      (j) => delete cluster(j).master_authorized_networks_config,
      'master_authorized_networks_config is unset; required: the block (with the allowed networks, or none for a private endpoint)',
    ],
    [
      'gke-private-nodes',
      (j) => (cluster(j).private_cluster_config.enable_private_nodes = false),
      'private_cluster_config.enable_private_nodes is false; required: true',
    ],
    [
      'gke-secure-boot',
      (j) => (gpuPool(j).node_config.shielded_instance_config.enable_secure_boot = false),
      'node_config.shielded_instance_config.enable_secure_boot is false; required: true',
    ],
    [
      'gke-workload-identity-metadata',
      (j) => (gpuPool(j).node_config.workload_metadata_config.mode = 'GCE_METADATA'),
      'node_config.workload_metadata_config.mode is "GCE_METADATA"; required: "GKE_METADATA"',
    ],
    [
      'gke-workload-identity',
      (j) => delete cluster(j).workload_identity_config,
      'workload_identity_config.workload_pool is unset; required: "<project>.svc.id.goog"',
    ],
    [
      'gke-release-channel',
      (j) => (cluster(j).release_channel.channel = 'UNSPECIFIED'),
      'release_channel.channel is "UNSPECIFIED"; required: "RAPID", "REGULAR" or "STABLE"',
    ],
    ['gke-shielded-nodes', (j) => (cluster(j).enable_shielded_nodes = false), 'enable_shielded_nodes is false; required: true'],
    [
      'gke-integrity-monitoring',
      (j) => (gpuPool(j).node_config.shielded_instance_config.enable_integrity_monitoring = false),
      'node_config.shielded_instance_config.enable_integrity_monitoring is false; required: true',
    ],
    [
      'gke-dedicated-node-service-account',
      (j) => (gpuPool(j).node_config.service_account = '123456789-compute@developer.gserviceaccount.com'),
      'node_config.service_account is "123456789-compute@developer.gserviceaccount.com"; required: a dedicated least-privilege service account (never the Compute Engine default)',
    ],
    [
      'gke-dedicated-node-service-account',
      (j) => delete cluster(j).node_config.service_account,
      'node_config.service_account is unset; required: a dedicated least-privilege service account (never the Compute Engine default)',
    ],
  ])('%s fires on a weakened stack', (rule, weaken, message) => {
    const json = structuredClone(example);
    weaken(json);
    const findings = runPolicy(GCP_TERRAFORM_RULES, new TerraformStackJson(json));
    expect(findings.map((f) => ({ rule: f.rule, message: f.message }))).toEqual([{ rule, message }]);
    expect(findings[0].resource).toMatch(/^google_container_(cluster|node_pool)\./);
  });
});
