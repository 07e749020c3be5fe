/**
 * The monthly cost of a profile's infrastructure: the config priced against the dated table for
 * its cloud and region, with the assumptions printed and recommendations computed. The homelab
 * profile has no cloud bill. A price the table lacks is a ConfigError naming the config path.
 */
import { buildPlatformCharts } from '../charts/platform-charts';
import { ConfigError, type ConfigProblem } from '../config/config-error';
import type { PlatformConfig } from '../config/platform-config';
import type { KubeObject } from '../synth/validate-manifests';
import { type CostEstimate, DEFAULT_USAGE, HOURS_PER_MONTH, type UsageAssumptions, sumLines } from './cost-estimate';
import { type VolumeClaim, volumeClaims } from './persistent-volumes';
import { priceProfile } from './price-profile';
import { PRICES_DIR, loadPriceTable } from './price-table';
import { recommend } from './recommendations';

export interface CostOptions {
  /** The config's file, named in errors. @default '<config>' */
  readonly configFile?: string;
  /** @default 100 GB through NAT and 100 GB through the edge a month, judged today */
  readonly usage?: Partial<UsageAssumptions>;
  /** @default cost/prices */
  readonly pricesDir?: string;
  /** The persistent volumes. @default - the PersistentVolumeClaims the config's charts synthesize */
  readonly claims?: readonly VolumeClaim[];
}

const CLOUD_NOT_COUNTED = [
  'data transfer out to the internet, and between zones other than to a single NAT gateway',
  'logs and metrics ingestion (control-plane logs, CloudWatch or Cloud Logging and Monitoring)',
  'the container registry (storage and transfer), the encryption key and its requests, snapshots and backups',
  'hosted model APIs the gateway calls (Bedrock, Anthropic, OpenAI), taxes, support plans, and any discounts (Savings Plans, committed use)',
];

const HOMELAB_NOT_COUNTED = [
  "electricity: the nodes' power draw x 730 hours x your tariff (a GPU box at 150 W average is about 110 kWh a month)",
  'the hardware: purchase, depreciation, spares and repairs',
  'your internet connection and any paid Tailscale plan',
];

/**
 * The claims in the objects the config's charts build. Only the objects are needed, so the charts
 * are built without `npm run synth`'s validation gate (seconds of schema compiling).
 */
function synthesizedClaims(config: PlatformConfig): VolumeClaim[] {
  const { charts } = buildPlatformCharts(config);
  return volumeClaims(charts.flatMap(({ chart }) => chart.toJson() as KubeObject[]));
}

export function estimateCost(config: PlatformConfig, options: CostOptions = {}): CostEstimate {
  if (config.profile === 'homelab')
    return {
      kind: 'no-cloud-bill',
      profile: 'homelab',
      message:
        'No cloud bill: the homelab profile runs on your own hardware, and its Terraform stack only installs Helm releases into your existing cluster.',
      notCounted: HOMELAB_NOT_COUNTED,
    };
  const configFile = options.configFile ?? '<config>';
  const usage: UsageAssumptions = { ...DEFAULT_USAGE, date: new Date().toISOString().slice(0, 10), ...options.usage };
  const { table, file } = loadPriceTable(config.profile, config.cluster.region, configFile, options.pricesDir ?? PRICES_DIR);
  const claims = options.claims ?? synthesizedClaims(config);

  const problems: ConfigProblem[] = [];
  const priced = priceProfile(config, table, claims, usage, problems);
  if (problems.length > 0) throw new ConfigError(configFile, problems);
  const totals = sumLines(priced.lines);
  const claimedGib = claims.reduce((n, c) => n + c.gib * c.count, 0);

  return {
    kind: 'cloud',
    profile: config.profile,
    region: config.cluster.region,
    priceTable: { file, asOf: table.asOf },
    usage,
    lines: priced.lines,
    totals,
    assumptions: [
      `${HOURS_PER_MONTH} hours a month: everything runs the whole month, every node pool at the scale of the column (minSize, desiredSize or maxSize).`,
      `Region ${config.cluster.region}; prices from ${file}, list prices in USD as of ${table.asOf}, on demand unless a pool sets spot: true (Spot prices move).`,
      ...priced.assumptions,
      `Persistent volumes: the ${claims.length} PersistentVolumeClaim(s) the platform's charts synthesize, ${claimedGib} GiB, priced by StorageClass (default ${config.storage.storageClass}).`,
    ],
    warnings: priced.warnings,
    notCounted: CLOUD_NOT_COUNTED,
    recommendations: recommend(config, table, claims, usage, totals),
  };
}
