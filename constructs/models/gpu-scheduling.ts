/**
 * How a GPU workload lands on GPU nodes, per profile:
 * - aws: EKS GPU node groups carry the taint nvidia.com/gpu=true:NoSchedule; pods ask for
 *   nvidia.com/gpu and are pinned to the GPU pools' instance types (node.kubernetes.io/instance-type).
 * - gcp: GKE taints GPU nodes nvidia.com/gpu=present:NoSchedule and labels them
 *   cloud.google.com/gke-accelerator=<type>; pods ask for nvidia.com/gpu and select that label.
 * - homelab: the device plugin of `cluster.gpuVendor` advertises nvidia.com/gpu or amd.com/gpu;
 *   pods ask for it, tolerate a taint of that name if the operator set one, and select
 *   `cluster.gpuNodeSelector` when given. AMD nodes run the ROCm build of the image.
 * Taints the config puts on GPU pools (`nodePools[].taints`) are tolerated as well.
 */
import type { PlatformConfig } from '../../config/platform-config';
import { ollamaGpuCount, profileGpuVendor, type GpuVendor } from '../../config/ollama';
import type { Affinity, Toleration } from '../kube/k8s';
import type { PodScheduling } from '../kube/secure-pod-spec';

export interface GpuScheduling {
  readonly vendor: GpuVendor;
  /** The extended resource the device plugin advertises. */
  readonly resourceName: 'nvidia.com/gpu' | 'amd.com/gpu';
  /** GPUs per pod. */
  readonly count: number;
  readonly scheduling: PodScheduling;
}

/** The host's `video` group (GID 44 on Debian, Ubuntu and Fedora), which owns /dev/kfd and /dev/dri on AMD nodes. */
export const VIDEO_GROUP_ID = 44;

function requiredNodeAffinity(key: string, values: readonly string[]): Affinity {
  return {
    nodeAffinity: {
      requiredDuringSchedulingIgnoredDuringExecution: {
        nodeSelectorTerms: [{ matchExpressions: [{ key, operator: 'In', values: [...new Set(values)].sort() }] }],
      },
    },
  };
}

/** GPU scheduling for Ollama under `config`, or undefined when it runs on CPU. */
export function gpuSchedulingFor(config: PlatformConfig): GpuScheduling | undefined {
  const count = ollamaGpuCount(config);
  const vendor = profileGpuVendor(config);
  if (count === 0 || !vendor) return undefined;
  const resourceName = vendor === 'amd' ? 'amd.com/gpu' : 'nvidia.com/gpu';

  if (config.profile === 'homelab') {
    const tolerations: Toleration[] = [{ key: resourceName, operator: 'Exists', effect: 'NoSchedule' }];
    const nodeSelector = config.cluster.gpuNodeSelector;
    return { vendor, resourceName, count, scheduling: { tolerations, nodeSelector } };
  }

  const gpuPools = config.cluster.nodePools.filter((pool) => pool.gpu);
  const gpuTaint: Toleration =
    config.profile === 'aws'
      ? { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }
      : { key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' };
  const poolTaints: Toleration[] = gpuPools.flatMap((pool) =>
    pool.taints.map((t) => ({ key: t.key, operator: 'Equal', value: t.value, effect: t.effect })),
  );
  const tolerations = [gpuTaint, ...poolTaints].filter(
    (t, i, all) => all.findIndex((o) => o.key === t.key && o.value === t.value && o.effect === t.effect) === i,
  );
  const affinity =
    config.profile === 'aws'
      ? requiredNodeAffinity(
          'node.kubernetes.io/instance-type',
          gpuPools.map((pool) => pool.instanceType),
        )
      : requiredNodeAffinity(
          'cloud.google.com/gke-accelerator',
          gpuPools.map((pool) => pool.gpu?.type ?? ''),
        );
  return { vendor, resourceName, count, scheduling: { tolerations, affinity } };
}
