/** Prices one cloud config against its table: the profile's estimator, chosen by the config. */
import type { ConfigProblem } from '../config/config-error';
import type { AwsPlatformConfig, GcpPlatformConfig } from '../config/platform-config';
import { HOURS_PER_MONTH, type ProfileEstimate, type UsageAssumptions } from './cost-estimate';
import { estimateAws } from './estimate-aws';
import { estimateGcp } from './estimate-gcp';
import type { VolumeClaim } from './persistent-volumes';
import type { PriceTable } from './price-table';

export type CloudConfig = AwsPlatformConfig | GcpPlatformConfig;

/** Lines, assumptions and warnings; problems (prices the table lacks) are appended to `problems`. */
export function priceProfile(
  config: CloudConfig,
  table: PriceTable,
  claims: readonly VolumeClaim[],
  usage: UsageAssumptions,
  problems: ConfigProblem[],
): ProfileEstimate {
  if (config.profile === 'aws' && table.provider === 'aws') return estimateAws(config, table, claims, usage, HOURS_PER_MONTH, problems);
  if (config.profile === 'gcp' && table.provider === 'gcp') return estimateGcp(config, table, claims, usage, HOURS_PER_MONTH, problems);
  throw new Error(`a ${table.provider} price table cannot price a ${config.profile} config`);
}
