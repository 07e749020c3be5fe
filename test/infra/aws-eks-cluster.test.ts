import { nestedBlock } from '../../policy/terraform/terraform-stack-json';
import { onlyResource, synthAwsStack } from './aws-stack-synth';

describe('EksCluster in the aws stack (examples/aws.yaml)', () => {
  const { stack, warnings } = synthAwsStack();
  const cluster = onlyResource(stack, 'aws_eks_cluster');
  const vpc = nestedBlock(cluster.values, 'vpc_config');

  it('runs the configured Kubernetes version, on standard support only, without self-managed add-ons', () => {
    expect(cluster.values).toMatchObject({ name: 'switchyard-prod', version: '1.35', bootstrap_self_managed_addons: false });
    expect(nestedBlock(cluster.values, 'upgrade_policy')).toEqual({ support_type: 'STANDARD' });
  });

  it('has the private endpoint on and the public endpoint off, in the private subnets', () => {
    expect(vpc.endpoint_private_access).toBe(true);
    expect(vpc.endpoint_public_access).toBe(false);
    expect(vpc.public_access_cidrs).toBeUndefined();
    const subnetTags = (vpc.subnet_ids as string[]).map(
      (id) => (stack.referenced(id)?.values.tags as Record<string, string>)['kubernetes.io/role/internal-elb'],
    );
    expect(subnetTags).toEqual(['1', '1', '1']);
    expect(warnings).toEqual([]);
  });

  it('encrypts Secrets with a customer-managed KMS key that rotates', () => {
    const encryption = nestedBlock(cluster.values, 'encryption_config');
    expect(encryption.resources).toEqual(['secrets']);
    const key = stack.referenced(nestedBlock(encryption, 'provider').key_arn);
    expect(key?.type).toBe('aws_kms_key');
    expect(key?.values).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
  });

  it('sends all five control-plane log types to a log group with the configured retention, created first', () => {
    expect(cluster.values.enabled_cluster_log_types).toEqual(['api', 'audit', 'authenticator', 'controllerManager', 'scheduler']);
    const logs = onlyResource(stack, 'aws_cloudwatch_log_group');
    expect(logs.values).toMatchObject({ name: '/aws/eks/switchyard-prod/cluster', retention_in_days: 90 });
    expect(cluster.values.depends_on).toContain(logs.address);
  });

  it('authenticates through access entries only and makes each configured admin a cluster admin', () => {
    expect(nestedBlock(cluster.values, 'access_config')).toEqual({
      authentication_mode: 'API',
      bootstrap_cluster_creator_admin_permissions: true,
    });
    const entry = onlyResource(stack, 'aws_eks_access_entry');
    expect(entry.values).toMatchObject({ principal_arn: 'arn:aws:iam::111122223333:role/platform-admins', type: 'STANDARD' });
    const association = onlyResource(stack, 'aws_eks_access_policy_association');
    expect(association.values).toMatchObject({
      policy_arn: 'arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
      access_scope: { type: 'cluster' },
    });
    expect(stack.referenced(association.values.principal_arn)?.address).toBe(entry.address);
  });

  it('gives the control plane a role only EKS can assume, with AmazonEKSClusterPolicy', () => {
    const role = stack.referenced(cluster.values.role_arn)!;
    const trust = stack.referenced(role.values.assume_role_policy)!;
    expect(trust.values.statement).toEqual([
      {
        effect: 'Allow',
        actions: ['sts:AssumeRole', 'sts:TagSession'],
        principals: [{ type: 'Service', identifiers: ['eks.amazonaws.com'] }],
      },
    ]);
    const attached = stack
      .resourcesOfType('aws_iam_role_policy_attachment')
      .filter((a) => stack.referenced(a.values.role)?.address === role.address);
    expect(attached.map((a) => a.values.policy_arn)).toEqual(['arn:aws:iam::aws:policy/AmazonEKSClusterPolicy']);
  });

  it('lets the control plane use the Secrets key, and only that key, before the cluster is created', () => {
    const role = stack.referenced(cluster.values.role_arn)!;
    const [inline] = stack.resourcesOfType('aws_iam_role_policy').filter((p) => stack.referenced(p.values.role)?.address === role.address);
    const key = stack.referenced(nestedBlock(nestedBlock(cluster.values, 'encryption_config'), 'provider').key_arn)!;
    expect(stack.referenced(inline.values.policy)!.values.statement).toEqual([
      {
        sid: 'SecretsEnvelopeEncryption',
        effect: 'Allow',
        actions: ['kms:Encrypt', 'kms:Decrypt', 'kms:ListGrants', 'kms:DescribeKey'],
        resources: [`\${${key.address}.arn}`],
      },
    ]);
    expect(cluster.values.depends_on).toContain(inline.address);
  });

  it('opens the public endpoint only to the configured CIDRs, with a warning, when publicAccess is on', () => {
    const open = synthAwsStack((raw) => {
      raw.cluster.endpoint = { publicAccess: true, publicAccessCidrs: ['203.0.113.0/24'] };
    });
    const openVpc = nestedBlock(onlyResource(open.stack, 'aws_eks_cluster').values, 'vpc_config');
    expect(openVpc).toMatchObject({ endpoint_private_access: true, endpoint_public_access: true, public_access_cidrs: ['203.0.113.0/24'] });
    expect(open.warnings).toEqual(['The EKS public API endpoint is on, reachable from 203.0.113.0/24 (cluster.endpoint.publicAccess).']);
  });

  it('uses the GovCloud partition in ARNs of a GovCloud region', () => {
    const gov = synthAwsStack((raw) => {
      raw.cluster.region = 'us-gov-west-1';
    }).stack;
    expect(onlyResource(gov, 'aws_eks_access_policy_association').values.policy_arn).toBe(
      'arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy',
    );
  });
});
