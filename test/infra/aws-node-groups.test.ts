import { eksAmiType, isGravitonInstanceType } from '../../constructs/aws/eks-ami-type';
import { EksNodeGroup } from '../../constructs/aws/eks-node-group';
import { Testing } from '../../constructs/cdktf';
import type { TerraformBlock } from '../../policy/terraform/terraform-stack-json';
import { nestedBlock, nestedBlocks } from '../../policy/terraform/terraform-stack-json';
import { synthAwsStack } from './aws-stack-synth';

describe('EKS AMI type of an instance type', () => {
  it.each([
    ['m6i.large', false, 'AL2023_x86_64_STANDARD'],
    ['m7g.xlarge', false, 'AL2023_ARM_64_STANDARD'],
    ['c7gd.2xlarge', false, 'AL2023_ARM_64_STANDARD'],
    ['g6.xlarge', true, 'AL2023_x86_64_NVIDIA'],
    ['g6e.12xlarge', true, 'AL2023_x86_64_NVIDIA'],
    ['gr6.4xlarge', true, 'AL2023_x86_64_NVIDIA'],
    ['p5.48xlarge', true, 'AL2023_x86_64_NVIDIA'],
    ['g5g.xlarge', true, 'AL2023_ARM_64_NVIDIA'],
  ])('%s (gpu: %s) boots %s', (instanceType, gpu, amiType) => {
    expect(eksAmiType(instanceType, gpu)).toBe(amiType);
  });

  it('tells Graviton families by the g after the generation digit', () => {
    expect(['t4g.small', 'r8g.large', 'x2gd.xlarge'].every(isGravitonInstanceType)).toBe(true);
    expect(['g4dn.xlarge', 'm5.large', 'inf2.xlarge', 'trn1.2xlarge'].some(isGravitonInstanceType)).toBe(false);
  });
});

