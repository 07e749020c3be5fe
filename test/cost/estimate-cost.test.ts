/**
 * The estimates of the example configs, recomputed here straight from the price-table JSON and the
 * config values: every line and every total, at min, desired and max.
 */
import { loadPlatformConfig } from '../../config/load-config';
import type { CloudCostEstimate, Scale } from '../../cost/cost-estimate';
import { estimateCost } from '../../cost/estimate-cost';
import type { VolumeClaim } from '../../cost/persistent-volumes';
import { EXAMPLE_CONFIGS } from '../support/paths';
import { DAY, H, awsExample, gcpExample, rawTable } from './cost-configs';

const SCALES: Scale[] = ['min', 'desired', 'max'];
const PROMETHEUS: VolumeClaim[] = [{ owner: 'ai-observability/prometheus', gib: 50, count: 1 }];
const usage = { date: DAY, natGbPerMonth: 100, edgeGbPerMonth: 100 };

function cloud(estimate: ReturnType<typeof estimateCost>): CloudCostEstimate {
  if (estimate.kind !== 'cloud') throw new Error(`expected a cloud estimate, got ${estimate.kind}`);
  return estimate;
}

function line(estimate: CloudCostEstimate, item: string) {
  const found = estimate.lines.find((l) => l.item === item);
  if (!found) throw new Error(`no line ${item}: ${estimate.lines.map((l) => l.item).join(', ')}`);
  return found.monthlyUsd;
}

describe('cost estimate of examples/aws.yaml', () => {
  const t = rawTable('aws-us-east-1');
  const config = awsExample();
  const estimate = cloud(estimateCost(config, { usage, claims: PROMETHEUS }));
  // system 2/2/4 x m6i.large with 100 GiB, gpu-l4 0/1/3 x g6.xlarge with 200 GiB, 3 zones, a NAT per zone
  const nodes = { system: { min: 2, desired: 2, max: 4 }, gpu: { min: 0, desired: 1, max: 3 } };
  const ip = t.publicIpv4.hourlyUsd;

  it.each(SCALES)('totals at %s equal the sum recomputed from the table', (scale) => {
    const expected =
      t.controlPlane.hourlyUsd * H +
      nodes.system[scale] * (t.instances['m6i.large'].onDemandHourlyUsd * H + 100 * t.volumes.gp3.perGibMonthUsd) +
      nodes.gpu[scale] * (t.instances['g6.xlarge'].onDemandHourlyUsd * H + 200 * t.volumes.gp3.perGibMonthUsd) +
      50 * t.volumes.gp3.perGibMonthUsd +
      3 * (t.nat.hourlyUsd + ip) * H +
      100 * t.nat.perGbProcessedUsd +
      (t.loadBalancer.hourlyUsd + 3 * ip) * H +
      100 * t.loadBalancer.perGbProcessedUsd;
    expect(estimate.totals[scale]).toBeCloseTo(expected, 9);
  });

  it('prices each line from its table entry', () => {
    expect(line(estimate, 'EKS cluster 1.35').desired).toBeCloseTo(0.1 * H, 9);
    expect(line(estimate, 'gpu-l4: g6.xlarge on demand')).toEqual({ min: 0, desired: 0.8048 * H, max: 3 * 0.8048 * H });
    expect(line(estimate, 'gpu-l4: root volumes (gp3)')).toEqual({ min: 0, desired: 200 * 0.08, max: 600 * 0.08 });
    expect(line(estimate, 'NAT gateways (per-zone)').max).toBeCloseTo(3 * (0.045 + 0.005) * H, 9);
    expect(line(estimate, 'persistent volumes (gp3)').max).toBeCloseTo(50 * 0.08, 9);
    expect(estimate.lines.some((l) => l.item === 'cross-zone traffic to the single NAT')).toBe(false);
  });

  it('states its assumptions: hours, region, table date, NAT and edge volumes', () => {
    const text = estimate.assumptions.join('\n');
    expect(text).toContain('730 hours a month');
    expect(text).toContain('Region us-east-1; prices from cost/prices/aws-us-east-1.json, list prices in USD as of 2026-11-23');
    expect(text).toContain('NAT: 100 GB a month');
    expect(text).toContain('Edge: one internet-facing Network Load Balancer');
    expect(estimate.priceTable).toEqual({ file: 'cost/prices/aws-us-east-1.json', asOf: t.asOf });
  });

  it('warns when the Kubernetes version leaves standard support within 60 days, not before', () => {
    expect(estimate.warnings).toEqual([]);
    const soon = cloud(estimateCost(config, { usage: { ...usage, date: '2027-02-01' }, claims: [] }));
    expect(soon.warnings).toEqual([
      'Kubernetes 1.35 leaves EKS standard support on 2027-03-27 (in 54 days): from then the control plane costs $0.60/h instead of $0.10/h.',
    ]);
  });

  it('prices the control plane at extended support from the end date of standard support on (AWS bills it from that day)', () => {
    const at = (date: string) => cloud(estimateCost(config, { usage: { ...usage, date }, claims: [] }));
    const lastStandardDay = at('2027-03-26');
    expect(line(lastStandardDay, 'EKS cluster 1.35').desired).toBeCloseTo(t.controlPlane.hourlyUsd * H, 9);
    expect(lastStandardDay.lines[0].basis).toBe('standard support until 2027-03-27, $0.10/h');
    const endDay = at('2027-03-27');
    expect(line(endDay, 'EKS cluster 1.35').desired).toBeCloseTo(t.controlPlane.extendedSupportHourlyUsd * H, 9);
    expect(endDay.lines[0].basis).toBe('extended support since 2027-03-27, $0.60/h');
  });

  it('adds the cross-zone transfer of a single NAT gateway', () => {
    const single = cloud(
      estimateCost(
        awsExample((raw) => (raw.cluster.natGateways = 'single')),
        { usage, claims: [] },
      ),
    );
    expect(line(single, 'NAT gateways (single)').desired).toBeCloseTo((0.045 + 0.005) * H, 9);
    expect(line(single, 'cross-zone traffic to the single NAT').desired).toBeCloseTo(((100 * 2) / 3) * t.crossZoneTransfer.perGbUsd, 9);
  });

  it('reads the config file through load-config and synthesizes the persistent volumes by default', () => {
    const fromFile = cloud(estimateCost(loadPlatformConfig(EXAMPLE_CONFIGS.aws), { usage }));
    const withoutVolumes = cloud(estimateCost(config, { usage, claims: [] }));
    const volumes = fromFile.lines.filter((l) => l.item.startsWith('persistent volumes'));
    const volumeTotal = volumes.reduce((n, l) => n + l.monthlyUsd.desired, 0);
    expect(fromFile.totals.desired).toBeCloseTo(withoutVolumes.totals.desired + volumeTotal, 9);
  });
});

