/**
 * Small reusable zod types for the platform config: names Kubernetes and the clouds accept,
 * CIDR blocks and address ranges that really parse, Kubernetes quantities.
 */
import { isIP } from 'node:net';
import { z } from 'zod';

/** An RFC 1123 DNS label: what Kubernetes accepts for namespace and object names. */
export const dnsLabel = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, {
    message: 'a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
  })
  .max(63, { message: 'at most 63 characters' });

/** An RFC 1123 DNS subdomain, e.g. a hostname. */
export const dnsName = z
  .string()
  .max(253)
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
    message: 'a DNS name such as ai.example.com (lower case)',
  });

/** Parses `a.b.c.d/n` (IPv4) into its parts, or returns undefined when it does not parse. */
export function parseIpv4Cidr(value: string): { address: string; prefix: number } | undefined {
  const match = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(value);
  if (!match) return undefined;
  const [, address, prefixText] = match;
  const prefix = Number(prefixText);
  if (isIP(address) !== 4 || prefix > 32) return undefined;
  return { address, prefix };
}

/** Converts a dotted IPv4 address to an unsigned 32-bit number. */
export function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

export const ipv4Cidr = z.string().refine((v) => parseIpv4Cidr(v) !== undefined, {
  message: 'an IPv4 CIDR block such as 10.0.0.0/16',
});

/**
 * A MetalLB address: a CIDR (`192.168.1.240/28`) or an inclusive range
 * (`192.168.1.101-192.168.1.102`) whose start is not after its end.
 */
export const addressRange = z.string().refine(
  (v) => {
    if (parseIpv4Cidr(v)) return true;
    const parts = v.split('-').map((p) => p.trim());
    if (parts.length !== 2 || isIP(parts[0]) !== 4 || isIP(parts[1]) !== 4) return false;
    return ipv4ToNumber(parts[0]) <= ipv4ToNumber(parts[1]);
  },
  { message: 'an IPv4 CIDR (192.168.1.240/28) or a range first-last (192.168.1.101-192.168.1.102)' },
);

/** A Kubernetes resource quantity such as 500m, 2, 8Gi, 100G. */
/** A Kubernetes quantity: a number and an optional decimal or binary suffix. */
export const QUANTITY = /^([0-9]+(\.[0-9]+)?)(m|k|M|G|T|P|Ki|Mi|Gi|Ti|Pi)?$/;

const QUANTITY_FACTORS: Readonly<Record<string, number>> = {
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
};

/** A quantity in base units (cores or bytes), e.g. 512Mi -> 536870912; NaN when it does not parse. */
export function quantityToNumber(quantity: string): number {
  const match = QUANTITY.exec(quantity);
  if (!match) return Number.NaN;
  return Number(match[1]) * (match[3] ? QUANTITY_FACTORS[match[3]] : 1);
}

export const quantity = z.string().regex(QUANTITY, {
  message: 'a Kubernetes quantity such as 500m, 2, 512Mi or 20Gi',
});

/** Labels as Kubernetes accepts them. */
export const labelMap = z.record(
  z.string().regex(/^([a-z0-9.-]+\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/, {
    message: 'a label key such as team or example.com/team',
  }),
  z.string().max(63),
);

/** CPU and memory requests and limits of a container. */
export const computeResourcesSchema = z.strictObject({
  cpuRequest: quantity,
  cpuLimit: quantity,
  memoryRequest: quantity,
  memoryLimit: quantity,
});
