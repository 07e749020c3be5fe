/**
 * How a VPC range is cut into subnets, computed at synth time so tests and reviews see real
 * ranges (like Terraform's cidrsubnet, without waiting for a plan). Each zone gets a private
 * subnet of a quarter of the VPC (nodes and pods: the VPC CNI gives every pod a VPC IP) and a
 * public subnet of a thirty-second (load balancers and NAT gateways) from the last quarter.
 */
import { ipv4ToNumber, parseIpv4Cidr } from '../../config/primitives';

export interface SubnetCidrs {
  /** One per zone, in zone order: a quarter of the VPC each (/18 of a /16). */
  readonly private: readonly string[];
  /** One per zone, in zone order: a thirty-second of the VPC each (/21 of a /16), in the fourth quarter. */
  readonly public: readonly string[];
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

/** Terraform's cidrsubnet(prefix, newbits, netnum) for IPv4. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) throw new RangeError(`cidrSubnet: "${cidr}" is not an IPv4 CIDR block`);
  const prefix = parsed.prefix + newBits;
  if (prefix > 32 || netNum < 0 || netNum >= 2 ** newBits)
    throw new RangeError(`cidrSubnet: no subnet ${netNum} of ${newBits} new bits in ${cidr}`);
  const size = 2 ** (32 - parsed.prefix);
  const base = Math.floor(ipv4ToNumber(parsed.address) / size) * size;
  return `${numberToIpv4(base + netNum * 2 ** (32 - prefix))}/${prefix}`;
}

/** Private and public subnet ranges for `zoneCount` zones (at most 3) of a VPC. */
export function subnetCidrs(vpcCidr: string, zoneCount: number): SubnetCidrs {
  if (zoneCount < 1 || zoneCount > 3) throw new RangeError(`subnetCidrs: zoneCount must be 1 to 3, got ${zoneCount}`);
  const zones = Array.from({ length: zoneCount }, (_, i) => i);
  return {
    private: zones.map((i) => cidrSubnet(vpcCidr, 2, i)),
    public: zones.map((i) => cidrSubnet(vpcCidr, 5, 24 + i)),
  };
}
