/**
 * MetallbAddressPools: the LAN addresses MetalLB may hand to LoadBalancer Services on a homelab
 * cluster, one IPAddressPool per configured pool, announced on the LAN by one L2Advertisement
 * (ARP/NDP from the node that holds each address; no router configuration needed).
 */
import { isIP } from 'node:net';
import { Construct } from 'constructs';
import { IpAddressPool, L2Advertisement } from '../../imports/metallb.io';
import { PART_OF } from '../kube/labels';

export interface AddressPool {
  /** The IPAddressPool name; LoadBalancer Services pick a pool by it. */
  readonly name: string;
  /** CIDRs (192.168.1.240/28) or inclusive ranges (192.168.1.101-192.168.1.102). */
  readonly addresses: readonly string[];
}

export interface MetallbAddressPoolsProps {
  readonly pools: readonly AddressPool[];
  /** Where MetalLB is installed; its custom resources must live there. @default 'metallb-system' */
  readonly namespace?: string;
}

/** Annotations a LoadBalancer Service uses to ask MetalLB for a pool and a fixed address. */
export const METALLB_ADDRESS_POOL_ANNOTATION = 'metallb.io/address-pool';
export const METALLB_LOAD_BALANCER_IPS_ANNOTATION = 'metallb.io/loadBalancerIPs';

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function ipv4ToNumber(address: string): number {
  return address.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
}

/**
 * The first address a pool entry hands out: the start of a range; for a CIDR, its first host
 * (the network address itself for /31 and /32, which have no network address to skip).
 * Returns undefined for an entry that does not parse (the config schema refuses those).
 */
export function firstPoolAddress(entry: string): string | undefined {
  const range = entry.split('-').map((part) => part.trim());
  if (range.length === 2) return isIP(range[0]) === 4 ? range[0] : undefined;
  const cidr = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(entry);
  if (!cidr || isIP(cidr[1]) !== 4 || Number(cidr[2]) > 32) return undefined;
  const prefix = Number(cidr[2]);
  const size = 2 ** (32 - prefix);
  const network = Math.floor(ipv4ToNumber(cidr[1]) / size) * size;
  return numberToIpv4(prefix >= 31 ? network : network + 1);
}

export class MetallbAddressPools extends Construct {
  readonly namespace: string;
  readonly poolNames: readonly string[];
  private readonly pools: readonly AddressPool[];

  constructor(scope: Construct, id: string, props: MetallbAddressPoolsProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'metallb-system';
    this.poolNames = props.pools.map((p) => p.name);
    this.pools = props.pools;
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'load-balancer' };

    this.node.addValidation({
      validate: () => [
        ...(props.pools.length === 0 ? ['pools is empty: give at least one address pool'] : []),
        ...props.pools.flatMap((pool, i) =>
          pool.addresses
            .filter((entry) => firstPoolAddress(entry) === undefined)
            .map((entry) => `pools[${i}].addresses: ${JSON.stringify(entry)} is not an IPv4 CIDR or a first-last range`),
        ),
      ],
    });

    for (const pool of props.pools) {
      new IpAddressPool(this, pool.name, {
        metadata: { name: pool.name, namespace: this.namespace, labels },
        // avoidBuggyIPs off: every address of a home LAN range is usable.
        spec: { addresses: [...pool.addresses], autoAssign: true },
      });
    }

    new L2Advertisement(this, 'Resource', {
      metadata: { name: 'switchyard', namespace: this.namespace, labels },
      spec: { ipAddressPools: [...this.poolNames] },
    });
  }

  /**
   * Service annotations that take the first address of the first pool: a stable address for DNS
   * (e.g. ai.home.arpa -> 192.168.1.101) across re-creations of the Service.
   */
  fixedAddressAnnotations(): Record<string, string> {
    const [pool] = this.pools;
    const address = pool ? firstPoolAddress(pool.addresses[0] ?? '') : undefined;
    if (!pool || !address) return {};
    return { [METALLB_ADDRESS_POOL_ANNOTATION]: pool.name, [METALLB_LOAD_BALANCER_IPS_ANNOTATION]: address };
  }
}
