import { EksCluster } from '@cdktf/provider-aws/lib/eks-cluster';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { join } from 'node:path';
import { App, TerraformOutput, TerraformStack } from '../../constructs/cdktf';
import { tempDir } from '../support/paths';
import { TerraformStackJson, nestedBlock, nestedBlocks, referencedAddress } from '../../policy/terraform/terraform-stack-json';

function smallStack(): TerraformStackJson {
  const outdir = tempDir();
  const app = new App({ outdir });
  const stack = new TerraformStack(app, 'demo');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const key = new KmsKey(stack, 'key', { enableKeyRotation: true });
  const cluster = new EksCluster(stack, 'cluster', {
    name: 'demo',
    roleArn: 'arn:aws:iam::111122223333:role/eks',
    vpcConfig: { subnetIds: ['subnet-1'], endpointPublicAccess: false },
    encryptionConfig: { resources: ['secrets'], provider: { keyArn: key.arn } },
  });
  new TerraformOutput(stack, 'endpoint', { value: cluster.endpoint, description: 'API server URL' });
  app.synth();
  return TerraformStackJson.fromFile(join(outdir, 'stacks', 'demo', 'cdk.tf.json'));
}

describe('TerraformStackJson (reader of a synthesized cdk.tf.json)', () => {
  const stack = smallStack();

  it('lists resources by type with their address, construct path and values', () => {
    const [cluster] = stack.resourcesOfType('aws_eks_cluster');
    expect(cluster.address).toBe(`aws_eks_cluster.${cluster.name}`);
    expect(cluster.constructPath).toBe('demo/cluster');
    expect(cluster.values.name).toBe('demo');
    expect(cluster.values['//']).toBeUndefined();
    expect(stack.resourcesOfType('aws_s3_bucket')).toEqual([]);
  });

  it('follows a ${type.name.attr} reference to the block it names', () => {
    const [cluster] = stack.resourcesOfType('aws_eks_cluster');
    const keyArn = nestedBlock(nestedBlock(cluster.values, 'encryption_config'), 'provider').key_arn;
    expect(stack.referenced(keyArn)?.type).toBe('aws_kms_key');
    expect(referencedAddress('${data.aws_iam_policy_document.p.json}')).toBe('data.aws_iam_policy_document.p');
    expect(referencedAddress('arn:aws:kms:eu-west-1:1:key/x')).toBeUndefined();
    expect(stack.referenced('${aws_kms_key.missing.arn}')).toBeUndefined();
  });

  it('reads nested blocks written as an object or as a list', () => {
    expect(nestedBlocks({ a: { x: 1 } }, 'a')).toEqual([{ x: 1 }]);
    expect(nestedBlocks({ a: [{ x: 1 }, { x: 2 }] }, 'a')).toHaveLength(2);
    expect(nestedBlock({}, 'a')).toEqual({});
  });

  it('reads outputs, providers and required providers', () => {
    expect(stack.outputs).toEqual([
      {
        name: 'endpoint',
        value: expect.stringMatching(/^\$\{aws_eks_cluster\.\w+\.endpoint\}$/),
        description: 'API server URL',
        sensitive: false,
      },
    ]);
    expect(stack.providers('aws')).toEqual([expect.objectContaining({ region: 'eu-west-1' })]);
    expect(stack.requiredProviders.aws.source).toBe('aws');
  });

  it('refuses input that is not a JSON object', () => {
    expect(() => new TerraformStackJson([])).toThrow('a Terraform JSON stack is an object');
  });
});
