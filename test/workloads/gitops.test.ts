import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CRD_SCHEMA_DIR, extractCrdSchemas, PROJECT_CRD_DIR } from '../../scripts/import-crd-schemas';
import { ManifestValidationError } from '../../synth/manifest-problem';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { exampleConfig, objectNamed, synthObjectsOf } from './example-config';

const GITOPS = { enabled: true, repoUrl: 'https://github.com/example/switchyard-homelab.git', path: 'dist/homelab', revision: 'v1.2.0' };
const config = exampleConfig('homelab', { gitops: GITOPS });
const { objects, files } = synthKubernetes(config);
const synced = objects.filter((o) => o.apiVersion !== 'argoproj.io/v1alpha1');
/** A glob as Argo CD's directory exclude reads it: `*` is any run of characters but "/". */
const minimatch = (name: string, pattern: string) =>
  new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`).test(name);
const wave = (o: KubeObject) => Number((o.metadata?.annotations as Record<string, string> | undefined)?.['argocd.argoproj.io/sync-wave']);

describe('Argo CD Application', () => {
  const application = objectNamed(objects, 'Application', 'switchyard', 'argocd');

  it('syncs the configured repository, path and revision into this cluster, under the platform project', () => {
    expect(application.spec.project).toBe('switchyard');
    expect(application.spec.source).toEqual({
      repoURL: 'https://github.com/example/switchyard-homelab.git',
      path: 'dist/homelab',
      targetRevision: 'v1.2.0',
      directory: { recurse: false, exclude: '*-gitops.yaml' },
    });
    expect(application.spec.destination).toEqual({ server: 'https://kubernetes.default.svc' });
  });

  it('syncs automatically with prune and self-heal, server-side apply, prune last and retries', () => {
    expect(application.spec.syncPolicy).toEqual({
      automated: { prune: true, selfHeal: true, allowEmpty: false },
      syncOptions: ['ServerSideApply=true', 'PruneLast=true', 'FailOnSharedResource=true', 'CreateNamespace=false'],
      retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
    });
  });

  it('leaves its own file out of the sync, and only that file', () => {
    const names = files.map((f) => f.name);
    expect(names.filter((name) => minimatch(name, '*-gitops.yaml'))).toEqual([names[names.length - 1]]);
    expect(names[names.length - 1]).toMatch(/^\d\d-gitops\.yaml$/);
  });
});

describe('Argo CD AppProject', () => {
  const project = objectNamed(objects, 'AppProject', 'switchyard', 'argocd');

  it('allows only the configured repository', () => {
    expect(project.spec.sourceRepos).toEqual(['https://github.com/example/switchyard-homelab.git']);
  });

  it('allows exactly the namespaces the manifests use, on this cluster', () => {
    const used = [...new Set(synced.flatMap((o) => (o.metadata?.namespace ? [o.metadata.namespace] : [])))].sort();
    expect(used).toEqual(expect.arrayContaining(['ai-edge', 'ai-gateway', 'ai-ui', 'envoy-gateway-system', 'metallb-system']));
    expect(project.spec.destinations).toEqual(used.map((namespace) => ({ server: 'https://kubernetes.default.svc', namespace })));
  });

  it('allows exactly the cluster-scoped kinds the manifests contain, core kinds in group ""', () => {
    const expected = [
      ...new Set(
        synced
          .filter((o) => !o.metadata?.namespace)
          .map((o) => `${o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : ''}/${o.kind}`),
      ),
    ].sort();
    expect(project.spec.clusterResourceWhitelist.map((r: { group: string; kind: string }) => `${r.group}/${r.kind}`)).toEqual(expected);
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: '', kind: 'Namespace' });
    expect(project.spec.clusterResourceWhitelist).toContainEqual({ group: 'gateway.networking.k8s.io', kind: 'GatewayClass' });
    expect(JSON.stringify(project.spec)).not.toContain('"*"');
  });

  it('allows exactly the namespaced kinds the manifests contain', () => {
    const whitelist = project.spec.namespaceResourceWhitelist.map((r: { group: string; kind: string }) => `${r.group}/${r.kind}`);
    expect(whitelist).toEqual(
      expect.arrayContaining(['apps/Deployment', '/Service', 'metallb.io/IPAddressPool', 'gateway.networking.k8s.io/HTTPRoute']),
    );
    expect(whitelist).not.toContain('/Secret');
    expect(whitelist).not.toContain('argoproj.io/Application');
  });
});

describe('sync waves', () => {
  it('annotates every synced object, and not the GitOps objects themselves', () => {
    expect(synced.filter((o) => Number.isNaN(wave(o))).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
    expect(objects.filter((o) => o.apiVersion === 'argoproj.io/v1alpha1').map(wave)).toEqual([NaN, NaN]);
  });

  it.each([
    ['Namespace', -3],
    ['GatewayClass', -2],
    ['EnvoyProxy', -2],
    ['IPAddressPool', -2],
    ['L2Advertisement', -2],
    ['ServiceAccount', -1],
    ['ConfigMap', -1],
    ['NetworkPolicy', -1],
    ['Gateway', -1],
    ['ReferenceGrant', -1],
    ['Deployment', 0],
    ['StatefulSet', 0],
    ['Service', 0],
    ['HTTPRoute', 1],
    ['BackendTrafficPolicy', 1],
  ])('puts every %s in wave %d', (kind, expected) => {
    const ofKind = synced.filter((o) => o.kind === kind);
    expect(ofKind.length).toBeGreaterThan(0);
    expect([...new Set(ofKind.map(wave))]).toEqual([expected]);
  });

  it('applies namespaces before anything else and the infrastructure resources before the Gateway', () => {
    const namespaces = Math.max(...synced.filter((o) => o.kind === 'Namespace').map(wave));
    expect(Math.min(...synced.filter((o) => o.kind !== 'Namespace').map(wave))).toBeGreaterThan(namespaces);
    expect(wave(objectNamed(synced, 'EnvoyProxy', 'switchyard'))).toBeLessThan(wave(objectNamed(synced, 'Gateway', 'switchyard')));
  });
});

describe('without GitOps', () => {
  it.each([
    ['not configured', {}],
    ['disabled', { gitops: { ...GITOPS, enabled: false } }],
  ])('writes no Argo CD objects and no waves when %s', (_, changes) => {
    const plain = synthObjectsOf(exampleConfig('homelab', changes));
    expect(plain.filter((o) => o.apiVersion.startsWith('argoproj.io/'))).toEqual([]);
    expect(plain.filter((o) => !Number.isNaN(wave(o)))).toEqual([]);
  });

  it.each(['aws', 'gcp'] as const)('synthesizes through the gate on %s with GitOps on', (profile) => {
    const cloud = synthObjectsOf(exampleConfig(profile, { gitops: { ...GITOPS, path: `dist/${profile}` } }));
    expect(objectNamed(cloud, 'Application', 'switchyard').spec.source.path).toBe(`dist/${profile}`);
  });
});

describe('examples/aws.yaml, which turns GitOps on', () => {
  const aws = synthKubernetes(exampleConfig('aws'));
  const awsSynced = aws.objects.filter((o) => o.apiVersion !== 'argoproj.io/v1alpha1');

  it('syncs dist/aws of its deployment repository at main, written last as 07-gitops.yaml', () => {
    expect(objectNamed(aws.objects, 'Application', 'switchyard', 'argocd').spec.source).toEqual({
      repoURL: 'https://github.com/example-org/switchyard-deploy.git',
      path: 'dist/aws',
      targetRevision: 'main',
      directory: { recurse: false, exclude: '*-gitops.yaml' },
    });
    expect(objectNamed(aws.objects, 'AppProject', 'switchyard', 'argocd').spec.sourceRepos).toEqual([
      'https://github.com/example-org/switchyard-deploy.git',
    ]);
    expect(aws.files.map((f) => f.name)).toEqual([
      '00-namespaces.yaml',
      '01-edge.yaml',
      '02-gateway.yaml',
      '03-models.yaml',
      '04-data.yaml',
      '05-ui.yaml',
      '06-observability.yaml',
      '07-gitops.yaml',
    ]);
  });

  it('puts every synced object in a wave, and only the two Argo CD objects outside the sync', () => {
    expect(awsSynced.filter((o) => Number.isNaN(wave(o))).map((o) => `${o.kind}/${o.metadata?.name}`)).toEqual([]);
    expect(aws.objects.length - awsSynced.length).toBe(2);
  });
});

describe('GitOps validation', () => {
  it('fails when the repository is not a git URL, naming the path and value', () => {
    expect(() => exampleConfig('homelab', { gitops: { ...GITOPS, repoUrl: 'github.com/example/repo' } })).toThrow(
      'gitops.repoUrl: got "github.com/example/repo"; expected a git URL (https://, ssh:// or git@)',
    );
  });

  it('checks Applications against the real Argo CD schema: an unknown field fails the gate', () => {
    const broken = (objs: KubeObject[]) => {
      const app = objs.find((o) => o.kind === 'Application') as KubeObject & { spec: { source: Record<string, unknown> } };
      app.spec.source.repoUrl = app.spec.source.repoURL;
    };
    expect(() => synthKubernetes(config, broken)).toThrow(ManifestValidationError);
    expect(() => synthKubernetes(config, broken)).toThrow(
      'Application argocd/switchyard: spec.source.repoUrl: unknown field (not in the CRD schema)',
    );
  });

  it('keeps the generated Argo CD schemas equal to schemas/crds (regenerate with: npx tsx scripts/import-crd-schemas.ts)', () => {
    const expected = extractCrdSchemas(PROJECT_CRD_DIR);
    expect([...expected.keys()].sort()).toEqual(['argoproj.io_AppProject.json', 'argoproj.io_Application.json']);
    for (const [name, schema] of expected) expect(JSON.parse(readFileSync(join(CRD_SCHEMA_DIR, name), 'utf8'))).toEqual(schema);
  });
});
