/** The homelab profile's cluster: an existing bare-metal cluster reached through a kubeconfig. */
import { z } from 'zod';
import { labelMap } from './primitives';

export const homelabClusterSchema = z.strictObject({
  kubeconfigPath: z.string().min(1),
  /** The kubeconfig context the Helm provider uses. */
  context: z.string().min(1),
  /** The GPU vendor of the model nodes: selects the device plugin, resource name and image. */
  gpuVendor: z.enum(['nvidia', 'amd', 'none']),
  /**
   * Node labels selecting the GPU nodes the device plugin runs on. Without it the AMD plugin runs
   * on every node (idle where there is no GPU) and the NVIDIA plugin only on nodes labelled
   * `nvidia.com/gpu.present=true` (or by Node Feature Discovery).
   */
  gpuNodeSelector: labelMap.optional(),
});

export type HomelabClusterConfig = z.infer<typeof homelabClusterSchema>;
