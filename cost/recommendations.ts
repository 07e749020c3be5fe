/**
 * Concrete ways to spend less, each one a config change. Every saving is computed, never canned:
 * the changed config is priced against the same table and usage, and the saving is the estimate
 * before minus the estimate after, at the scale the change matters at. Changes that save nothing
 * (or that the table cannot price) are left out.
 */
import type { ConfigProblem } from '../config/config-error';
import { EKS_SUPPORT_CALENDAR, inStandardSupport } from '../config/eks-support-calendar';
import type { NodePoolConfig } from '../config/node-pools';
import { type Recommendation, type Scale, type Scaled, type UsageAssumptions, sumLines } from './cost-estimate';
import type { VolumeClaim } from './persistent-volumes';
import { type CloudConfig, priceProfile } from './price-profile';
import type { InstancePrice, PriceTable } from './price-table';

type Candidate = Omit<Recommendation, 'monthlySavingUsd'> & { readonly config: CloudConfig };

/** The config with pool `index` changed. */
function withPool(config: CloudConfig, index: number, patch: Partial<NodePoolConfig>): CloudConfig {
  const next = structuredClone(config);
  next.cluster.nodePools[index] = { ...next.cluster.nodePools[index], ...patch };
  return next;
}

/** Instance family, the way the config's GPU-family rule reads it: `g6` of g6.xlarge, `g2` of g2-standard-8. */
export function instanceFamily(provider: PriceTable['provider'], instanceType: string): string {
  return provider === 'aws' ? instanceType.split('.')[0] : instanceType.split('-')[0];
}

/**
 * The next cheaper instance type in the same family with the same GPUs (model and count), priced
 * the way the pool buys (on demand or Spot): the smallest step down in price, not the cheapest
 * extreme, so the change stays small. At Spot prices that can be a larger size.
 */
export function cheaperSibling(table: PriceTable, pool: NodePoolConfig): { type: string; instance: InstancePrice } | undefined {
  const current = table.instances[pool.instanceType];
  const price = (i: InstancePrice) => (pool.spot ? i.spotHourlyUsd : i.onDemandHourlyUsd);
  const own = current && price(current);
  if (!current?.gpu || own === undefined) return undefined;
  const family = instanceFamily(table.provider, pool.instanceType);
  return Object.entries(table.instances)
    .filter(([type]) => type !== pool.instanceType && instanceFamily(table.provider, type) === family)
    .filter(([, i]) => i.gpu?.model === current.gpu?.model && i.gpu?.count === current.gpu?.count)
    .filter(([, i]) => price(i) !== undefined && (price(i) as number) < own)
    .sort(([, a], [, b]) => (price(b) as number) - (price(a) as number))
    .map(([type, instance]) => ({ type, instance }))[0];
}

function gpuPoolCandidates(config: CloudConfig, table: PriceTable): Candidate[] {
  const reclaim = config.profile === 'aws' ? 'with a two-minute notice' : 'with 30 seconds of notice';
  return config.cluster.nodePools.flatMap((pool, i): Candidate[] => {
    if (!pool.gpu) return [];
    const at = `cluster.nodePools[${i}]`;
    const scale: Scale = pool.desiredSize > 0 ? 'desired' : 'max';
    const found: Candidate[] = [];
    if (!pool.spot)
      found.push({
        id: 'spot',
        title: `Run GPU pool ${pool.name} on Spot capacity`,
        change: `${at}.spot: true`,
        tradeOff: `Spot nodes can be reclaimed ${reclaim}: run two model-server replicas or accept a cold start while the model reloads.`,
        scale,
        config: withPool(config, i, { spot: true }),
      });
    if (pool.minSize > 0)
      found.push({
        id: 'scale-to-zero',
        title: `Let GPU pool ${pool.name} scale to zero when idle`,
        change: `${at}.minSize: 0`,
        tradeOff: 'The first request after an idle spell waits for a GPU node to start and the model to load (minutes).',
        scale: 'min',
        config: withPool(config, i, { minSize: 0 }),
      });
    const sibling = cheaperSibling(table, pool);
    const current = table.instances[pool.instanceType];
    if (sibling && current)
      found.push({
        id: 'smaller-instance',
        title: `Use ${sibling.type} for GPU pool ${pool.name}`,
        change: `${at}.instanceType: ${sibling.type}`,
        tradeOff:
          sibling.instance.vcpus < current.vcpus
            ? `Same ${sibling.instance.gpu?.count} x ${sibling.instance.gpu?.model}, with ${sibling.instance.vcpus} vCPUs and ${sibling.instance.memoryGib} GiB instead of ${current.vcpus} and ${current.memoryGib}: enough when the model server's requests fit.`
            : `Same ${sibling.instance.gpu?.count} x ${sibling.instance.gpu?.model} and more vCPUs and memory for less at the table's Spot prices, which move: check them before switching.`,
        scale,
        config: withPool(config, i, { instanceType: sibling.type }),
      });
    return found;
  });
}

function natCandidates(config: CloudConfig): Candidate[] {
  if (config.profile !== 'aws' || config.cluster.natGateways !== 'per-zone' || config.cluster.availabilityZones < 2) return [];
  const next = structuredClone(config);
  next.cluster.natGateways = 'single';
  return [
    {
      id: 'single-nat',
      title: 'Use one NAT gateway instead of one per zone',
      change: 'cluster.natGateways: single',
      tradeOff:
        "Outbound traffic from every zone then depends on one zone's NAT gateway; the cross-zone transfer it adds is already taken off the saving.",
      scale: 'desired',
      config: next,
    },
  ];
}

function supportCandidates(config: CloudConfig, usage: UsageAssumptions): Candidate[] {
  const calendar = EKS_SUPPORT_CALENDAR.standardSupportEnds;
  const version = config.profile === 'aws' ? config.cluster.kubernetesVersion : undefined;
  if (version === undefined || !calendar[version] || inStandardSupport(version, usage.date)) return [];
  // The nearest upgrade: the version in standard support on that day whose support ends first.
  const target = Object.entries(calendar)
    .filter(([candidate]) => inStandardSupport(candidate, usage.date))
    .sort(([, a], [, b]) => a.localeCompare(b))[0];
  if (!target) return [];
  const next = structuredClone(config);
  next.cluster.kubernetesVersion = target[0];
  return [
    {
      id: 'standard-support',
      title: `Upgrade Kubernetes to ${target[0]} (standard support until ${target[1]})`,
      change: `cluster.kubernetesVersion: "${target[0]}"`,
      tradeOff: 'An upgrade to plan and test: EKS moves one minor version at a time, and add-ons must follow.',
      scale: 'desired',
      config: next,
    },
  ];
}

export function recommend(
  config: CloudConfig,
  table: PriceTable,
  claims: readonly VolumeClaim[],
  usage: UsageAssumptions,
  before: Scaled,
): Recommendation[] {
  const candidates = [...gpuPoolCandidates(config, table), ...natCandidates(config), ...supportCandidates(config, usage)];
  return candidates
    .flatMap(({ config: changed, ...rest }): Recommendation[] => {
      const problems: ConfigProblem[] = [];
      const after = sumLines(priceProfile(changed, table, claims, usage, problems).lines);
      const saving = before[rest.scale] - after[rest.scale];
      return problems.length === 0 && saving >= 0.005 ? [{ ...rest, monthlySavingUsd: saving }] : [];
    })
    .sort((a, b) => b.monthlySavingUsd - a.monthlySavingUsd);
}
