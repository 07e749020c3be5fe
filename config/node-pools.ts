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

export const nodePoolSchema = z.strictObject({
  name: dnsLabel,
  /** EC2 instance type (AWS) or machine type (GCP). */
  instanceType: z.string().min(1),
  minSize: z.number().int().min(0),
  desiredSize: z.number().int().min(0),
  maxSize: z.number().int().min(1),
  /** Root volume size; GPU pools need room for model server images. */
  diskSizeGb: z.number().int().min(20).max(4096).default(100),
  /** Spot (AWS) or Spot VMs (GCP): cheaper, may be reclaimed. */
  spot: z.boolean().default(false),
  /** Present on GPU pools: adds the GPU taint, labels and the accelerator. */
  gpu: gpuSchema.optional(),
  labels: labelMap.default({}),
  taints: z.array(taintSchema).default([]),
});

export type NodePoolConfig = z.infer<typeof nodePoolSchema>;
