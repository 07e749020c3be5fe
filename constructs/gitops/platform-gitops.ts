/**
 * PlatformGitops: Argo CD keeps the cluster equal to the synthesized manifests in git.
 *
 * - An AppProject that confines what the platform's Application may do: sources only from the
 *   configured repository; destinations only the namespaces the manifests use, on this cluster;
 *   only the kinds the manifests contain (cluster-scoped ones listed one by one, so a commit to
 *   the repo cannot create, say, a ClusterRoleBinding that the platform never had).
 * - An Application syncing `path` at `revision` (dist/<profile>/), automated with prune and
 *   self-heal, server-side apply, retries with backoff. Its own manifest (the gitops file) is
 *   excluded from the sync: it is applied once by hand to bootstrap, and Argo CD then manages
 *   everything else without being able to rewrite its own permissions.
 */
import { Construct } from 'constructs';
import { Application, AppProject } from '../../imports/argoproj.io';
import { PART_OF } from '../kube/labels';

/** The API server of the cluster Argo CD runs in, as Argo CD names it. */
export const IN_CLUSTER_SERVER = 'https://kubernetes.default.svc';

export interface GroupKind {
  /** API group; '' for the core group. */
  readonly group: string;
  readonly kind: string;
}

export interface PlatformGitopsProps {
  /** Names the AppProject and the Application. */
  readonly name: string;
  readonly repoUrl: string;
  /** Directory in the repository holding the manifests, e.g. dist/homelab. */
  readonly path: string;
  /** Branch, tag or commit to sync. */
  readonly revision: string;
  /** Namespaces the manifests put objects in. */
  readonly destinationNamespaces: readonly string[];
  /** Cluster-scoped kinds the manifests contain. */
  readonly clusterResources: readonly GroupKind[];
  /** Namespaced kinds the manifests contain. */
  readonly namespacedResources: readonly GroupKind[];
  /** Glob of manifest files Argo CD must not sync (this construct's own file). */
  readonly excludeFiles: string;
  /** Where Argo CD runs; Applications and AppProjects live there. @default 'argocd' */
  readonly argoCdNamespace?: string;
}

/** Sync options of the platform Application. */
export const SYNC_OPTIONS = [
  // Server-side apply: large objects (CRD-backed policies) without the last-applied annotation limit.
  'ServerSideApply=true',
  // Delete what left git only after everything else is applied and healthy.
  'PruneLast=true',
  // Refuse to take over an object another Application already manages.
  'FailOnSharedResource=true',
  // Namespaces are in the manifests, with their labels; never created implicitly.
  'CreateNamespace=false',
];

export class PlatformGitops extends Construct {
  constructor(scope: Construct, id: string, props: PlatformGitopsProps) {
    super(scope, id);
    const namespace = props.argoCdNamespace ?? 'argocd';
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'gitops' };

    new AppProject(this, 'Project', {
      metadata: { name: props.name, namespace, labels },
      spec: {
        description: `Switchyard platform ${props.name}: only its repository, namespaces and kinds`,
        sourceRepos: [props.repoUrl],
        destinations: props.destinationNamespaces.map((ns) => ({ server: IN_CLUSTER_SERVER, namespace: ns })),
        clusterResourceWhitelist: props.clusterResources.map((r) => ({ ...r })),
        namespaceResourceWhitelist: props.namespacedResources.map((r) => ({ ...r })),
        orphanedResources: { warn: true },
      },
    });

    new Application(this, 'Resource', {
      metadata: { name: props.name, namespace, labels },
      spec: {
        project: props.name,
        source: {
          repoUrl: props.repoUrl,
          path: props.path,
          targetRevision: props.revision,
          directory: { recurse: false, exclude: props.excludeFiles },
        },
        // Every object names its namespace; none is defaulted by the destination.
        destination: { server: IN_CLUSTER_SERVER },
        syncPolicy: {
          automated: { prune: true, selfHeal: true, allowEmpty: false },
          syncOptions: [...SYNC_OPTIONS],
          retry: { limit: 5, backoff: { duration: '10s', factor: 2, maxDuration: '5m' } },
        },
        revisionHistoryLimit: 10,
      },
    });
  }
}
