/**
 * The homelab profile's stack: cluster add-ons as Helm releases against the configured kubeconfig
 * context, and nothing else (no cloud provider). MetalLB when address pools are configured,
 * the Tailscale operator when Tailscale is enabled, Envoy Gateway always, the device plugin of
 * `cluster.gpuVendor`, and Argo CD when GitOps is on.
 */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import type { Construct } from 'constructs';
import { AmdGpuDevicePlugin } from '../constructs/addons/amd-gpu-device-plugin';
import { ArgoCd } from '../constructs/addons/argo-cd';
import { EnvoyGateway } from '../constructs/addons/envoy-gateway';
import { MetalLb } from '../constructs/addons/metallb';
import { NvidiaDevicePlugin } from '../constructs/addons/nvidia-device-plugin';
import { TailscaleOperator } from '../constructs/addons/tailscale-operator';
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

    // Without address pools MetalLB has nothing to hand out (and would contend with a built-in
    // load balancer such as k3s' ServiceLB), so it is installed only when pools are configured.
    if (config.exposure.metallb) new MetalLb(this, 'metallb');
    const tailscale = config.exposure.tailscale;
    if (tailscale?.enabled) new TailscaleOperator(this, 'tailscale-operator', { oauthSecretName: tailscale.oauthSecretName });
    new EnvoyGateway(this, 'envoy-gateway');
    const nodeSelector = config.cluster.gpuNodeSelector;
    switch (config.cluster.gpuVendor) {
      case 'nvidia':
        new NvidiaDevicePlugin(this, 'nvidia-device-plugin', { nodeSelector });
        break;
      case 'amd':
        new AmdGpuDevicePlugin(this, 'amd-gpu-device-plugin', { nodeSelector });
        break;
      case 'none':
        break;
    }
    if (config.gitops?.enabled) new ArgoCd(this, 'argocd');
  }
}
