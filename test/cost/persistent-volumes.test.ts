/** Persistent volumes: sizes read from synthesized claims and StatefulSet templates, priced by class. */
import type { ConfigProblem } from '../../config/config-error';
import { gibibytes, volumeClaimLines, volumeClaims } from '../../cost/persistent-volumes';
import { loadPriceTable } from '../../cost/price-table';
import type { KubeObject } from '../../synth/validate-manifests';

describe('gibibytes', () => {
  it.each([
    ['50Gi', 50],
    ['1.5Ti', 1536],
    ['512Mi', 1], // clouds provision whole GiB: rounded up
    ['100G', 94], // 100e9 bytes = 93.13 GiB
    ['2147483648', 2],
  ])('%s is %d GiB', (quantity, gib) => expect(gibibytes(quantity)).toBe(gib));

  it('refuses what is not a storage quantity', () => {
    expect(() => gibibytes('50GB')).toThrow('not a storage quantity: "50GB" (expected e.g. 50Gi or 100G)');
  });
});

describe('volumeClaims', () => {
  const objects: KubeObject[] = [
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'models', namespace: 'ai-models' },
      spec: { resources: { requests: { storage: '200Gi' } } },
    },
    {
      apiVersion: 'v1',
      kind: 'PersistentVolumeClaim',
      metadata: { name: 'archive', namespace: 'ai-data' },
      spec: { storageClassName: 'gp2', resources: { requests: { storage: '1Ti' } } },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'qdrant', namespace: 'ai-data' },
      spec: {
        replicas: 3,
        volumeClaimTemplates: [{ metadata: { name: 'storage' }, spec: { resources: { requests: { storage: '20Gi' } } } }],
      },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'ai-data' }, data: {} },
  ];

  it('reads claims and StatefulSet templates (once per replica)', () => {
    expect(volumeClaims(objects)).toEqual([
      { owner: 'ai-models/models', storageClass: undefined, gib: 200, count: 1 },
      { owner: 'ai-data/archive', storageClass: 'gp2', gib: 1024, count: 1 },
      { owner: 'ai-data/qdrant (storage)', storageClass: undefined, gib: 20, count: 3 },
    ]);
  });

  it('prices them per volume type: the default class for claims without one', () => {
    const { table } = loadPriceTable('aws', 'us-east-1', 'aws.yaml');
    const problems: ConfigProblem[] = [];
    const lines = volumeClaimLines(volumeClaims(objects), table, 'gp3', problems);
    expect(problems).toEqual([]);
    expect(lines).toEqual([
      {
        component: 'disks',
        item: 'persistent volumes (gp3)',
        basis: '4 claims, 260 GiB x $0.08/GiB-month',
        monthlyUsd: { min: 260 * 0.08, desired: 260 * 0.08, max: 260 * 0.08 },
      },
      {
        component: 'disks',
        item: 'persistent volumes (gp2)',
        basis: '1 claim, 1024 GiB x $0.10/GiB-month',
        monthlyUsd: { min: 102.4, desired: 102.4, max: 102.4 },
      },
    ]);
  });

  it('names the claim when its own StorageClass has no price', () => {
    const { table } = loadPriceTable('gcp', 'us-central1', 'gcp.yaml');
    const problems: ConfigProblem[] = [];
    volumeClaimLines([{ owner: 'ai-data/archive', storageClass: 'gp2', gib: 10, count: 1 }], table, 'standard-rwo', problems);
    expect(problems).toEqual([
      {
        path: 'PersistentVolumeClaim ai-data/archive storageClassName',
        got: '"gp2"',
        expected: 'a StorageClass the gcp us-central1 price table prices: standard-rwo, standard, premium-rwo',
      },
    ]);
  });
});