describe('EksNodeGroup in the aws stack (examples/aws.yaml: system pool and gpu-l4 pool)', () => {
  const { stack } = synthAwsStack();
  const groups = stack.resourcesOfType('aws_eks_node_group');
  const byPool = (name: string) => groups.find((g) => g.values.node_group_name_prefix === `${name}-`)!;
  const system = byPool('system');
  const gpu = byPool('gpu-l4');
  const launchTemplateOf = (group: TerraformBlock) => stack.referenced(nestedBlock(group.values, 'launch_template').id)!;

  it('creates one managed node group per pool, on the private subnets', () => {
    expect(groups).toHaveLength(2);
    for (const group of groups)
      for (const id of group.values.subnet_ids as string[])
        expect((stack.referenced(id)?.values.tags as Record<string, string>)['kubernetes.io/role/internal-elb']).toBe('1');
  });

  it('boots the NVIDIA AMI on the GPU pool and the standard AMI on the system pool', () => {
    expect(gpu.values.ami_type).toBe('AL2023_x86_64_NVIDIA');
    expect(system.values.ami_type).toBe('AL2023_x86_64_STANDARD');
    expect(gpu.values.instance_types).toEqual(['g6.xlarge']);
    expect(gpu.values.capacity_type).toBe('ON_DEMAND');
  });

  it('taints and labels the GPU pool so only GPU workloads land there; the system pool has no taint', () => {
    expect(gpu.values.taint).toEqual([{ key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' }]);
    expect(gpu.values.labels).toEqual({ 'switchyard.dev/node-pool': 'gpu-l4', 'nvidia.com/gpu.present': 'true' });
    expect(system.values.taint).toBeUndefined();
    expect(system.values.labels).toEqual({ 'switchyard.dev/node-pool': 'system' });
  });

  it('scales the GPU pool from zero; the autoscaler owns the desired size after creation', () => {
    expect(gpu.values.scaling_config).toEqual({ min_size: 0, desired_size: 1, max_size: 3 });
    expect(gpu.values.lifecycle).toEqual({ create_before_destroy: true, ignore_changes: ['scaling_config[0].desired_size'] });
  });

  it('requires IMDSv2 with a hop limit of 1 and an encrypted gp3 root volume sized by the config', () => {
    for (const [group, size] of [
      [system, 100],
      [gpu, 200],
    ] as const) {
      const template = launchTemplateOf(group);
      expect(nestedBlock(template.values, 'metadata_options')).toEqual({
        http_endpoint: 'enabled',
        http_tokens: 'required',
        http_put_response_hop_limit: 1,
        instance_metadata_tags: 'disabled',
      });
      expect(nestedBlocks(template.values, 'block_device_mappings')).toEqual([
        { device_name: '/dev/xvda', ebs: { volume_size: size, volume_type: 'gp3', encrypted: 'true', delete_on_termination: 'true' } },
      ]);
      expect(nestedBlock(group.values, 'launch_template').version).toBe(`\${${template.address}.latest_version}`);
    }
  });

  it.each([
    ['left out', undefined, undefined, 100, 200],
    ['set', 60, 300, 60, 300],
  ])(
    'sizes the root volumes by diskSizeGb when %s (defaults: 200 GiB on a GPU pool, 100 otherwise)',
    (_, systemGb, gpuGb, systemSize, gpuSize) => {
      const altered = synthAwsStack((raw) => {
        raw.cluster.nodePools[0].diskSizeGb = systemGb;
        raw.cluster.nodePools[1].diskSizeGb = gpuGb;
      }).stack;
      const volumeOf = (pool: string) => {
        const group = altered.resourcesOfType('aws_eks_node_group').find((g) => g.values.node_group_name_prefix === `${pool}-`)!;
        const template = altered.referenced(nestedBlock(group.values, 'launch_template').id)!;
        return (nestedBlocks(template.values, 'block_device_mappings')[0].ebs as { volume_size: number }).volume_size;
      };
      expect([volumeOf('system'), volumeOf('gpu-l4')]).toEqual([systemSize, gpuSize]);
    },
  );

  it.each([
    [true, 200],
    [false, 100],
  ])('EksNodeGroup used directly (gpu: %s) defaults its root volume to %i GiB', (gpu, size) => {
    const json = JSON.parse(
      Testing.synthScope((scope) => {
        new EksNodeGroup(scope, 'pool', {
          clusterName: 'c',
          nodeRoleArn: 'arn:aws:iam::111122223333:role/nodes',
          subnetIds: ['subnet-1'],
          name: 'pool',
          instanceType: gpu ? 'g6.xlarge' : 'm6i.large',
          minSize: 0,
          desiredSize: 0,
          maxSize: 1,
          gpu,
        });
      }),
    ) as { resource: { aws_launch_template: Record<string, { block_device_mappings: Array<{ ebs: { volume_size: number } }> }> } };
    const [template] = Object.values(json.resource.aws_launch_template);
    expect(template.block_device_mappings[0].ebs.volume_size).toBe(size);
  });

  it('allows no SSH: no remote access, no key pair', () => {
    for (const group of groups) expect(group.values.remote_access).toBeUndefined();
    for (const template of stack.resourcesOfType('aws_launch_template')) expect(template.values.key_name).toBeUndefined();
  });

  it('repairs unhealthy nodes and waits for the node add-ons and the node role policies', () => {
    expect(gpu.values.node_repair_config).toEqual({ enabled: true });
    const dependsOn = gpu.values.depends_on as string[];
    const addons = dependsOn.filter((a) => a.startsWith('aws_eks_addon.')).map((a) => stack.block(a)?.values.addon_name);
    expect(addons).toEqual(['vpc-cni', 'kube-proxy', 'eks-pod-identity-agent']);
    const policies = dependsOn.filter((a) => a.startsWith('aws_iam_role_policy_attachment.')).map((a) => stack.block(a)?.values.policy_arn);
    expect(policies).toEqual([
      'arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy',
      'arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy',
      'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly',
    ]);
    const role = stack.referenced(gpu.values.node_role_arn)!;
    expect((stack.referenced(role.values.assume_role_policy)!.values.statement as Array<Record<string, unknown>>)[0].principals).toEqual([
      { type: 'Service', identifiers: ['ec2.amazonaws.com'] },
    ]);
  });

  it('maps spot pools, Graviton GPU pools and extra taints from the config', () => {
    const altered = synthAwsStack((raw) => {
      raw.cluster.nodePools[1] = {
        name: 'gpu-arm',
        instanceType: 'g5g.2xlarge',
        minSize: 0,
        desiredSize: 0,
        maxSize: 2,
        spot: true,
        gpu: { count: 1 },
        labels: { team: 'ml' },
        taints: [{ key: 'dedicated', value: 'ml', effect: 'NoExecute' }],
      };
    }).stack;
    const group = altered.resourcesOfType('aws_eks_node_group').find((g) => g.values.node_group_name_prefix === 'gpu-arm-')!;
    expect(group.values).toMatchObject({
      ami_type: 'AL2023_ARM_64_NVIDIA',
      capacity_type: 'SPOT',
      scaling_config: { min_size: 0, desired_size: 0, max_size: 2 },
    });
    expect(group.values.taint).toEqual([
      { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' },
      { key: 'dedicated', value: 'ml', effect: 'NO_EXECUTE' },
    ]);
    expect(group.values.labels).toEqual({ team: 'ml', 'switchyard.dev/node-pool': 'gpu-arm', 'nvidia.com/gpu.present': 'true' });
  });
});
