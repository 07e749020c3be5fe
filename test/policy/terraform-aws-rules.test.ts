import { formatFindings, runPolicy } from '../../policy/policy-finding';
import { AWS_POLICY_RULES, awsPolicyWaivers } from '../../policy/terraform/aws-rules';
import { applyWaivers } from '../../policy/terraform/policy-waivers';
import { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { awsConfig, synthAwsStack } from '../infra/aws-stack-synth';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const example = synthAwsStack().stack;

/** The example stack with one hand edit to the Terraform JSON. */
function edited(change: (resources: Json) => void): TerraformStackJson {
  const json = example.toJson() as Json;
  change(json.resource);
  return new TerraformStackJson(json);
}

const first = (byName: Json): Json => Object.values(byName)[0];
const findingsOf = (stack: TerraformStackJson) => runPolicy(AWS_POLICY_RULES, stack);

describe('AWS policy table on the synthesized stack', () => {
  it('mirrors the Checkov checks the issue names, one rule each', () => {
    expect(AWS_POLICY_RULES.flatMap((r) => r.mirrors).sort()).toEqual(
      [
        'CKV_AWS_100',
        'CKV_AWS_24',
        'CKV_AWS_339',
        'CKV_AWS_341',
        'CKV_AWS_37',
        'CKV_AWS_38',
        'CKV_AWS_39',
        'CKV_AWS_58',
        'CKV_AWS_79',
      ].sort(),
    );
  });

  it('reports 0 findings on examples/aws.yaml, and waives nothing', () => {
    expect(formatFindings(findingsOf(example))).toBe('');
    expect(awsPolicyWaivers(awsConfig())).toEqual([]);
  });

  it('fires eks-control-plane-logging (CKV_AWS_37) when a log type is off', () => {
    const stack = edited((r) => (first(r.aws_eks_cluster).enabled_cluster_log_types = ['api', 'audit']));
    expect(formatFindings(findingsOf(stack))).toBe(
      `eks-control-plane-logging (CKV_AWS_37) aws_eks_cluster.cluster_611F8AFF: enabled_cluster_log_types is ["api","audit"]; missing authenticator, controllerManager, scheduler (all of api, audit, authenticator, controllerManager, scheduler required)`,
    );
  });

  it('fires eks-public-endpoint-not-open (CKV_AWS_38) and -disabled (CKV_AWS_39) when the endpoint is open to 0.0.0.0/0', () => {
    const stack = edited((r) =>
      Object.assign(first(r.aws_eks_cluster).vpc_config, { endpoint_public_access: true, public_access_cidrs: ['0.0.0.0/0'] }),
    );
    expect(findingsOf(stack).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'eks-public-endpoint-not-open: vpc_config.public_access_cidrs is ["0.0.0.0/0"]; 0.0.0.0/0 opens the API server to the internet',
      'eks-public-endpoint-disabled: vpc_config.endpoint_public_access is true (unset means true); false required',
    ]);
  });

  it('reads an unset endpoint_public_access and public_access_cidrs as Terraform does: public, open to all', () => {
    const stack = edited((r) => delete first(r.aws_eks_cluster).vpc_config.endpoint_public_access);
    expect(findingsOf(stack).map((f) => `${f.rule}: ${f.message}`)).toEqual([
      'eks-public-endpoint-not-open: vpc_config.public_access_cidrs is unset with the public endpoint on: EKS opens it to 0.0.0.0/0; name the CIDRs allowed',
      'eks-public-endpoint-disabled: vpc_config.endpoint_public_access is unset (unset means true); false required',
    ]);
  });

  it('fires eks-secrets-encryption (CKV_AWS_58) without a KMS key for secrets', () => {
    const stack = edited((r) => delete first(r.aws_eks_cluster).encryption_config);
    expect(findingsOf(stack).map((f) => `${f.rule} ${f.resource}: ${f.message}`)).toEqual([
      'eks-secrets-encryption aws_eks_cluster.cluster_611F8AFF: encryption_config is unset; resources ["secrets"] with a provider key_arn required',
    ]);
  });

  it('fires imdsv2-required (CKV_AWS_79) when a launch template allows IMDSv1', () => {
    const stack = edited((r) => (r.aws_launch_template['pool-gpu-l4_LaunchTemplate_A1C097DE'].metadata_options.http_tokens = 'optional'));
    expect(formatFindings(findingsOf(stack))).toBe(
      'imdsv2-required (CKV_AWS_79) aws_launch_template.pool-gpu-l4_LaunchTemplate_A1C097DE: metadata_options.http_tokens is "optional" (IMDSv1 allowed); "required" needed',
    );
  });

  it('fires imds-hop-limit (CKV_AWS_341) when pods could reach instance metadata', () => {
    const stack = edited(
      (r) => (r.aws_launch_template['pool-system_LaunchTemplate_06BB1A2F'].metadata_options.http_put_response_hop_limit = 2),
    );
    expect(formatFindings(findingsOf(stack))).toBe(
      'imds-hop-limit (CKV_AWS_341) aws_launch_template.pool-system_LaunchTemplate_06BB1A2F: metadata_options.http_put_response_hop_limit is 2; 1 required',
    );
  });

  it("fires both metadata rules for a node group on EKS's default launch template", () => {
    const stack = edited((r) => delete r.aws_eks_node_group['pool-system_D4A7F487'].launch_template);
    expect(findingsOf(stack).map((f) => `${f.rule} ${f.resource}`)).toEqual([
      'imdsv2-required aws_eks_node_group.pool-system_D4A7F487',
      'imds-hop-limit aws_eks_node_group.pool-system_D4A7F487',
    ]);
  });

  it('fires no-ssh-from-anywhere (CKV_AWS_100, CKV_AWS_24) on node group remote access or port 22 open to the internet', () => {
    const stack = edited((r) => {
      r.aws_eks_node_group['pool-system_D4A7F487'].remote_access = { ec2_ssh_key: 'ops' };
      r.aws_security_group_rule = {
        ssh: { type: 'ingress', protocol: 'tcp', from_port: 0, to_port: 1024, cidr_blocks: ['0.0.0.0/0'], security_group_id: 'sg-1' },
      };
      r.aws_vpc_security_group_ingress_rule = {
        all: { ip_protocol: '-1', cidr_ipv6: '::/0', security_group_id: 'sg-1' },
        https: { ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '0.0.0.0/0', security_group_id: 'sg-1' },
      };
      r.aws_security_group = { bastion: { ingress: [{ protocol: 'tcp', from_port: 22, to_port: 22, cidr_blocks: ['0.0.0.0/0'] }] } };
    });
    expect(findingsOf(stack).map((f) => `${f.rule} ${f.resource}: ${f.message}`)).toEqual([
      'no-ssh-from-anywhere aws_eks_node_group.pool-system_D4A7F487: remote_access has no source_security_group_ids: SSH is open to 0.0.0.0/0; remove remote_access or name the source security groups',
      'no-ssh-from-anywhere aws_security_group.bastion: an ingress rule opens port 22 to the internet',
      'no-ssh-from-anywhere aws_security_group_rule.ssh: this ingress rule opens port 22 to the internet',
      'no-ssh-from-anywhere aws_vpc_security_group_ingress_rule.all: this ingress rule opens port 22 to the internet',
    ]);
  });

  it('fires eks-supported-version (CKV_AWS_339) on a version out of standard support', () => {
    const stack = edited((r) => {
      first(r.aws_eks_cluster).version = '1.34'; // its standard support ended on the calendar's date
      r.aws_eks_node_group['pool-gpu-l4_0C0157DF'].version = '1.28';
    });
    expect(findingsOf(stack).map((f) => `${f.rule} ${f.resource}: ${f.message}`)).toEqual([
      'eks-supported-version aws_eks_cluster.cluster_611F8AFF: version is "1.34"; one of 1.35 required',
      'eks-supported-version aws_eks_node_group.pool-gpu-l4_0C0157DF: version is "1.28"; one of 1.35 required',
    ]);
  });
});

describe('a config weakened through its switch', () => {
  const change = (raw: Json) => (raw.cluster.endpoint = { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] });
  const stack = synthAwsStack(change).stack;

  it('is caught by eks-public-endpoint-disabled, which the named switch waives with its reason', () => {
    const { findings, waived } = applyWaivers(findingsOf(stack), awsPolicyWaivers(awsConfig(change)));
    expect(findings).toEqual([]);
    expect(waived).toEqual([
      expect.objectContaining({
        rule: 'eks-public-endpoint-disabled',
        waiver: {
          rule: 'eks-public-endpoint-disabled',
          configSwitch: 'cluster.endpoint.publicAccess',
          reason: 'the public API endpoint is on, limited to 203.0.113.0/24 (eks-public-endpoint-not-open still applies)',
        },
      }),
    ]);
  });

  it('is not waived by an unrelated config', () => {
    const { findings } = applyWaivers(findingsOf(stack), awsPolicyWaivers(awsConfig()));
    expect(findings.map((f) => f.rule)).toEqual(['eks-public-endpoint-disabled']);
  });
});
