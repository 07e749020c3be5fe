/**
 * Node pools of a cloud cluster (EKS managed node groups, GKE node pools): one CPU system pool
 * and any number of GPU pools. Cross-field rules (min <= desired <= max, GPU instance families)
 * live in `validate-platform-config.ts`.
 */
import { z } from 'zod';
import { dnsLabel, labelMap } from './primitives';

export const taintSchema = z.strictObject({
  key: z.string().min(1),
  value: z.string().default(''),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute']),
});

export const gpuSchema = z.strictObject({
  /** GPUs per node. */
  count: z.number().int().min(1).max(16).default(1),
  /**
   * GCP accelerator type (nvidia-l4, nvidia-tesla-t4, ...). On AWS the GPU comes with the instance
   * type and this field is informational.
   */
  type: z.string().min(1).optional(),
});

/**
 * Default root disk per node, in GiB. A GPU node holds the GPU driver stack (the NVIDIA AMI on
 * EKS, the driver GKE installs) and the model servers' CUDA images, several GiB each and kept
 * in the image cache next to their older versions; a CPU node only the platform's small images.
 */
export const DEFAULT_DISK_SIZE_GB = { cpu: 100, gpu: 200 } as const;

/** The root disk a pool gets when `diskSizeGb` is left out. */
export function defaultDiskSizeGb(gpu: boolean): number {
  return gpu ? DEFAULT_DISK_SIZE_GB.gpu : DEFAULT_DISK_SIZE_GB.cpu;
}

const nodePoolFields = z.strictObject({
  name: dnsLabel,
  /** EC2 instance type (AWS) or machine type (GCP). */
  instanceType: z.string().min(1),
  minSize: z.number().int().min(0),
  desiredSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  /**
   * Root volume size in GiB.
   * @default 200 on a GPU pool (room for the driver stack and model server images), 100 otherwise
   */
  diskSizeGb: z.number().int().min(20).max(4096).optional(),
  /** Spot (AWS) or Spot VMs (GCP): cheaper, may be reclaimed. */
  spot: z.boolean().default(false),
  /** Present on GPU pools: adds the GPU taint, labels and the accelerator. */
  gpu: gpuSchema.optional(),
  labels: labelMap.default({}),
  taints: z.array(taintSchema).default([]),
});

/** A node pool with its defaults filled in, `diskSizeGb` by whether the pool has GPUs. */
export const nodePoolSchema = nodePoolFields.transform((pool) => ({
  ...pool,
  diskSizeGb: pool.diskSizeGb ?? defaultDiskSizeGb(pool.gpu !== undefined),
}));

export type NodePoolConfig = z.infer<typeof nodePoolSchema>;
