/**
 * The shape of a cost estimate: lines priced at the three scales of the node pools (every pool at
 * its minSize, desiredSize or maxSize), the totals, what was assumed and what was left out.
 */

/** A month of always-on running, as the clouds' own calculators count it. */
export const HOURS_PER_MONTH = 730;

export const SCALES = ['min', 'desired', 'max'] as const;
export type Scale = (typeof SCALES)[number];

/** A monthly amount in USD at each scale. */
export type Scaled = Readonly<Record<Scale, number>>;

export interface CostLine {
  readonly component: 'control plane' | 'nodes' | 'disks' | 'nat' | 'load balancer';
  /** What is priced, e.g. `gpu-l4: g6.xlarge on demand`. */
  readonly item: string;
  /** How, e.g. `0/1/3 nodes x $0.8048/h`. */
  readonly basis: string;
  readonly monthlyUsd: Scaled;
}

/** What a profile's estimator returns: its lines, and the assumptions and warnings behind them. */
export interface ProfileEstimate {
  readonly lines: CostLine[];
  readonly assumptions: string[];
  readonly warnings: string[];
}

/** What the estimate takes as given beyond the config. */
export interface UsageAssumptions {
  /** GB a month through the NAT gateway(s): image pulls, calls to hosted model APIs. */
  readonly natGbPerMonth: number;
  /** GB a month through the edge load balancer: requests and responses of the platform's users. */
  readonly edgeGbPerMonth: number;
  /** The day (YYYY-MM-DD) the control plane's support status (EKS standard or extended) is judged on. */
  readonly date: string;
}

export const DEFAULT_USAGE: Omit<UsageAssumptions, 'date'> = { natGbPerMonth: 100, edgeGbPerMonth: 100 };

export interface Recommendation {
  readonly id: 'spot' | 'scale-to-zero' | 'smaller-instance' | 'single-nat' | 'standard-support';
  readonly title: string;
  /** The config change, as `path: value`. */
  readonly change: string;
  /** The trade-off, in one or two sentences. */
  readonly tradeOff: string;
  /** The scale the saving is measured at. */
  readonly scale: Scale;
  /** Estimate before minus estimate after the change, at `scale`. */
  readonly monthlySavingUsd: number;
}

export interface CloudCostEstimate {
  readonly kind: 'cloud';
  readonly profile: 'aws' | 'gcp';
  readonly region: string;
  readonly priceTable: { readonly file: string; readonly asOf: string };
  readonly usage: UsageAssumptions;
  readonly lines: readonly CostLine[];
  readonly totals: Scaled;
  /** Every assumption behind the numbers, one sentence each. */
  readonly assumptions: readonly string[];
  /** Things worth knowing now, e.g. a Kubernetes version about to leave standard support. */
  readonly warnings: readonly string[];
  readonly notCounted: readonly string[];
  readonly recommendations: readonly Recommendation[];
}

export interface NoCloudBill {
  readonly kind: 'no-cloud-bill';
  readonly profile: 'homelab';
  readonly message: string;
  readonly notCounted: readonly string[];
}

export type CostEstimate = CloudCostEstimate | NoCloudBill;

/** A unit price as written in the table, with at least two decimals: `$0.10`, `$0.8048`. */
export function rate(usdAmount: number): string {
  const text = String(usdAmount);
  const decimals = text.includes('.') ? text.split('.')[1].length : 0;
  return `$${usdAmount.toFixed(Math.max(2, decimals))}`;
}

/** The same amount at every scale. */
export function fixed(monthlyUsd: number): Scaled {
  return { min: monthlyUsd, desired: monthlyUsd, max: monthlyUsd };
}

/** Data processed: `gb` a month at `perGbUsd` (AWS bills per GB, Google Cloud per GiB). */
export function dataLine(component: CostLine['component'], item: string, gb: number, perGbUsd: number, unit: 'GB' | 'GiB'): CostLine {
  return { component, item, basis: `${gb} ${unit} x ${rate(perGbUsd)}/${unit}`, monthlyUsd: fixed(gb * perGbUsd) };
}

/** An amount that depends on the scale, e.g. per node. */
export function byScale(amount: (scale: Scale) => number): Scaled {
  return { min: amount('min'), desired: amount('desired'), max: amount('max') };
}

export function sumLines(lines: readonly CostLine[]): Scaled {
  return byScale((scale) => lines.reduce((total, line) => total + line.monthlyUsd[scale], 0));
}

/** Node pool sizes by scale. */
export function poolSize(pool: { minSize: number; desiredSize: number; maxSize: number }, scale: Scale): number {
  return scale === 'min' ? pool.minSize : scale === 'desired' ? pool.desiredSize : pool.maxSize;
}