describe('cost estimate of examples/gcp.yaml', () => {
  const t = rawTable('gcp-us-central1');
  const estimate = cloud(estimateCost(gcpExample(), { usage, claims: [] }));
  // system 1/2/4 x e2-standard-4 with 100 GiB, gpu-l4 0/1/2 x g2-standard-8 with 200 GiB
  const nodes = { system: { min: 1, desired: 2, max: 4 }, gpu: { min: 0, desired: 1, max: 2 } };

  it.each(SCALES)('totals at %s equal the sum recomputed from the table', (scale) => {
    const vms = nodes.system[scale] + nodes.gpu[scale];
    const disk = t.volumes['pd-balanced'].perGibMonthUsd;
    const expected =
      t.controlPlane.hourlyUsd * H +
      nodes.system[scale] * (t.instances['e2-standard-4'].onDemandHourlyUsd * H + 100 * disk) +
      nodes.gpu[scale] * (t.instances['g2-standard-8'].onDemandHourlyUsd * H + 200 * disk) +
      (vms * t.nat.perVmHourlyUsd + t.publicIpv4.hourlyUsd) * H +
      100 * t.nat.perGbProcessedUsd +
      t.loadBalancer.hourlyUsd * H +
      100 * t.loadBalancer.perGbProcessedUsd;
    expect(estimate.totals[scale]).toBeCloseTo(expected, 9);
  });

  it('charges Cloud NAT its flat hourly rate beyond 32 VMs', () => {
    const big = cloud(
      estimateCost(
        gcpExample((raw) => (raw.cluster.nodePools[0].maxSize = 40)),
        { usage, claims: [] },
      ),
    );
    expect(line(big, 'Cloud NAT gateway').max).toBeCloseTo((t.nat.hourlyUsdAboveThat + t.publicIpv4.hourlyUsd) * H, 9);
    expect(line(big, 'Cloud NAT gateway').min).toBeCloseTo((1 * t.nat.perVmHourlyUsd + t.publicIpv4.hourlyUsd) * H, 9);
  });

  it('prices a Spot pool at the Spot price', () => {
    const spot = cloud(
      estimateCost(
        gcpExample((raw) => (raw.cluster.nodePools[1].spot = true)),
        { usage, claims: [] },
      ),
    );
    expect(line(spot, 'gpu-l4: g2-standard-8 Spot').max).toBeCloseTo(2 * t.instances['g2-standard-8'].spotHourlyUsd * H, 9);
  });
});

describe('cost estimate of examples/homelab.yaml', () => {
  it('has no cloud bill and says what it does not count', () => {
    const estimate = estimateCost(loadPlatformConfig(EXAMPLE_CONFIGS.homelab));
    expect(estimate.kind).toBe('no-cloud-bill');
    if (estimate.kind !== 'no-cloud-bill') return;
    expect(estimate.message).toMatch(/^No cloud bill/);
    expect(estimate.notCounted.join('\n')).toMatch(/electricity[\s\S]*hardware/);
  });
});
