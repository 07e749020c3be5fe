/** The gcp profile's cluster: VPC with secondary ranges, Cloud NAT, private GKE and node pools. */
import { z } from 'zod';
import { ipv4Cidr } from './primitives';
import { nodePoolSchema } from './node-pools';

export const gcpClusterSchema = z.strictObject({
  project: z.string().regex(/^[a-z][-a-z0-9]{4,28}[a-z0-9]$/, { message: 'a GCP project ID such as my-project-123' }),
  region: z.string().regex(/^[a-z]+-[a-z]+\d+$/, { message: 'a GCP region such as us-central1' }),
  releaseChannel: z.enum(['RAPID', 'REGULAR', 'STABLE']),
  /**
   * The lowest control plane version, as a Kubernetes minor version (`"1.33"`, quoted in YAML):
   * GKE creates the cluster at that minor's newest patch in the release channel and keeps
   * upgrading it along the channel. Left out, GKE picks the channel's default version.
   */
  kubernetesVersion: z
    .string()
    .regex(/^1\.[1-9]\d*$/, { message: 'a Kubernetes minor version such as "1.33" (GKE picks its newest patch in the release channel)' })
    .optional(),
  network: z.strictObject({
    subnetCidr: ipv4Cidr,
    podsCidr: ipv4Cidr,
    servicesCidr: ipv4Cidr,
    /** The /28 the GKE control plane's private endpoint lives in. */
    masterCidr: ipv4Cidr,
  }),
  /** Networks allowed to reach the control plane endpoint. */
  authorizedNetworks: z.array(z.strictObject({ name: z.string().min(1), cidr: ipv4Cidr })),
  nodePools: z.array(nodePoolSchema).min(1),
});

export type GcpClusterConfig = z.infer<typeof gcpClusterSchema>;
