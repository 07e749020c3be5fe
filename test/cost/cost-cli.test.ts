/** `npm run cost`: a table for every example config, JSON on request, clear errors and exit codes. */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { EXAMPLE_CONFIGS, ROOT, tempDir } from '../support/paths';

/** Runs scripts/cost.ts as `npm run cost` does. */
function costCli(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'cost.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' },
  });
}

const MONEY = /\$[\d,]+\.\d{2}/;

describe('npm run cost (the CLI)', () => {
  it.each(['aws', 'gcp'] as const)('prints a table for examples/%s.yaml with totals, assumptions and recommendations', (profile) => {
    const result = costCli(['--config', EXAMPLE_CONFIGS[profile]]);
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const out = result.stdout;
    expect(out).toContain(`Monthly cost of profile ${profile} in ${profile === 'aws' ? 'us-east-1' : 'us-central1'}`);
    expect(out).toMatch(/component\s+item\s+basis\s+at min\s+at desired\s+at max/);
    const total = out.split('\n').find((l) => l.startsWith('total'));
    expect(total?.match(new RegExp(MONEY, 'g'))).toHaveLength(3);
    expect(out).toContain('730 hours a month');
    expect(out).toMatch(/Recommendations:\n {2}1\. Run GPU pool gpu-l4 on Spot capacity: saves \$[\d,]+\.\d{2} a month at desired size\./);
    expect(out).toContain('Not counted:');
  });

  it('prints that the homelab profile has no cloud bill, and exits 0', () => {
    const result = costCli(['--config', EXAMPLE_CONFIGS.homelab]);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('No cloud bill: the homelab profile runs on your own hardware');
    expect(result.stdout).toMatch(/Not counted:\n {2}- electricity/);
  });

  it('writes the estimate as JSON with --json, using --nat-gb and --edge-gb', () => {
    const result = costCli(['--config', EXAMPLE_CONFIGS.aws, '--json', '--nat-gb', '1000', '--edge-gb', '0']);
    expect(result.status).toBe(0);
    const estimate = JSON.parse(result.stdout);
    expect(estimate).toMatchObject({
      kind: 'cloud',
      profile: 'aws',
      region: 'us-east-1',
      usage: { natGbPerMonth: 1000, edgeGbPerMonth: 0 },
    });
    const lineSum = estimate.lines.reduce((n: number, l: { monthlyUsd: { desired: number } }) => n + l.monthlyUsd.desired, 0);
    expect(estimate.totals.desired).toBeCloseTo(lineSum, 9);
    expect(estimate.lines.find((l: { item: string }) => l.item === 'NAT data processing').monthlyUsd.desired).toBeCloseTo(45, 9);
  });

  it('exits 1 on a config problem, printed as path: got X; expected Y, without a stack trace', () => {
    const config = join(tempDir(), 'eu.yaml');
    writeFileSync(config, 'profile: aws\ncluster:\n  region: eu-west-1\n');
    const result = costCli(['--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain(
      `cost estimate failed.\n${config}: 1 problem\n  cluster.region: got "eu-west-1"; expected a region with a price table for aws in cost/prices/: us-east-1`,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on bad options', () => {
    const unknown = costCli(['--confg', 'x.yaml']);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain("Unknown option '--confg'");
    const negative = costCli(['--nat-gb', 'lots']);
    expect(negative.status).toBe(2);
    expect(negative.stderr).toContain('--nat-gb: got "lots"; expected a number of GB a month, 0 or more');
    expect(negative.stderr).toContain('usage: npm run cost');
  });
});
