/**
 * Policy checks on the synthesized aws stack (cdk.tf.json), mirroring Checkov's EKS and EC2
 * checks. Each rule reads the Terraform as written, so it also catches a stack edited by hand or
 * built by other code. Terraform's defaults count: an EKS cluster without `endpoint_public_access`
 * has a public endpoint open to 0.0.0.0/0, and a node group without a launch template gets EKS's,
 * which allows a metadata hop limit of 2.
 */
import { EKS_SUPPORTED_VERSIONS } from '../../config/cluster-aws';
import type { AwsPlatformConfig } from '../../config/platform-config';
import type { PolicyFinding, PolicyRule } from '../policy-finding';
import type { PolicyWaiver } from './policy-waivers';
import { type TerraformBlock, type TerraformStackJson, nestedBlock, nestedBlocks } from './terraform-stack-json';

export const EKS_REQUIRED_LOG_TYPES = ['api', 'audit', 'authenticator', 'controllerManager', 'scheduler'] as const;
const OPEN_TO_INTERNET = ['0.0.0.0/0', '::/0'];
const SSH_PORT = 22;

type AwsRule = PolicyRule<TerraformStackJson>;

function finding(rule: AwsRule, block: TerraformBlock, message: string): PolicyFinding {
  return { rule: rule.id, mirrors: rule.mirrors, resource: block.address, message };
}

const show = (value: unknown) => (value === undefined ? 'unset' : JSON.stringify(value));

/** The launch template a node group uses, when it names one of this stack. */
function nodeGroupLaunchTemplate(stack: TerraformStackJson, group: TerraformBlock): TerraformBlock | undefined {
  const template = nestedBlock(group.values, 'launch_template');
  return stack.referenced(template.id) ?? stack.referenced(template.name);
}

/** Instances and launch templates (whose metadata options apply), and node groups without one. */
function metadataRule(
  id: string,
  mirrors: string[],
  description: string,
  check: (options: Readonly<Record<string, unknown>>) => string | undefined,
): AwsRule {
  const rule: AwsRule = {
    id,
    mirrors,
    description,
    check: (stack) => [
      ...[...stack.resourcesOfType('aws_launch_template'), ...stack.resourcesOfType('aws_instance')].flatMap((block) => {
        const problem = check(nestedBlock(block.values, 'metadata_options'));
        return problem ? [finding(rule, block, problem)] : [];
      }),
      ...stack
        .resourcesOfType('aws_eks_node_group')
        .filter((group) => !nodeGroupLaunchTemplate(stack, group))
        .map((group) =>
          finding(
            rule,
            group,
            "launch_template is unset: EKS's default launch template allows IMDS hop limit 2; use a launch template of this stack",
          ),
        ),
    ],
  };
  return rule;
}

const controlPlaneLogging: AwsRule = {
  id: 'eks-control-plane-logging',
  mirrors: ['CKV_AWS_37'],
  description: 'EKS clusters send all five control-plane log types to CloudWatch.',
  check: (stack) =>
    stack.resourcesOfType('aws_eks_cluster').flatMap((cluster) => {
      const enabled = (cluster.values.enabled_cluster_log_types as string[] | undefined) ?? [];
      const missing = EKS_REQUIRED_LOG_TYPES.filter((t) => !enabled.includes(t));
      return missing.length === 0
        ? []
        : [
            finding(
              controlPlaneLogging,
              cluster,
              `enabled_cluster_log_types is ${show(enabled)}; missing ${missing.join(', ')} (all of ${EKS_REQUIRED_LOG_TYPES.join(', ')} required)`,
            ),
          ];
    }),
};

const publicEndpointNotOpen: AwsRule = {
  id: 'eks-public-endpoint-not-open',
  mirrors: ['CKV_AWS_38'],
  description: 'An EKS public endpoint, when on, is limited to named CIDRs, never 0.0.0.0/0.',
  check: (stack) =>
    stack.resourcesOfType('aws_eks_cluster').flatMap((cluster) => {
      const vpc = nestedBlock(cluster.values, 'vpc_config');
      if (vpc.endpoint_public_access === false) return [];
      const cidrs = vpc.public_access_cidrs as string[] | undefined;
      if (!cidrs || cidrs.length === 0)
        return [
          finding(
            publicEndpointNotOpen,
            cluster,
            'vpc_config.public_access_cidrs is unset with the public endpoint on: EKS opens it to 0.0.0.0/0; name the CIDRs allowed',
          ),
        ];
      const open = cidrs.filter((c) => OPEN_TO_INTERNET.includes(c));
      return open.length === 0
        ? []
        : [
            finding(
              publicEndpointNotOpen,
              cluster,
              `vpc_config.public_access_cidrs is ${show(cidrs)}; ${open.join(', ')} opens the API server to the internet`,
            ),
          ];
    }),
};

const publicEndpointDisabled: AwsRule = {
  id: 'eks-public-endpoint-disabled',
  mirrors: ['CKV_AWS_39'],
  description: 'EKS clusters have no public API endpoint (waived by cluster.endpoint.publicAccess).',
  check: (stack) =>
    stack.resourcesOfType('aws_eks_cluster').flatMap((cluster) => {
      const vpc = nestedBlock(cluster.values, 'vpc_config');
      return vpc.endpoint_public_access === false
        ? []
        : [
            finding(
              publicEndpointDisabled,
              cluster,
              `vpc_config.endpoint_public_access is ${show(vpc.endpoint_public_access)} (unset means true); false required`,
            ),
          ];
    }),
};

