/**
 * GitOps with Argo CD (only when `gitops.enabled`): the AppProject and Application that sync
 * dist/<profile>/ from the configured repository. The project's allowed namespaces and kinds are
 * read off the platform's own objects, so they are exactly what the manifests hold.
 */
import { ApiObject, Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { type GroupKind, PlatformGitops } from '../constructs/gitops/platform-gitops';

/** The file stem of this chart's manifest, which the Application excludes from its own sync. */
export const GITOPS_FILE_STEM = 'gitops';

export interface GitopsChartProps {
  readonly config: PlatformConfig;
  readonly gitops: NonNullable<PlatformConfig['gitops']>;
  /** The charts whose objects Argo CD syncs. */
  readonly charts: readonly Chart[];
}

/** An object's API group as Argo CD names it: '' for the core group (cdk8s says 'core'). */
function groupKind(object: ApiObject): GroupKind {
  return { group: object.apiGroup === 'core' ? '' : object.apiGroup, kind: object.kind };
}

function uniqueSorted(kinds: readonly GroupKind[]): GroupKind[] {
  const byKey = new Map(kinds.map((k) => [`${k.group}/${k.kind}`, k]));
  return [...byKey.keys()].sort().map((key) => byKey.get(key)!);
}

export class GitopsChart extends Chart {
  constructor(scope: Construct, id: string, props: GitopsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const objects = props.charts.flatMap((chart) => chart.node.findAll().filter((c): c is ApiObject => c instanceof ApiObject));
    const clusterScoped = objects.filter((o) => !o.metadata.namespace);
    const namespaced = objects.filter((o) => o.metadata.namespace);

    new PlatformGitops(this, 'Gitops', {
      name: props.config.name,
      repoUrl: props.gitops.repoUrl,
      path: props.gitops.path,
      revision: props.gitops.revision,
      destinationNamespaces: [...new Set(namespaced.map((o) => o.metadata.namespace!))].sort(),
      clusterResources: uniqueSorted(clusterScoped.map(groupKind)),
      namespacedResources: uniqueSorted(namespaced.map(groupKind)),
      excludeFiles: `*-${GITOPS_FILE_STEM}.yaml`,
    });
  }
}
