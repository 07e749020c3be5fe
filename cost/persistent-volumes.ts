/**
 * The persistent volumes the platform asks for: every PersistentVolumeClaim the charts synthesize,
 * and the claim templates of StatefulSets (once per replica), with their size and StorageClass.
 * They become cloud disks, priced here by their StorageClass.
 */
import type { ConfigProblem } from '../config/config-error';
import type { KubeObject } from '../synth/validate-manifests';
import { type CostLine, fixed, rate } from './cost-estimate';
import type { PriceTable } from './price-table';

export interface VolumeClaim {
  /** `namespace/name` of the claim, or of the StatefulSet and its template. */
  readonly owner: string;
  /** The StorageClass it names; absent means the cluster default (`storage.storageClass`). */
  readonly storageClass?: string;
  /** The size it requests, in GiB, rounded up: clouds provision whole GiB. */
  readonly gib: number;
  /** How many volumes: 1 for a claim, the replicas for a StatefulSet template. */
  readonly count: number;
}

const FACTORS: Record<string, number> = {
  '': 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
  Pi: 2 ** 50,
  Ei: 2 ** 60,
};

/** A storage quantity (`50Gi`, `100G`, `1.5Ti`) in GiB, rounded up to a whole GiB. */
export function gibibytes(quantity: string): number {
  const match = /^([0-9]+(?:\.[0-9]+)?)(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$/.exec(quantity);
  if (!match) throw new Error(`not a storage quantity: ${JSON.stringify(quantity)} (expected e.g. 50Gi or 100G)`);
  return Math.ceil((Number(match[1]) * FACTORS[match[2] ?? '']) / 2 ** 30);
}

interface ClaimSpec {
  storageClassName?: string;
  resources?: { requests?: { storage?: string } };
}

function claim(owner: string, spec: ClaimSpec | undefined, count: number): VolumeClaim[] {
  const storage = spec?.resources?.requests?.storage;
  if (!storage) return [];
  return [{ owner, storageClass: spec?.storageClassName, gib: gibibytes(String(storage)), count }];
}

/** The claims in synthesized objects. */
export function volumeClaims(objects: readonly KubeObject[]): VolumeClaim[] {
  return objects.flatMap((obj): VolumeClaim[] => {
    const name = `${obj.metadata?.namespace ?? 'default'}/${obj.metadata?.name ?? '?'}`;
    const spec = obj.spec as
      (ClaimSpec & { replicas?: number; volumeClaimTemplates?: { metadata?: { name?: string }; spec?: ClaimSpec }[] }) | undefined;
    if (obj.kind === 'PersistentVolumeClaim') return claim(name, spec, 1);
    if (obj.kind === 'StatefulSet')
      return (spec?.volumeClaimTemplates ?? []).flatMap((t) =>
        claim(`${name} (${t.metadata?.name ?? 'template'})`, t.spec, spec?.replicas ?? 1),
      );
    return [];
  });
}

/**
 * One disks line per volume type, or problems when a claim's StorageClass has no price. Claims
 * without a class use `defaultClass`, reported at `storage.storageClass`.
 */
export function volumeClaimLines(
  claims: readonly VolumeClaim[],
  table: PriceTable,
  defaultClass: string,
  problems: ConfigProblem[],
): CostLine[] {
  const known = Object.keys(table.storageClasses).join(', ');
  const byVolume = new Map<string, { gib: number; claims: number }>();
  for (const c of claims) {
    const storageClass = c.storageClass ?? defaultClass;
    const volume = table.storageClasses[storageClass];
    if (!volume || !table.volumes[volume]) {
      const path = c.storageClass ? `PersistentVolumeClaim ${c.owner} storageClassName` : 'storage.storageClass';
      if (!problems.some((p) => p.path === path))
        problems.push({
          path,
          got: JSON.stringify(storageClass),
          expected: `a StorageClass the ${table.provider} ${table.region} price table prices: ${known}`,
        });
      continue;
    }
    const entry = byVolume.get(volume) ?? { gib: 0, claims: 0 };
    byVolume.set(volume, { gib: entry.gib + c.gib * c.count, claims: entry.claims + c.count });
  }
  return [...byVolume.entries()].map(([volume, { gib, claims: n }]) => {
    const price = table.volumes[volume].perGibMonthUsd;
    return {
      component: 'disks',
      item: `persistent volumes (${volume})`,
      basis: `${n} claim${n === 1 ? '' : 's'}, ${gib} GiB x ${rate(price)}/GiB-month`,
      monthlyUsd: fixed(gib * price),
    } satisfies CostLine;
  });
}
