/**
 * NVIDIA device plugin: a DaemonSet advertising `nvidia.com/gpu` on GPU nodes, so model servers
 * can request GPUs. It tolerates the `nvidia.com/gpu` taint whatever its value (`true` on EKS
 * GPU node groups, `present` on GKE) so it lands on the tainted GPU nodes it serves.
 * Not for GKE: GKE installs its own device plugin with the driver.
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { NVIDIA_DEVICE_PLUGIN_CHART } from './addon-charts';
import { addonRelease } from './addon-release';
import type { Toleration } from './helm-values';

export interface NvidiaDevicePluginProps {
  /** @default 'nvidia-device-plugin' */
  readonly namespace?: string;
  /**
   * Labels selecting the GPU nodes (e.g. the GPU node group's labels). When set, it replaces the
   * chart's default node affinity, which needs Node Feature Discovery labels or
   * `nvidia.com/gpu.present=true` on the node.
   * @default - the chart's node affinity
   */
  readonly nodeSelector?: Readonly<Record<string, string>>;
}

/** The taint GPU node pools carry; the plugin tolerates it with any value. */
export const NVIDIA_GPU_TOLERATION: Toleration = { key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' };

export interface NvidiaDevicePluginValues {
  readonly tolerations: readonly Toleration[];
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** `null` removes the chart's NFD-based affinity when a node selector is given. */
  readonly affinity?: null;
}

export class NvidiaDevicePlugin extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: NvidiaDevicePluginProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'nvidia-device-plugin';
    const values: NvidiaDevicePluginValues = {
      tolerations: [{ key: 'CriticalAddonsOnly', operator: 'Exists' }, NVIDIA_GPU_TOLERATION],
      ...(props.nodeSelector ? { nodeSelector: props.nodeSelector, affinity: null } : {}),
    };
    this.release = addonRelease(this, {
      chart: NVIDIA_DEVICE_PLUGIN_CHART,
      releaseName: 'nvidia-device-plugin',
      namespace: this.namespace,
      values,
    });
  }
}
