/**
 * The aws profile's monthly bill: the EKS control plane (standard or extended support, by the
 * version's date in the table), the managed node groups and their gp3 root volumes, NAT gateways
 * (one or one per zone, with their Elastic IPs and data processing), the persistent volumes, and
 * the internet-facing Network Load Balancer the edge Service gets.
 */
import type { ConfigProblem } from '../config/config-error';
import { EKS_SUPPORT_CALENDAR, inStandardSupport } from '../config/eks-support-calendar';
import type { AwsPlatformConfig } from '../config/platform-config';
import { type CostLine, dataLine, fixed, type ProfileEstimate, rate, type UsageAssumptions } from './cost-estimate';
import { nodePoolLines } from './node-pool-costs';
import { type VolumeClaim, volumeClaimLines } from './persistent-volumes';
import type { AwsPriceTable } from './price-table';

/** Days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/**
 * The control plane line: standard support before the version's end date in the EKS calendar,
 * extended from that day on (AWS bills extended support from the start of it, UTC).
 */
export function eksControlPlane(
  version: string,
  table: AwsPriceTable,
  usage: UsageAssumptions,
  hours: number,
  problems: ConfigProblem[],
  warnings: string[],
): CostLine[] {
  const plane = table.controlPlane;
  const calendar = EKS_SUPPORT_CALENDAR.standardSupportEnds;
  const ends = calendar[version];
  if (!ends || plane.extendedSupportHourlyUsd === undefined) {
    problems.push({
      path: 'cluster.kubernetesVersion',
      got: JSON.stringify(version),
      expected: `a version in the EKS support calendar (config/eks-support-calendar.ts): ${Object.keys(calendar).join(', ')}`,
    });
    return [];
  }
  const extended = !inStandardSupport(version, usage.date);
  const hourly = extended ? plane.extendedSupportHourlyUsd : plane.hourlyUsd;
  const left = daysBetween(usage.date, ends);
  if (!extended && left <= 60)
    warnings.push(
      `Kubernetes ${version} leaves EKS standard support on ${ends} (in ${left} days): from then the control plane costs ${rate(plane.extendedSupportHourlyUsd)}/h instead of ${rate(plane.hourlyUsd)}/h.`,
    );
  return [
    {
      component: 'control plane',
      item: `${plane.name} ${version}`,
      basis: `${extended ? `extended support since ${ends}` : `standard support until ${ends}`}, ${rate(hourly)}/h`,
      monthlyUsd: fixed(hourly * hours),
    },
  ];
}

export function estimateAws(
  config: AwsPlatformConfig,
  table: AwsPriceTable,
  claims: readonly VolumeClaim[],
  usage: UsageAssumptions,
  hours: number,
  problems: ConfigProblem[],
): ProfileEstimate {
  const { cluster } = config;
  const zones = cluster.availabilityZones;
  const natCount = cluster.natGateways === 'single' ? 1 : zones;
  const ip = table.publicIpv4.hourlyUsd;
  const { nat, loadBalancer: lb } = table;
  const warnings: string[] = [];
  const lines: CostLine[] = [
    ...eksControlPlane(cluster.kubernetesVersion, table, usage, hours, problems, warnings),
    ...nodePoolLines(cluster.nodePools, table, hours, problems),
    ...volumeClaimLines(claims, table, config.storage.storageClass, problems),
    {
      component: 'nat',
      item: `NAT gateways (${cluster.natGateways})`,
      basis: `${natCount} x (${rate(nat.hourlyUsd)}/h + Elastic IP ${rate(ip)}/h)`,
      monthlyUsd: fixed(natCount * (nat.hourlyUsd + ip) * hours),
    },
    dataLine('nat', 'NAT data processing', usage.natGbPerMonth, nat.perGbProcessedUsd, 'GB'),
  ];
  if (natCount === 1 && zones > 1) {
    const crossing = (usage.natGbPerMonth * (zones - 1)) / zones;
    lines.push({
      component: 'nat',
      item: 'cross-zone traffic to the single NAT',
      basis: `${zones - 1}/${zones} of ${usage.natGbPerMonth} GB x ${rate(table.crossZoneTransfer.perGbUsd)}/GB`,
      monthlyUsd: fixed(crossing * table.crossZoneTransfer.perGbUsd),
    });
  }
  lines.push(
    {
      component: 'load balancer',
      item: `edge ${lb.name}`,
      basis: `${rate(lb.hourlyUsd)}/h + ${zones} zone IPv4 x ${rate(ip)}/h`,
      monthlyUsd: fixed((lb.hourlyUsd + zones * ip) * hours),
    },
    dataLine('load balancer', 'edge data processing (NLCU)', usage.edgeGbPerMonth, lb.perGbProcessedUsd, 'GB'),
  );
  return {
    lines,
    warnings,
    assumptions: [
      `Node root volumes are ${table.rootVolume}, diskSizeGb GiB per node; the VPC spans ${zones} zones.`,
      `NAT: ${usage.natGbPerMonth} GB a month leave through the NAT gateway(s) (image pulls, hosted model APIs); change with --nat-gb.${natCount === 1 && zones > 1 ? ` With one NAT, traffic from the other ${zones - 1} zone(s) also pays cross-zone transfer.` : ''}`,
      `Edge: one internet-facing ${lb.name} with an IPv4 address per zone, ${usage.edgeGbPerMonth} GB a month through it (one NLCU per GB); change with --edge-gb.`,
      `EKS support status judged on ${usage.date}.`,
    ],
  };
}
