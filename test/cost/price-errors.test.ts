/**
 * A price the table lacks is never a silent 0: the estimate fails with a ConfigError naming the
 * config file, the path, the value and what the table knows. A broken table fails the same way.
 */
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/config-error';
import { estimateCost } from '../../cost/estimate-cost';
import { PRICES_DIR } from '../../cost/price-table';
import { tempDir } from '../support/paths';
import { DAY, awsExample, awsExampleOnVersion, gcpExample } from './cost-configs';

const usage = { date: DAY };

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error('expected a ConfigError');
}

/** A prices directory holding a copy of the aws table, changed by `edit`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
function editedAwsTable(edit: (table: Record<string, any>) => void): string {
  const dir = tempDir('switchyard-prices-');
  const table = JSON.parse(readFileSync(join(PRICES_DIR, 'aws-us-east-1.json'), 'utf8'));
  edit(table);
  writeFileSync(join(dir, 'aws-us-east-1.json'), JSON.stringify(table));
  copyFileSync(join(PRICES_DIR, 'gcp-us-central1.json'), join(dir, 'gcp-us-central1.json'));
  return dir;
}

describe('prices the table does not have', () => {
  it('fails on an instance type missing from the table, listing the types it knows', () => {
    const config = awsExample((raw) => (raw.cluster.nodePools[1].instanceType = 'g4dn.xlarge'));
    const error = failure(() => estimateCost(config, { configFile: 'examples/aws.yaml', usage, claims: [] }));
    expect(error.file).toBe('examples/aws.yaml');
    expect(error.message).toBe(
      'examples/aws.yaml: 1 problem\n' +
        '  cluster.nodePools[1].instanceType: got "g4dn.xlarge"; expected an instance type the aws us-east-1 price table knows: ' +
        'm6i.large, m6i.xlarge, g5.xlarge, g6.xlarge, g6.2xlarge, g6e.2xlarge',
    );
  });

  it('fails on a region without a price table, listing the regions that have one', () => {
    const config = gcpExample((raw) => (raw.cluster.region = 'europe-west4'));
    const error = failure(() => estimateCost(config, { configFile: 'gcp.yaml', usage, claims: [] }));
    expect(error.problems).toEqual([
      { path: 'cluster.region', got: '"europe-west4"', expected: 'a region with a price table for gcp in cost/prices/: us-central1' },
    ]);
  });

  it('fails on a StorageClass the table cannot price', () => {
    const config = awsExample((raw) => (raw.storage.storageClass = 'fast-nvme'));
    const claims = [{ owner: 'ai-data/qdrant', gib: 20, count: 1 }];
    const error = failure(() => estimateCost(config, { configFile: 'aws.yaml', usage, claims }));
    expect(error.problems).toEqual([
      { path: 'storage.storageClass', got: '"fast-nvme"', expected: 'a StorageClass the aws us-east-1 price table prices: gp3, gp2' },
    ]);
  });

  it('fails on a Spot pool whose instance type has no Spot price', () => {
    const pricesDir = editedAwsTable((t) => delete t.instances['g6.xlarge'].spotHourlyUsd);
    const config = awsExample((raw) => (raw.cluster.nodePools[1].spot = true));
    const error = failure(() => estimateCost(config, { configFile: 'aws.yaml', usage, claims: [], pricesDir }));
    expect(error.problems).toEqual([
      {
        path: 'cluster.nodePools[1].spot',
        got: 'true (instanceType "g6.xlarge")',
        expected:
          'false, or an instance type with a Spot price in the price table: m6i.large, m6i.xlarge, g5.xlarge, g6.2xlarge, g6e.2xlarge',
      },
    ]);
  });

  it('fails on a Kubernetes version missing from the EKS support calendar', () => {
    const error = failure(() => estimateCost(awsExampleOnVersion('1.31'), { configFile: 'aws.yaml', usage, claims: [] }));
    expect(error.problems).toEqual([
      {
        path: 'cluster.kubernetesVersion',
        got: '"1.31"',
        expected: 'a version in the EKS support calendar (config/eks-support-calendar.ts): 1.32, 1.33, 1.34, 1.35',
      },
    ]);
  });

  it('reports every missing price at once', () => {
    const config = awsExample((raw) => {
      raw.cluster.nodePools[0].instanceType = 'c7i.large';
      raw.cluster.nodePools[1].instanceType = 'p5.48xlarge';
    });
    const error = failure(() => estimateCost(config, { usage, claims: [] }));
    expect(error.problems.map((p) => p.path)).toEqual(['cluster.nodePools[0].instanceType', 'cluster.nodePools[1].instanceType']);
    expect(error.file).toBe('<config>');
  });

  it('refuses a broken table, naming the table file and the field', () => {
    const pricesDir = editedAwsTable((t) => (t.instances['g6.xlarge'].onDemandHourlyUsd = '0.80'));
    const error = failure(() => estimateCost(awsExample(), { usage, claims: [], pricesDir }));
    expect(error.file).toMatch(/aws-us-east-1\.json$/);
    expect(error.problems).toEqual([{ path: 'instances.g6.xlarge.onDemandHourlyUsd', got: '"0.80"', expected: 'a value of type number' }]);
  });
});
