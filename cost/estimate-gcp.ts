/**
 * The gcp profile's monthly bill: the GKE cluster management fee, the node pools (machine and
 * built-in GPUs, on demand or Spot) and their pd-balanced boot disks, Cloud NAT (per VM using it,
 * its external IP and data processing), the persistent volumes, and the external passthrough
 * Network Load Balancer the edge Service gets.
 */
import type { ConfigProblem } from '../config/config-error';
import type { GcpPlatformConfig } from '../config/platform-config';
import { byScale, type CostLine, dataLine, fixed, type ProfileEstimate, rate, type UsageAssumptions } from './cost-estimate';
import { nodePoolLines, totalNodes } from './node-pool-costs';
import { type VolumeClaim, volumeClaimLines } from './persistent-volumes';
import type { GcpPriceTable } from './price-table';

/** Cloud NAT's gateway charge per hour for `vms` VMs using it. */
export function cloudNatHourlyUsd(nat: GcpPriceTable['nat'], vms: number): number {
  return vms <= nat.vmsAtPerVmRate ? vms * nat.perVmHourlyUsd : nat.hourlyUsdAboveThat;
}

export function estimateGcp(
  config: GcpPlatformConfig,
  table: GcpPriceTable,
  claims: readonly VolumeClaim[],
  usage: UsageAssumptions,
  hours: number,
  problems: ConfigProblem[],
): ProfileEstimate {
  const { cluster } = config;
  const { nat, loadBalancer: lb, controlPlane: plane } = table;
  const ip = table.publicIpv4.hourlyUsd;
  const pools = cluster.nodePools;
  const nodes = `${totalNodes(pools, 'min')}/${totalNodes(pools, 'desired')}/${totalNodes(pools, 'max')}`;
  const lines: CostLine[] = [
    {
      component: 'control plane',
      item: plane.name,
      basis: `1 regional cluster x ${rate(plane.hourlyUsd)}/h`,
      monthlyUsd: fixed(plane.hourlyUsd * hours),
    },
    ...nodePoolLines(pools, table, hours, problems),
    ...volumeClaimLines(claims, table, config.storage.storageClass, problems),
    {
      component: 'nat',
      item: 'Cloud NAT gateway',
      basis: `${nodes} VMs x ${rate(nat.perVmHourlyUsd)}/h (at most ${rate(nat.hourlyUsdAboveThat)}/h) + 1 IP x ${rate(ip)}/h`,
      monthlyUsd: byScale((scale) => (cloudNatHourlyUsd(nat, totalNodes(pools, scale)) + ip) * hours),
    },
    dataLine('nat', 'Cloud NAT data processing', usage.natGbPerMonth, nat.perGbProcessedUsd, 'GiB'),
    {
      component: 'load balancer',
      item: `edge ${lb.name}`,
      basis: `1 forwarding rule x ${rate(lb.hourlyUsd)}/h`,
      monthlyUsd: fixed(lb.hourlyUsd * hours),
    },
    dataLine('load balancer', 'edge data processing', usage.edgeGbPerMonth, lb.perGbProcessedUsd, 'GiB'),
  ];
  return {
    lines,
    warnings: [],
    assumptions: [
      "A regional Standard GKE cluster; node counts are totals across the region's zones, as the config gives them.",
      `Node boot disks are ${table.rootVolume} (GKE's default), diskSizeGb GiB per node.`,
      `NAT: every node reaches out through Cloud NAT with one auto-allocated IP; ${usage.natGbPerMonth} GiB a month processed (image pulls, hosted model APIs); change with --nat-gb.`,
      `Edge: one ${lb.name} with ${usage.edgeGbPerMonth} GiB a month through it; change with --edge-gb.`,
    ],
  };
}
