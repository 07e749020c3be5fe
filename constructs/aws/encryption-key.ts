/**
 * A customer-managed KMS key with yearly automatic rotation and an alias, for one purpose
 * (EKS secrets, the image registry). Its key policy is KMS's default: the account's IAM policies
 * decide who may use it, so nothing outside the account can.
 */
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias';
import { KmsKey } from '@cdktf/provider-aws/lib/kms-key';
import { Construct } from 'constructs';

export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `switchyard-prod/eks-secrets`. */
  readonly alias: string;
  /** What the key protects, shown in the KMS console. */
  readonly description: string;
  /**
   * Waiting period before a deleted key is destroyed; data encrypted with it is unreadable after.
   * @default 30 (the maximum)
   */
  readonly deletionWindowDays?: number;
}

export class EncryptionKey extends Construct {
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    this.key = new KmsKey(this, 'Resource', {
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
    });
    new KmsAlias(this, 'Alias', { name: `alias/${props.alias}`, targetKeyId: this.key.keyId });
  }

  get arn(): string {
    return this.key.arn;
  }
}
