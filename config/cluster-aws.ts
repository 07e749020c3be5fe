/** The aws profile's cluster: VPC, EKS control plane and managed node groups. */
import { z } from 'zod';
import { ipv4Cidr } from './primitives';
import { nodePoolSchema } from './node-pools';

/** EKS versions in standard support on the date of the price table (see README). */
export const EKS_SUPPORTED_VERSIONS = ['1.32', '1.33', '1.34', '1.35'] as const;

export const awsClusterSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'an AWS region such as us-east-1' }),
  kubernetesVersion: z.enum(EKS_SUPPORTED_VERSIONS),
  vpcCidr: ipv4Cidr,
  /** How many availability zones the VPC spans. */
  availabilityZones: z.number().int().min(2).max(3),
  /** One NAT gateway for the VPC (cheaper) or one per zone (no cross-zone dependency). */
  natGateways: z.enum(['single', 'per-zone']),
  endpoint: z.strictObject({
    /** The private endpoint is always on; the public one is off unless this is true. */
    publicAccess: z.boolean(),
    /** CIDRs allowed to reach the public endpoint; required (and never 0.0.0.0/0) when it is on. */
    publicAccessCidrs: z.array(ipv4Cidr),
  }),
  /** IAM principals granted cluster admin through EKS access entries. */
  admins: z.array(z.strictObject({ principalArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { message: 'an IAM role or user ARN' }) })),
  nodePools: z.array(nodePoolSchema).min(1),
});

export type AwsClusterConfig = z.infer<typeof awsClusterSchema>;
