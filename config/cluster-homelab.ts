/** The homelab profile's cluster: an existing bare-metal cluster reached through a kubeconfig. */
import { z } from 'zod';

export const homelabClusterSchema = z.strictObject({
  kubeconfigPath: z.string().min(1),
  /** The kubeconfig context the Helm provider uses. */
  context: z.string().min(1),
  /** The GPU vendor of the model nodes: selects the device plugin, resource name and image. */
  gpuVendor: z.enum(['nvidia', 'amd', 'none']),
});

export type HomelabClusterConfig = z.infer<typeof homelabClusterSchema>;
