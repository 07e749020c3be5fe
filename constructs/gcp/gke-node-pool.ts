/**
 * One GKE node pool from a `NodePoolConfig`, secure by default: the least-privilege node account,
 * Workload Identity metadata (`GKE_METADATA`: pods never see the node's credentials), shielded
 * VMs with secure boot and integrity monitoring, auto-repair and auto-upgrade, surge upgrades
 * that keep capacity.
 *
 * A GPU pool (config `gpu`) attaches its accelerators with the driver installed by GKE, carries
 * the `nvidia.com/gpu=present:NoSchedule` taint (the one GKE itself uses) and the label
 * `switchyard.dev/gpu=nvidia`, starts at zero nodes and lets the cluster autoscaler add nodes
 * when a pod asks for `nvidia.com/gpu` ("ANY" location policy: whichever zone has capacity).
 * GKE runs the NVIDIA device plugin on such nodes itself; no Helm release is needed.
 *
 * Sizes are totals across the region's zones (`total_min/max_node_count`); `desiredSize` is
 * not set on GKE, where the autoscaler owns the count: CPU pools start with one node per zone.
 */
import { ContainerNodePool } from '@cdktf/provider-google/lib/container-node-pool';
import { Construct } from 'constructs';
import type { NodePoolConfig } from '../../config/node-pools';
import type { GkeCluster } from './gke-cluster';

export interface GkeNodePoolProps {
  readonly cluster: GkeCluster;
  readonly pool: NodePoolConfig;
  /** Email of the node service account. */
  readonly serviceAccountEmail: string;
}

/** The taint on every GPU node: only pods tolerating it (GPU model servers) land there. */
export const GKE_GPU_TAINT = { key: 'nvidia.com/gpu', value: 'present', effect: 'NO_SCHEDULE' } as const;
/** The label selecting GPU nodes. */
export const GPU_NODE_LABEL = { 'switchyard.dev/gpu': 'nvidia' } as const;

const TAINT_EFFECTS = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

export class GkeNodePool extends Construct {
  readonly nodePool: ContainerNodePool;

  constructor(scope: Construct, id: string, props: GkeNodePoolProps) {
    super(scope, id);
    const { pool, cluster } = props;
    const gpu = pool.gpu;
    const taints = pool.taints.map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] }));
    if (gpu && !taints.some((t) => t.key === GKE_GPU_TAINT.key)) taints.push({ ...GKE_GPU_TAINT });
    this.nodePool = new ContainerNodePool(this, 'Resource', {
      name: pool.name,
      cluster: cluster.cluster.id,
      location: cluster.region,
      initialNodeCount: gpu || pool.desiredSize === 0 ? 0 : 1,
      autoscaling: { totalMinNodeCount: pool.minSize, totalMaxNodeCount: pool.maxSize, locationPolicy: gpu ? 'ANY' : 'BALANCED' },
      management: { autoRepair: true, autoUpgrade: true },
      upgradeSettings: { strategy: 'SURGE', maxSurge: 1, maxUnavailable: 0 },
      nodeConfig: {
        machineType: pool.instanceType,
        diskSizeGb: pool.diskSizeGb,
        diskType: 'pd-balanced',
        imageType: 'COS_CONTAINERD',
        spot: pool.spot,
        serviceAccount: props.serviceAccountEmail,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
        metadata: { 'disable-legacy-endpoints': 'true' },
        labels: { ...pool.labels, 'switchyard.dev/pool': pool.name, ...(gpu ? GPU_NODE_LABEL : {}) },
        taint: taints,
        guestAccelerator: gpu
          ? [{ type: gpu.type ?? '', count: gpu.count, gpuDriverInstallationConfig: { gpuDriverVersion: 'DEFAULT' } }]
          : undefined,
      },
    });
  }
}
