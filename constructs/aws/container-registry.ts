/**
 * An ECR repository for one image: tags are immutable (a tag always means the same image, so a
 * deployment pinned to a tag cannot change under it), every push is scanned for
 * vulnerabilities, images are encrypted with a customer-managed KMS key, and untagged images
 * (left behind by re-tagging or failed pushes) expire.
 */
import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Construct } from 'constructs';
import { EncryptionKey } from './encryption-key';

export interface ContainerRegistryProps {
  /** Repository name, e.g. `switchyard-gateway`. */
  readonly repositoryName: string;
  /** @default 14 */
  readonly untaggedExpiryDays?: number;
}

export class ContainerRegistry extends Construct {
  readonly repository: EcrRepository;
  readonly key: EncryptionKey;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    this.key = new EncryptionKey(this, 'Key', {
      alias: `ecr/${props.repositoryName}`,
      description: `Images in ECR repository ${props.repositoryName}`,
    });
    this.repository = new EcrRepository(this, 'Resource', {
      name: props.repositoryName,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: this.key.arn }],
    });
    new EcrLifecyclePolicy(this, 'Lifecycle', {
      repository: this.repository.name,
      policy: JSON.stringify({
        rules: [
          {
            rulePriority: 1,
            description: 'Expire untagged images',
            selection: {
              tagStatus: 'untagged',
              countType: 'sinceImagePushed',
              countUnit: 'days',
              countNumber: props.untaggedExpiryDays ?? 14,
            },
            action: { type: 'expire' },
          },
        ],
      }),
    });
  }

  get repositoryUrl(): string {
    return this.repository.repositoryUrl;
  }
}
