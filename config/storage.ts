/** Storage: the StorageClass PVCs use, and on homelab the host path that holds the models. */
import { z } from 'zod';
import { dnsLabel, quantity } from './primitives';

export const storageSchema = z.strictObject({
  /** StorageClass for every PVC (gp3 on EKS, standard-rwo on GKE, local-path on k3s). */
  storageClass: dnsLabel,
  /**
   * Homelab only: models live on a host path of one node, through a local PersistentVolume
   * with node affinity.
   */
  modelStorage: z
    .strictObject({
      hostPath: z.string().regex(/^\/[^\0]*$/, { message: 'an absolute path such as /mnt/evo4t' }),
      nodeName: z.string().min(1),
      size: quantity,
    })
    .optional(),
});

export type StorageConfig = z.infer<typeof storageSchema>;
