import { nestedBlock, nestedBlocks } from '../../policy/terraform/terraform-stack-json';
import { onlyResource, synthAwsStack } from './aws-stack-synth';

describe('the gateway image registry (ECR)', () => {
  const { stack } = synthAwsStack();
  const repository = onlyResource(stack, 'aws_ecr_repository');

  it('is named after the platform, with immutable tags and scan on push', () => {
    expect(repository.values).toMatchObject({ name: 'switchyard-gateway', image_tag_mutability: 'IMMUTABLE' });
    expect(nestedBlock(repository.values, 'image_scanning_configuration')).toEqual({ scan_on_push: true });
    expect(repository.values.force_delete).toBeUndefined();
  });

  it('encrypts images with its own rotating KMS key', () => {
    const [encryption] = nestedBlocks(repository.values, 'encryption_configuration');
    expect(encryption.encryption_type).toBe('KMS');
    const key = stack.referenced(encryption.kms_key);
    expect(key?.values).toMatchObject({ enable_key_rotation: true });
    const alias = stack.resourcesOfType('aws_kms_alias').find((a) => stack.referenced(a.values.target_key_id)?.address === key?.address);
    expect(alias?.values.name).toBe('alias/ecr/switchyard-gateway');
  });

  it('expires untagged images after 14 days', () => {
    const lifecycle = onlyResource(stack, 'aws_ecr_lifecycle_policy');
    expect(stack.referenced(lifecycle.values.repository)?.address).toBe(repository.address);
    expect(JSON.parse(lifecycle.values.policy as string).rules).toEqual([
      {
        rulePriority: 1,
        description: 'Expire untagged images',
        selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
        action: { type: 'expire' },
      },
    ]);
  });
});

describe('outputs of the aws stack', () => {
  const { stack } = synthAwsStack();
  const outputs = new Map(stack.outputs.map((o) => [o.name, o]));

  it('gives the cluster name, endpoint, kubeconfig command, registry URL and gateway role ARN, each described', () => {
    expect([...outputs.keys()].sort()).toEqual([
      'cluster_endpoint',
      'cluster_name',
      'gateway_registry_url',
      'gateway_role_arn',
      'kubeconfig_command',
    ]);
    for (const output of outputs.values()) expect(output.description).toMatch(/^[A-Z].{15,}\.$/);
  });

  it('points each output at the resource it names', () => {
    const attr = (name: string) => String(outputs.get(name)!.value).replace(/^\$\{[\w.-]+\.(\w+)\}$/, '$1');
    expect(stack.referenced(outputs.get('cluster_name')!.value)?.type).toBe('aws_eks_cluster');
    expect(stack.referenced(outputs.get('cluster_endpoint')!.value)?.type).toBe('aws_eks_cluster');
    expect(attr('cluster_endpoint')).toBe('endpoint');
    expect(stack.referenced(outputs.get('gateway_registry_url')!.value)?.type).toBe('aws_ecr_repository');
    expect(attr('gateway_registry_url')).toBe('repository_url');
    expect(stack.referenced(outputs.get('gateway_role_arn')!.value)?.values.name).toBe('switchyard-prod-gateway');
    expect(outputs.get('kubeconfig_command')!.value).toBe('aws eks update-kubeconfig --region us-east-1 --name switchyard-prod');
  });
});
