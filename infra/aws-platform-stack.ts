/** The aws profile's stack: provider and (built up in constructs/aws/) VPC, EKS, node groups, identity, registry. */
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import type { Construct } from 'constructs';
import { TerraformStack } from '../constructs/cdktf';
import { useProjectLocalBackend } from './state-backend';
import type { AwsPlatformConfig } from '../config/platform-config';

export interface AwsPlatformStackProps {
  readonly config: AwsPlatformConfig;
}

export class AwsPlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: AwsPlatformStackProps) {
    super(scope, id);
    const { config } = props;
    useProjectLocalBackend(this, id);
    new AwsProvider(this, 'aws', {
      region: config.cluster.region,
      defaultTags: [{ tags: { 'switchyard:name': config.name, 'switchyard:environment': config.environment, 'managed-by': 'switchyard' } }],
    });
  }
}
