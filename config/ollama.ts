/**
 * The Ollama model server: how many GPUs each pod takes, its models volume and its resources.
 * Which models it serves is `models`; where the models live on homelab is `storage.modelStorage`.
 */
import { z } from 'zod';
import { computeResourcesSchema, quantity } from './primitives';

export const ollamaSchema = z.strictObject({
  /**
   * GPUs per Ollama pod (nvidia.com/gpu on the clouds and homelab NVIDIA, amd.com/gpu on homelab AMD).
   * @default - 1 where the profile has GPU nodes (a node pool with `gpu`, or homelab `gpuVendor`
   * nvidia/amd), 0 (CPU only) elsewhere. Asking for GPUs where there are none is an error.
   */
  gpus: z.number().int().min(0).max(8).optional(),
  /** Size of the models volume (cloud profiles, or homelab without `storage.modelStorage`). */
  storageSize: quantity,
  resources: computeResourcesSchema,
});

export type OllamaConfig = z.infer<typeof ollamaSchema>;

/** GPU makers Ollama has images and device plugins for. */
export type GpuVendor = 'nvidia' | 'amd';

/** Structural view of the config fields GPU resolution reads (avoids a cycle with platform-config). */
interface GpuConfigView {
  readonly profile: 'aws' | 'gcp' | 'homelab';
  readonly cluster: {
    readonly gpuVendor?: 'nvidia' | 'amd' | 'none';
    readonly nodePools?: readonly { readonly gpu?: { readonly count: number } }[];
  };
  readonly ollama: OllamaConfig;
}

/** The vendor of the profile's GPU nodes, or undefined when it has none. Cloud GPU pools are NVIDIA. */
export function profileGpuVendor(config: GpuConfigView): GpuVendor | undefined {
  if (config.profile === 'homelab') return config.cluster.gpuVendor === 'none' ? undefined : config.cluster.gpuVendor;
  return config.cluster.nodePools?.some((pool) => pool.gpu) ? 'nvidia' : undefined;
}

/** GPUs per Ollama pod: the configured count, or 1 where the profile has GPU nodes and 0 elsewhere. */
export function ollamaGpuCount(config: GpuConfigView): number {
  return config.ollama.gpus ?? (profileGpuVendor(config) ? 1 : 0);
}