const secretsEncryption: AwsRule = {
  id: 'eks-secrets-encryption',
  mirrors: ['CKV_AWS_58'],
  description: 'EKS clusters envelope-encrypt Kubernetes Secrets with a KMS key.',
  check: (stack) =>
    stack.resourcesOfType('aws_eks_cluster').flatMap((cluster) => {
      const configs = nestedBlocks(cluster.values, 'encryption_config');
      const ok = configs.some(
        (c) => (c.resources as string[] | undefined)?.includes('secrets') && Boolean(nestedBlock(c, 'provider').key_arn),
      );
      return ok
        ? []
        : [
            finding(
              secretsEncryption,
              cluster,
              `encryption_config is ${show(cluster.values.encryption_config)}; resources ["secrets"] with a provider key_arn required`,
            ),
          ];
    }),
};

const imdsv2Required = metadataRule(
  'imdsv2-required',
  ['CKV_AWS_79'],
  'Instances and launch templates require IMDSv2 session tokens (or turn the metadata endpoint off).',
  (options) =>
    options.http_endpoint === 'disabled' || options.http_tokens === 'required'
      ? undefined
      : `metadata_options.http_tokens is ${show(options.http_tokens)} (IMDSv1 allowed); "required" needed`,
);

const imdsHopLimit = metadataRule(
  'imds-hop-limit',
  ['CKV_AWS_341'],
  'Instance metadata answers one network hop only, so pods cannot reach the node credentials.',
  (options) => {
    const limit = options.http_put_response_hop_limit;
    if (options.http_endpoint === 'disabled' || limit === 1) return undefined;
    return `metadata_options.http_put_response_hop_limit is ${show(limit)}; 1 required`;
  },
);

function opensSshToInternet(rule: Readonly<Record<string, unknown>>): boolean {
  const from = Number(rule.from_port);
  const to = Number(rule.to_port);
  const protocol = String(rule.protocol ?? rule.ip_protocol);
  const coversSsh = protocol === '-1' || protocol === 'all' || (['tcp', '6'].includes(protocol) && from <= SSH_PORT && SSH_PORT <= to);
  const sources = [
    ...((rule.cidr_blocks as string[] | undefined) ?? []),
    ...((rule.ipv6_cidr_blocks as string[] | undefined) ?? []),
    rule.cidr_ipv4,
    rule.cidr_ipv6,
  ];
  return coversSsh && sources.some((s) => typeof s === 'string' && OPEN_TO_INTERNET.includes(s));
}

const noSshFromAnywhere: AwsRule = {
  id: 'no-ssh-from-anywhere',
  mirrors: ['CKV_AWS_100', 'CKV_AWS_24'],
  description:
    'Nothing opens SSH to the internet: no node group remote access without source security groups, no ingress on port 22 from 0.0.0.0/0.',
  check: (stack) => [
    ...stack.resourcesOfType('aws_eks_node_group').flatMap((group) => {
      const access = nestedBlocks(group.values, 'remote_access')[0];
      if (!access) return [];
      const sources = access.source_security_group_ids as string[] | undefined;
      return sources && sources.length > 0
        ? []
        : [
            finding(
              noSshFromAnywhere,
              group,
              'remote_access has no source_security_group_ids: SSH is open to 0.0.0.0/0; remove remote_access or name the source security groups',
            ),
          ];
    }),
    ...stack
      .resourcesOfType('aws_security_group')
      .flatMap((group) =>
        nestedBlocks(group.values, 'ingress').some(opensSshToInternet)
          ? [finding(noSshFromAnywhere, group, 'an ingress rule opens port 22 to the internet')]
          : [],
      ),
    ...stack
      .resourcesOfType('aws_security_group_rule')
      .filter((r) => r.values.type === 'ingress' && opensSshToInternet(r.values))
      .map((r) => finding(noSshFromAnywhere, r, 'this ingress rule opens port 22 to the internet')),
    ...stack
      .resourcesOfType('aws_vpc_security_group_ingress_rule')
      .filter((r) => opensSshToInternet(r.values))
      .map((r) => finding(noSshFromAnywhere, r, 'this ingress rule opens port 22 to the internet')),
  ],
};

const supportedVersion: AwsRule = {
  id: 'eks-supported-version',
  mirrors: ['CKV_AWS_339'],
  description: `EKS clusters and node groups run a Kubernetes version in standard support (${EKS_SUPPORTED_VERSIONS.join(', ')}).`,
  check: (stack) =>
    [...stack.resourcesOfType('aws_eks_cluster'), ...stack.resourcesOfType('aws_eks_node_group')].flatMap((block) => {
      const version = block.values.version;
      if (block.type === 'aws_eks_node_group' && version === undefined) return []; // follows the cluster
      return (EKS_SUPPORTED_VERSIONS as readonly unknown[]).includes(version)
        ? []
        : [finding(supportedVersion, block, `version is ${show(version)}; one of ${EKS_SUPPORTED_VERSIONS.join(', ')} required`)];
    }),
};

/** The AWS policy table, in Checkov id order. */
export const AWS_POLICY_RULES: readonly AwsRule[] = [
  controlPlaneLogging,
  publicEndpointNotOpen,
  publicEndpointDisabled,
  secretsEncryption,
  imdsv2Required,
  noSshFromAnywhere,
  supportedVersion,
  imdsHopLimit,
];

/** The rules a config's switches waive: only the public endpoint, when the config turns it on. */
export function awsPolicyWaivers(config: AwsPlatformConfig): PolicyWaiver[] {
  const { publicAccess, publicAccessCidrs } = config.cluster.endpoint;
  return publicAccess
    ? [
        {
          rule: publicEndpointDisabled.id,
          configSwitch: 'cluster.endpoint.publicAccess',
          reason: `the public API endpoint is on, limited to ${publicAccessCidrs.join(', ')} (eks-public-endpoint-not-open still applies)`,
        },
      ]
    : [];
}
