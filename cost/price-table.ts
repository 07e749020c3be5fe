/**
 * The dated price tables in cost/prices/<provider>-<region>.json: list prices per hour or per
 * GiB-month, each entry with the page it was read from and the date. Tables are validated when
 * loaded, so a hand edit that breaks one fails loudly instead of pricing something at 0.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { z } from 'zod';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import { problemsFromIssues } from '../config/load-config';

export const PRICES_DIR = resolve(__dirname, 'prices');

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'a date such as 2026-11-23' });
const usd = z.number().nonnegative();
const dated = { source: z.string().min(1), asOf: isoDate };

const instanceSchema = z.strictObject({
  vcpus: z.number().positive(),
  memoryGib: z.number().positive(),
  /** GPUs built into the instance type (AWS G/P types, GCP G2/A2/A3). */
  gpu: z.strictObject({ model: z.string().min(1), count: z.number().int().min(1) }).optional(),
  onDemandHourlyUsd: usd,
  /** Absent when the table has no Spot price for the type: a Spot pool of it then fails to price. */
  spotHourlyUsd: usd.optional(),
  note: z.string().optional(),
  ...dated,
});

const common = {
  region: z.string().min(1),
  currency: z.literal('USD'),
  asOf: isoDate,
  notes: z.array(z.string()),
  controlPlane: z.strictObject({
    name: z.string().min(1),
    hourlyUsd: usd,
    /**
     * EKS: the price per hour once a version leaves standard support. When that happens comes from
     * the release calendar in config/eks-support-calendar.ts (one calendar for every region).
     */
    extendedSupportHourlyUsd: usd.optional(),
    ...dated,
  }),
  instances: z.record(z.string(), instanceSchema),
  volumes: z.record(z.string(), z.strictObject({ perGibMonthUsd: usd, ...dated })),
  /** The volume type node root disks get. */
  rootVolume: z.string().min(1),
  /** StorageClass name -> volume type, for pricing PersistentVolumeClaims. */
  storageClasses: z.record(z.string(), z.string()),
  publicIpv4: z.strictObject({ hourlyUsd: usd, ...dated }),
  loadBalancer: z.strictObject({ name: z.string().min(1), hourlyUsd: usd, perGbProcessedUsd: usd, ...dated }),
};

export const priceTableSchema = z.discriminatedUnion('provider', [
  z.strictObject({
    provider: z.literal('aws'),
    ...common,
    nat: z.strictObject({ hourlyUsd: usd, perGbProcessedUsd: usd, ...dated }),
    crossZoneTransfer: z.strictObject({ perGbUsd: usd, ...dated }),
  }),
  z.strictObject({
    provider: z.literal('gcp'),
    ...common,
    nat: z.strictObject({
      perVmHourlyUsd: usd,
      vmsAtPerVmRate: z.number().int().min(1),
      hourlyUsdAboveThat: usd,
      perGbProcessedUsd: usd,
      ...dated,
    }),
  }),
]);

export type PriceTable = z.infer<typeof priceTableSchema>;
export type AwsPriceTable = Extract<PriceTable, { provider: 'aws' }>;
export type GcpPriceTable = Extract<PriceTable, { provider: 'gcp' }>;
export type InstancePrice = z.infer<typeof instanceSchema>;

/** A loaded table and the file it came from (relative to the project root, for printing). */
export interface LoadedPriceTable<T extends PriceTable = PriceTable> {
  readonly table: T;
  readonly file: string;
}

/** Every table file in `dir` as `{ provider, region }`, read from the file names. */
export function availableTables(dir = PRICES_DIR): { provider: string; region: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => {
      const [provider, ...region] = f.replace(/\.json$/, '').split('-');
      return { provider, region: region.join('-') };
    });
}

/**
 * Loads the table for a provider's region. A region without a table is a problem at
 * `cluster.region` in `configFile`, listing the regions that have one.
 */
export function loadPriceTable<P extends PriceTable['provider']>(
  provider: P,
  region: string,
  configFile: string,
  dir = PRICES_DIR,
): LoadedPriceTable<Extract<PriceTable, { provider: P }>> {
  const path = join(dir, `${provider}-${region}.json`);
  const shown = relative(resolve(__dirname, '..'), path);
  if (!existsSync(path)) {
    const known = availableTables(dir)
      .filter((t) => t.provider === provider)
      .map((t) => t.region);
    const problem: ConfigProblem = {
      path: 'cluster.region',
      got: JSON.stringify(region),
      expected: `a region with a price table for ${provider} in ${relative(resolve(__dirname, '..'), dir)}/: ${known.join(', ') || 'none yet'}`,
    };
    throw new ConfigError(configFile, [problem]);
  }
  const raw: unknown = JSON.parse(readFileSync(path, 'utf8'));
  const result = priceTableSchema.safeParse(raw);
  if (!result.success) throw new ConfigError(shown, problemsFromIssues(result.error.issues, raw, priceTableSchema));
  const table = result.data;
  if (table.provider !== provider || table.region !== region)
    throw new ConfigError(shown, [
      { path: 'provider, region', got: `${table.provider}, ${table.region}`, expected: `${provider}, ${region} (as the file name says)` },
    ]);
  return { table: table as Extract<PriceTable, { provider: P }>, file: shown };
}
