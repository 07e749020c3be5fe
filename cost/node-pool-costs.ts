/**
 * Node pools priced from the table: the instances at each scale (on demand or Spot) and their root
 * volumes. An instance type or Spot price the table lacks is a problem naming the pool's path.
 */
import type { ConfigProblem } from '../config/config-error';
import type { NodePoolConfig } from '../config/node-pools';
import { byScale, type CostLine, poolSize, rate } from './cost-estimate';
import type { InstancePrice, PriceTable } from './price-table';

/** The hourly price a pool pays per node, or undefined (with a problem) when the table lacks it. */
export function nodeHourlyUsd(table: PriceTable, pool: NodePoolConfig, index: number, problems: ConfigProblem[]): number | undefined {
  const instance: InstancePrice | undefined = table.instances[pool.instanceType];
  if (!instance) {
    problems.push({
      path: `cluster.nodePools[${index}].instanceType`,
      got: JSON.stringify(pool.instanceType),
      expected: `an instance type the ${table.provider} ${table.region} price table knows: ${Object.keys(table.instances).join(', ')}`,
    });
    return undefined;
  }
  if (!pool.spot) return instance.onDemandHourlyUsd;
  if (instance.spotHourlyUsd === undefined) {
    const withSpot = Object.keys(table.instances).filter((t) => table.instances[t].spotHourlyUsd !== undefined);
    problems.push({
      path: `cluster.nodePools[${index}].spot`,
      got: `true (instanceType ${JSON.stringify(pool.instanceType)})`,
      expected: `false, or an instance type with a Spot price in the price table: ${withSpot.join(', ') || 'none'}`,
    });
    return undefined;
  }
  return instance.spotHourlyUsd;
}

/** Node counts at min/desired/max, as `0/1/3`. */
export function sizes(pool: NodePoolConfig): string {
  return `${pool.minSize}/${pool.desiredSize}/${pool.maxSize}`;
}

/** Instance and root-volume lines for every pool. */
export function nodePoolLines(pools: readonly NodePoolConfig[], table: PriceTable, hours: number, problems: ConfigProblem[]): CostLine[] {
  const rootVolume = table.volumes[table.rootVolume];
  if (!rootVolume)
    throw new Error(`price table ${table.provider}-${table.region}: rootVolume ${JSON.stringify(table.rootVolume)} is not in volumes`);
  return pools.flatMap((pool, index): CostLine[] => {
    const hourly = nodeHourlyUsd(table, pool, index, problems);
    if (hourly === undefined) return [];
    return [
      {
        component: 'nodes',
        item: `${pool.name}: ${pool.instanceType} ${pool.spot ? 'Spot' : 'on demand'}`,
        basis: `${sizes(pool)} nodes x ${rate(hourly)}/h`,
        monthlyUsd: byScale((scale) => poolSize(pool, scale) * hourly * hours),
      },
      {
        component: 'disks',
        item: `${pool.name}: root volumes (${table.rootVolume})`,
        basis: `${sizes(pool)} x ${pool.diskSizeGb} GiB x ${rate(rootVolume.perGibMonthUsd)}/GiB-month`,
        monthlyUsd: byScale((scale) => poolSize(pool, scale) * pool.diskSizeGb * rootVolume.perGibMonthUsd),
      },
    ];
  });
}

/** Nodes across all pools at a scale. */
export function totalNodes(pools: readonly NodePoolConfig[], scale: 'min' | 'desired' | 'max'): number {
  return pools.reduce((n, pool) => n + poolSize(pool, scale), 0);
}
