/**
 * The EKS support calendar: the versions an aws config may name are derived from its dated end of
 * standard support, on the calendar's own date (never the clock), and so are the default, the
 * policy check and the cost estimate's support status.
 */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import {
  EKS_DEFAULT_VERSION,
  EKS_SUPPORT_CALENDAR,
  EKS_SUPPORTED_VERSIONS,
  inStandardSupport,
  versionsInStandardSupport,
} from '../../config/eks-support-calendar';
import { configProblems } from '../support/config-problems';
import { EXAMPLE_CONFIGS } from '../support/paths';

describe('EKS support calendar', () => {
  it('accepts exactly the versions whose standard support has not ended on the calendar date', () => {
    expect(EKS_SUPPORT_CALENDAR.checkedOn).toBe('2026-12-02');
    expect(EKS_SUPPORTED_VERSIONS).toEqual(['1.35']);
    const stillStandard = Object.entries(EKS_SUPPORT_CALENDAR.standardSupportEnds).filter(
      ([, ends]) => ends > EKS_SUPPORT_CALENDAR.checkedOn,
    );
    expect(EKS_SUPPORTED_VERSIONS).toEqual(stillStandard.map(([version]) => version));
  });

  it.each([
    ['2026-03-22', ['1.32', '1.33', '1.34', '1.35']],
    ['2026-03-23', ['1.33', '1.34', '1.35']],
    ['2026-12-01', ['1.34', '1.35']],
    ['2026-12-02', ['1.35']],
    ['2027-03-27', []],
  ])('on %s the versions in standard support are %j (it ends at the start of the end date, UTC)', (date, versions) => {
    expect(versionsInStandardSupport(date)).toEqual(versions);
  });

  it('knows nothing of a version it does not list', () => {
    expect(inStandardSupport('1.31', '2024-10-01')).toBe(false);
    expect(inStandardSupport('1.40', '2026-12-02')).toBe(false);
  });

  it('sorts versions numerically (1.9 before 1.10)', () => {
    const calendar = {
      checkedOn: '2030-01-01',
      source: 'test',
      standardSupportEnds: { '1.10': '2031-01-01', '1.9': '2031-01-01', '2.0': '2031-01-01' },
    };
    expect(versionsInStandardSupport('2030-01-01', calendar)).toEqual(['1.9', '1.10', '2.0']);
  });

  it('defaults an aws cluster to the newest version in standard support, 1.35, as examples/aws.yaml names', () => {
    expect(EKS_DEFAULT_VERSION).toBe('1.35');
    const config = parsePlatformConfig({ profile: 'aws' });
    expect(config.profile === 'aws' && config.cluster.kubernetesVersion).toBe('1.35');
    const example = parse(readFileSync(EXAMPLE_CONFIGS.aws, 'utf8')) as { cluster: { kubernetesVersion: string } };
    expect(example.cluster.kubernetesVersion).toBe(EKS_DEFAULT_VERSION);
  });

  it('fails when the version left standard support by the calendar date, saying when', () => {
    expect(configProblems({ profile: 'aws', cluster: { kubernetesVersion: '1.34' } })).toEqual([
      'cluster.kubernetesVersion: got "1.34"; expected a version in EKS standard support on 2026-12-02 (config/eks-support-calendar.ts): "1.35"; 1.34 left standard support on 2026-12-02',
    ]);
    expect(configProblems({ profile: 'aws', cluster: { kubernetesVersion: '1.32' } })).toEqual([
      'cluster.kubernetesVersion: got "1.32"; expected a version in EKS standard support on 2026-12-02 (config/eks-support-calendar.ts): "1.35"; 1.32 left standard support on 2026-03-23',
    ]);
  });

  it('fails when the version is not in the calendar, or not a string', () => {
    expect(configProblems({ profile: 'aws', cluster: { kubernetesVersion: '1.36' } })).toEqual([
      'cluster.kubernetesVersion: got "1.36"; expected a version in EKS standard support on 2026-12-02 (config/eks-support-calendar.ts): "1.35"',
    ]);
    expect(configProblems({ profile: 'aws', cluster: { kubernetesVersion: 1.35 } })).toEqual([
      'cluster.kubernetesVersion: got 1.35; expected a value of type string',
    ]);
  });

  it('judges on the calendar date, not the clock: the same versions on any day', () => {
    jest.useFakeTimers({ now: new Date('2031-06-01T00:00:00Z') });
    try {
      jest.isolateModules(() => {
        // eslint-disable-next-line @typescript-eslint/no-require-imports
        const fresh = require('../../config/eks-support-calendar') as typeof import('../../config/eks-support-calendar');
        expect(fresh.EKS_SUPPORTED_VERSIONS).toEqual(['1.35']);
      });
      expect(configProblems({ profile: 'aws', cluster: { kubernetesVersion: '1.35' } })).toEqual([]);
    } finally {
      jest.useRealTimers();
    }
  });
});
