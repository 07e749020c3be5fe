/**
 * npm run cost [-- --config <file>] [--json] [--nat-gb <GB>] [--edge-gb <GB>]
 * Prints the monthly cost of the config's infrastructure from the dated price tables in
 * cost/prices/, with its assumptions and computed recommendations. Exit 0 on success (the homelab
 * profile included), 1 on a bad config or a price the table lacks, 2 on bad command-line options.
 */
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error';
import { CONFIG_ENV, DEFAULT_CONFIG_FILE, loadPlatformConfig } from '../config/load-config';
import { estimateCost } from '../cost/estimate-cost';
import { renderCostTable } from '../cost/render-cost-table';
import { ManifestValidationError } from '../synth/manifest-problem';

const USAGE =
  'usage: npm run cost [-- --config <file>] [--json] [--nat-gb <GB a month>] [--edge-gb <GB a month>]   (default config: $SWITCHYARD_CONFIG or platform.yaml)';

class UsageError extends Error {}

function gigabytes(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0)
    throw new UsageError(`--${flag}: got ${JSON.stringify(value)}; expected a number of GB a month, 0 or more`);
  return n;
}

function main(): number {
  let options: { config?: string; json: boolean; natGb?: number; edgeGb?: number };
  try {
    const { values } = parseArgs({
      options: {
        config: { type: 'string', short: 'c' },
        json: { type: 'boolean', default: false },
        'nat-gb': { type: 'string' },
        'edge-gb': { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    });
    options = {
      config: values.config,
      json: values.json ?? false,
      natGb: gigabytes('nat-gb', values['nat-gb']),
      edgeGb: gigabytes('edge-gb', values['edge-gb']),
    };
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    return 2;
  }
  const configFile = options.config ?? process.env[CONFIG_ENV] ?? DEFAULT_CONFIG_FILE;
  try {
    const config = loadPlatformConfig(configFile);
    const estimate = estimateCost(config, {
      configFile,
      usage: {
        ...(options.natGb !== undefined && { natGbPerMonth: options.natGb }),
        ...(options.edgeGb !== undefined && { edgeGbPerMonth: options.edgeGb }),
      },
    });
    process.stdout.write(options.json ? `${JSON.stringify(estimate, null, 2)}\n` : renderCostTable(estimate, configFile));
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ManifestValidationError) {
      console.error(`cost estimate failed.\n${error.message}`);
      return 1;
    }
    throw error;
  }
}

process.exitCode = main();
