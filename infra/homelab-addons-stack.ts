/** The homelab profile's stack: cluster add-ons as Helm releases against the configured kubeconfig context. */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Construct } from 'constructs';
import { TerraformStack } from '../constructs/cdktf';
import { useProjectLocalBackend } from './state-backend';
import type { HomelabPlatformConfig } from '../config/platform-config';

export interface HomelabAddonsStackProps {
  readonly config: HomelabPlatformConfig;
}

export class HomelabAddonsStack extends TerraformStack {
  constructor(scope: Construct, id: string, props: HomelabAddonsStackProps) {
    super(scope, id);
    const { config } = props;
    useProjectLocalBackend(this, id);
    new HelmProvider(this, 'helm', {
      kubernetes: { configPath: config.cluster.kubeconfigPath, configContext: config.cluster.context },
    });
  }
}
