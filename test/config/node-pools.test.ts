/** Node pool defaults: the root disk follows whether the pool has GPUs, on both cloud profiles. */
import { parsePlatformConfig } from '../../config/load-config';
import { DEFAULT_DISK_SIZE_GB } from '../../config/node-pools';
import { configProblems } from '../support/config-problems';

const POOLS = {
  aws: [
    { name: 'system', instanceType: 'm6i.large', minSize: 1, desiredSize: 1, maxSize: 2 },
    { name: 'gpu', instanceType: 'g6.xlarge', minSize: 0, desiredSize: 0, maxSize: 2, gpu: { count: 1 } },
  ],
  gcp: [
    { name: 'system', instanceType: 'e2-standard-4', minSize: 1, desiredSize: 1, maxSize: 2 },
    { name: 'gpu', instanceType: 'g2-standard-8', minSize: 0, desiredSize: 0, maxSize: 2, gpu: { count: 1, type: 'nvidia-l4' } },
  ],
} as const;

function pools(profile: 'aws' | 'gcp', diskSizeGb: Array<number | undefined>) {
  const cluster = {
    nodePools: POOLS[profile].map((p, i) => ({ ...p, ...(diskSizeGb[i] === undefined ? {} : { diskSizeGb: diskSizeGb[i] }) })),
    ...(profile === 'gcp' ? { project: 'switchyard-demo-123' } : {}),
  };
  const config = parsePlatformConfig({ profile, cluster });
  if (config.profile === 'homelab') throw new Error('not a cloud config');
  return config.cluster.nodePools.map((p) => [p.name, p.diskSizeGb]);
}

describe('node pool root disk', () => {
  it('defaults to 200 GiB on a GPU pool and 100 GiB on a CPU pool', () => {
    expect(DEFAULT_DISK_SIZE_GB).toEqual({ cpu: 100, gpu: 200 });
  });

  it.each(['aws', 'gcp'] as const)('%s: a pool that leaves diskSizeGb out gets the default for its kind', (profile) => {
    expect(pools(profile, [undefined, undefined])).toEqual([
      ['system', 100],
      ['gpu', 200],
    ]);
  });

  it.each(['aws', 'gcp'] as const)('%s: a configured diskSizeGb wins, on GPU and CPU pools alike', (profile) => {
    expect(pools(profile, [40, 120])).toEqual([
      ['system', 40],
      ['gpu', 120],
    ]);
  });

  it('fails when diskSizeGb is below 20 GiB', () => {
    expect(configProblems({ profile: 'aws', cluster: { nodePools: [{ ...POOLS.aws[0], diskSizeGb: 10 }] } })).toEqual([
      'cluster.nodePools[0].diskSizeGb: got 10; expected a number >= 20',
    ]);
  });
});
