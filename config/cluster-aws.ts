/** The aws profile's cluster: VPC, EKS control plane and managed node groups. */
import { z } from 'zod';
import { EKS_SUPPORTED_VERSIONS, eksVersionExpected } from './eks-support-calendar';
import { ipv4Cidr, parseIpv4Cidr } from './primitives';
import { nodePoolSchema } from './node-pools';

/** Derived from the dated calendar in `eks-support-calendar.ts`; re-exported for the policy checks. */
export { EKS_SUPPORTED_VERSIONS };

/** Retention periods CloudWatch Logs accepts, in days. */
export const CLOUDWATCH_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/**
 * The VPC is cut into a private subnet per zone (a quarter of the range each) and small public
 * ones: /16 gives /18 private subnets (16k pod and node IPs each), /20 the smallest useful /22.
 */
const vpcCidr = ipv4Cidr.refine(
  (v) => {
    const prefix = parseIpv4Cidr(v)?.prefix;
    return prefix === undefined || (prefix >= 16 && prefix <= 20);
  },
  { message: 'a VPC range from /16 to /20 (EKS nodes and pods take their IPs from it)' },
);

export const awsClusterSchema = z.strictObject({
  region: z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, { message: 'an AWS region such as us-east-1' }),
  /** A version in standard support on the EKS calendar's date (no extended-support charges). */
  kubernetesVersion: z.string().refine((v) => EKS_SUPPORTED_VERSIONS.includes(v), { error: (issue) => eksVersionExpected(issue.input) }),
  vpcCidr,
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
  admins: z.array(
    z.strictObject({
      principalArn: z.string().regex(/^arn:aws[a-z-]*:iam::\d{12}:(role|user)\/.+$/, { message: 'an IAM role or user ARN' }),
    }),
  ),
  nodePools: z.array(nodePoolSchema).min(1),
  /** How long CloudWatch keeps the control-plane logs (all five types are always on). */
  controlPlaneLogRetentionDays: z
    .number()
    .refine((d) => (CLOUDWATCH_RETENTION_DAYS as readonly number[]).includes(d), {
      message: `one of ${CLOUDWATCH_RETENTION_DAYS.join(', ')} (days CloudWatch accepts)`,
    })
    .default(90),
});

export type AwsClusterConfig = z.infer<typeof awsClusterSchema>;
