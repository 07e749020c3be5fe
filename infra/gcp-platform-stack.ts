/** The gcp profile's stack: provider and (built up in constructs/gcp/) VPC, GKE, node pools, registry. */
import { GoogleProvider } from '@cdktf/provider-google/lib/provider';
import type { Construct } from 'constructs';
import { TerraformStack } from '../constructs/cdktf';
import { useProjectLocalBackend } from './state-backend';
import type { GcpPlatformConfig } from '../config/platform-config';

export interface GcpPlatformStackProps {
  readonly config: GcpPlatformConfig;
}

export class GcpPlatformStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: GcpPlatformStackProps) {
    super(scope, id);
    const { config } = props;
    useProjectLocalBackend(this, id);
    new GoogleProvider(this, 'google', {
      project: config.cluster.project,
      region: config.cluster.region,
      defaultLabels: { 'switchyard-name': config.name, 'switchyard-environment': config.environment, 'managed-by': 'switchyard' },
    });
  }
}
