/**
 * Recommendations: each appears when its change saves money, and its saving equals the estimate of
 * the config before minus the estimate of the config with the change, which also equals the price
 * difference taken from the table.
 */
import type { CloudCostEstimate, Recommendation } from '../../cost/cost-estimate';
import { estimateCost } from '../../cost/estimate-cost';
import { DAY, H, awsExample, awsExampleOnVersion, gcpExample, rawTable } from './cost-configs';

const usage = { date: DAY, natGbPerMonth: 100, edgeGbPerMonth: 100 };
const aws = rawTable('aws-us-east-1');
const gcp = rawTable('gcp-us-central1');

function estimate(config: Parameters<typeof estimateCost>[0], overrides: Partial<typeof usage> = {}): CloudCostEstimate {
  const result = estimateCost(config, { usage: { ...usage, ...overrides }, claims: [] });
  if (result.kind !== 'cloud') throw new Error('expected a cloud estimate');
  return result;
}

function find(e: CloudCostEstimate, id: Recommendation['id']): Recommendation {
  const found = e.recommendations.find((r) => r.id === id);
  if (!found) throw new Error(`no ${id} recommendation: ${e.recommendations.map((r) => r.id).join(', ') || 'none'}`);
  return found;
}

describe('recommendations', () => {
  it('Spot for a GPU pool: saves the on-demand minus Spot price of the desired nodes', () => {
    const before = estimate(awsExample());
    const spot = find(before, 'spot');
    const after = estimate(awsExample((raw) => (raw.cluster.nodePools[1].spot = true)));
    expect(spot).toMatchObject({
      change: 'cluster.nodePools[1].spot: true',
      scale: 'desired',
      title: 'Run GPU pool gpu-l4 on Spot capacity',
    });
    expect(spot.monthlySavingUsd).toBeCloseTo(before.totals.desired - after.totals.desired, 9);
    expect(spot.monthlySavingUsd).toBeCloseTo(
      (aws.instances['g6.xlarge'].onDemandHourlyUsd - aws.instances['g6.xlarge'].spotHourlyUsd) * H,
      9,
    );
    expect(after.recommendations.some((r) => r.id === 'spot')).toBe(false);
  });

  it('Spot is never proposed for the CPU system pool', () => {
    expect(estimate(awsExample()).recommendations.filter((r) => r.change.startsWith('cluster.nodePools[0]'))).toEqual([]);
  });

  it('scale to zero when a GPU pool keeps nodes: saves the idle nodes and their disks at min', () => {
    const config = awsExample((raw) => (raw.cluster.nodePools[1].minSize = 1));
    const before = estimate(config);
    const rec = find(before, 'scale-to-zero');
    const after = estimate(awsExample((raw) => (raw.cluster.nodePools[1].minSize = 0)));
    expect(rec).toMatchObject({ change: 'cluster.nodePools[1].minSize: 0', scale: 'min' });
    expect(rec.monthlySavingUsd).toBeCloseTo(before.totals.min - after.totals.min, 9);
    expect(rec.monthlySavingUsd).toBeCloseTo(aws.instances['g6.xlarge'].onDemandHourlyUsd * H + 200 * aws.volumes.gp3.perGibMonthUsd, 9);
    expect(estimate(awsExample()).recommendations.some((r) => r.id === 'scale-to-zero')).toBe(false);
  });

  it('a smaller instance with the same GPUs: g2-standard-8 -> g2-standard-4 on the gcp example', () => {
    const before = estimate(gcpExample());
    const rec = find(before, 'smaller-instance');
    const after = estimate(gcpExample((raw) => (raw.cluster.nodePools[1].instanceType = 'g2-standard-4')));
    expect(rec.change).toBe('cluster.nodePools[1].instanceType: g2-standard-4');
    expect(rec.tradeOff).toContain('Same 1 x NVIDIA L4, with 4 vCPUs and 16 GiB instead of 8 and 32');
    expect(rec.monthlySavingUsd).toBeCloseTo(before.totals.desired - after.totals.desired, 9);
    expect(rec.monthlySavingUsd).toBeCloseTo(
      (gcp.instances['g2-standard-8'].onDemandHourlyUsd - gcp.instances['g2-standard-4'].onDemandHourlyUsd) * H,
      9,
    );
  });

  it('the next step down, not the cheapest: g2-standard-16 -> g2-standard-12, never to a 2-GPU type', () => {
    const rec = find(estimate(gcpExample((raw) => (raw.cluster.nodePools[1].instanceType = 'g2-standard-16'))), 'smaller-instance');
    expect(rec.change).toBe('cluster.nodePools[1].instanceType: g2-standard-12');
  });

  it('no smaller instance when the pool already uses the cheapest of its family (g6.xlarge on demand)', () => {
    expect(estimate(awsExample()).recommendations.some((r) => r.id === 'smaller-instance')).toBe(false);
  });

  it('one NAT instead of one per zone: saves two gateways and their IPs, less the cross-zone transfer', () => {
    const before = estimate(awsExample());
    const rec = find(before, 'single-nat');
    const after = estimate(awsExample((raw) => (raw.cluster.natGateways = 'single')));
    expect(rec.change).toBe('cluster.natGateways: single');
    expect(rec.monthlySavingUsd).toBeCloseTo(before.totals.desired - after.totals.desired, 9);
    expect(rec.monthlySavingUsd).toBeCloseTo(
      2 * (aws.nat.hourlyUsd + aws.publicIpv4.hourlyUsd) * H - ((100 * 2) / 3) * aws.crossZoneTransfer.perGbUsd,
      9,
    );
  });

  it('no single NAT when the cross-zone transfer would cost more than the gateways saved', () => {
    const heavy = estimate(awsExample(), { natGbPerMonth: 10_000 });
    expect(heavy.recommendations.some((r) => r.id === 'single-nat')).toBe(false);
  });

  it('an upgrade back to standard support once the version is in extended support', () => {
    // 1.34 enters extended support on 2026-12-02; 1.35 is the nearest version still in standard support.
    const later = estimate(awsExampleOnVersion('1.34'), { date: '2026-12-02' });
    const rec = find(later, 'standard-support');
    expect(rec).toMatchObject({
      change: 'cluster.kubernetesVersion: "1.35"',
      title: 'Upgrade Kubernetes to 1.35 (standard support until 2027-03-27)',
    });
    expect(rec.monthlySavingUsd).toBeCloseTo((aws.controlPlane.extendedSupportHourlyUsd - aws.controlPlane.hourlyUsd) * H, 9);
  });

  it('no upgrade while the version is in standard support, nor when the calendar has no version in it that day', () => {
    expect(estimate(awsExample()).recommendations.some((r) => r.id === 'standard-support')).toBe(false);
    expect(estimate(awsExample(), { date: '2027-03-27' }).recommendations.some((r) => r.id === 'standard-support')).toBe(false);
  });

  it('lists recommendations by saving, largest first', () => {
    const savings = estimate(awsExample()).recommendations.map((r) => r.monthlySavingUsd);
    expect(savings.length).toBeGreaterThanOrEqual(2);
    expect([...savings].sort((a, b) => b - a)).toEqual(savings);
  });
});
