/**
 * AMD GPU device plugin (ROCm `amd-gpu` chart): a DaemonSet advertising `amd.com/gpu` on nodes
 * with the amdgpu driver, such as the seed homelab's Ryzen AI box. Its container runs with
 * privilege escalation off and all capabilities dropped (the chart's default, kept explicit).
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { AMD_GPU_DEVICE_PLUGIN_CHART } from './addon-charts';
import { addonRelease } from './addon-release';
import type { Toleration } from './helm-values';

export interface AmdGpuDevicePluginProps {
  /** @default 'amd-gpu-device-plugin' */
  readonly namespace?: string;
  /**
   * Labels selecting the GPU nodes.
   * @default - every node (the plugin idles on nodes without an AMD GPU)
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** Lets the plugin onto GPU nodes tainted `amd.com/gpu` (any value). */
export const AMD_GPU_TOLERATION: Toleration = { key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

export interface AmdGpuDevicePluginValues {
  readonly tolerations: readonly Toleration[];
  readonly securityContext: { readonly allowPrivilegeEscalation: false; readonly capabilities: { readonly drop: readonly ['ALL'] } };
  readonly node_selector_enabled: boolean;
  readonly node_selector?: Readonly<Record<string, string>>;
}

export class AmdGpuDevicePlugin extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: AmdGpuDevicePluginProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'amd-gpu-device-plugin';
    const values: AmdGpuDevicePluginValues = {
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, AMD_GPU_TOLERATION],
      securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } },
      node_selector_enabled: props.nodeSelector !== undefined,
      ...(props.nodeSelector ? { node_selector: props.nodeSelector } : {}),
    };
    this.release = addonRelease(this, {
      chart: AMD_GPU_DEVICE_PLUGIN_CHART,
      releaseName: 'amd-gpu-device-plugin',
      namespace: this.namespace,
      values,
    });
  }
}
