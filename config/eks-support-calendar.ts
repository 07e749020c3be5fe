/**
 * The EKS release calendar: the day each Kubernetes minor version leaves standard support. It is
 * the one source for which versions an aws config may name (`EKS_SUPPORTED_VERSIONS`: the schema
 * and the policy check `eks-supported-version`), for the default version, and for the control
 * plane's price in `npm run cost` (standard or extended support on the day it is judged).
 *
 * Which versions a config may name is judged on the calendar's own date, `checkedOn`, never on
 * the clock: the same config and repository synthesize the same stack on any day. Refresh the
 * calendar (dates and `checkedOn`) from the source below; the accepted list moves with it.
 */

export interface EksSupportCalendar {
  /** The day (YYYY-MM-DD) the dates were read from `source`; configs are judged on it. */
  readonly checkedOn: string;
  readonly source: string;
  /**
   * Per minor version, its "end of standard support" date (YYYY-MM-DD, UTC). AWS bills extended
   * support from the beginning of that day, so a version is in standard support strictly before it.
   */
  readonly standardSupportEnds: Readonly<Record<string, string>>;
}

export const EKS_SUPPORT_CALENDAR: EksSupportCalendar = {
  checkedOn: '2026-12-02',
  source: 'https://docs.aws.amazon.com/eks/latest/userguide/kubernetes-versions.html (Amazon EKS Kubernetes release calendar)',
  standardSupportEnds: { '1.32': '2026-03-23', '1.33': '2026-07-29', '1.34': '2026-12-02', '1.35': '2027-03-27' },
};

/** Whether `version` is in EKS standard support on `date` (YYYY-MM-DD); false for a version the calendar does not list. */
export function inStandardSupport(version: string, date: string, calendar: EksSupportCalendar = EKS_SUPPORT_CALENDAR): boolean {
  const ends = calendar.standardSupportEnds[version];
  return ends !== undefined && date < ends;
}

/** Orders "1.9" before "1.10": by major, then minor version. */
function compareVersions(a: string, b: string): number {
  const [aMajor, aMinor] = a.split('.').map(Number);
  const [bMajor, bMinor] = b.split('.').map(Number);
  return aMajor - bMajor || aMinor - bMinor;
}

/** The versions in standard support on `date`, oldest first. */
export function versionsInStandardSupport(date: string, calendar: EksSupportCalendar = EKS_SUPPORT_CALENDAR): string[] {
  return Object.keys(calendar.standardSupportEnds)
    .filter((version) => inStandardSupport(version, date, calendar))
    .sort(compareVersions);
}

/** The versions an aws config may name: those in standard support on the calendar's date. */
export const EKS_SUPPORTED_VERSIONS: readonly string[] = versionsInStandardSupport(EKS_SUPPORT_CALENDAR.checkedOn);
if (EKS_SUPPORTED_VERSIONS.length === 0)
  throw new Error(
    `config/eks-support-calendar.ts lists no EKS version in standard support on ${EKS_SUPPORT_CALENDAR.checkedOn}: refresh it`,
  );

/** The default `cluster.kubernetesVersion`: the newest version in standard support. */
export const EKS_DEFAULT_VERSION: string = EKS_SUPPORTED_VERSIONS[EKS_SUPPORTED_VERSIONS.length - 1];

/** What `cluster.kubernetesVersion` allows, and why `version` is not among it. */
export function eksVersionExpected(version: unknown): string {
  const { checkedOn, standardSupportEnds } = EKS_SUPPORT_CALENDAR;
  const allowed = `a version in EKS standard support on ${checkedOn} (config/eks-support-calendar.ts): ${EKS_SUPPORTED_VERSIONS.map((v) => JSON.stringify(v)).join(', ')}`;
  const ended = typeof version === 'string' ? standardSupportEnds[version] : undefined;
  return ended ? `${allowed}; ${version} left standard support on ${ended}` : allowed;
}
