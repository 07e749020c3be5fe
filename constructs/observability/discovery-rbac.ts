/**
 * What Prometheus may read from the Kubernetes API to discover its targets, and no more:
 * `list`/`watch` on pods in each scraped namespace (a Role per namespace, not cluster-wide), and
 * cluster-wide `list`/`watch` on nodes plus `get` on `nodes/metrics`, which the kubelet checks
 * before serving /metrics, /metrics/cadvisor and /metrics/resource. Not `nodes/proxy` (it reaches
 * far more of the kubelet API), not Secrets, not Services or Endpoints (discovery is by pod).
 */
import { Construct } from 'constructs';
import { KubeClusterRole, KubeClusterRoleBinding, KubeRole, KubeRoleBinding } from '../kube/k8s';

export interface DiscoveryRbacProps {
  /** The ServiceAccount Prometheus runs as. */
  readonly serviceAccount: { readonly name: string; readonly namespace: string };
  /** Namespaces whose pods Prometheus discovers. */
  readonly podNamespaces: readonly string[];
  /** Labels of the RBAC objects. */
  readonly labels: Readonly<Record<string, string>>;
  /** Prefix of the cluster-scoped names (one platform per cluster name), e.g. switchyard-prometheus. */
  readonly clusterName: string;
}

export class DiscoveryRbac extends Construct {
  constructor(scope: Construct, id: string, props: DiscoveryRbacProps) {
    super(scope, id);
    const labels = { ...props.labels };
    const subjects = [{ kind: 'ServiceAccount', name: props.serviceAccount.name, namespace: props.serviceAccount.namespace }];

    const nodes = new KubeClusterRole(this, 'NodesRole', {
      metadata: { name: props.clusterName, labels },
      rules: [
        { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
        { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
      ],
    });
    new KubeClusterRoleBinding(this, 'NodesBinding', {
      metadata: { name: props.clusterName, labels },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: nodes.name },
      subjects,
    });

    for (const namespace of props.podNamespaces) {
      const role = new KubeRole(this, `Pods-${namespace}`, {
        metadata: { name: `${props.serviceAccount.name}-discovery`, namespace, labels },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }],
      });
      new KubeRoleBinding(this, `PodsBinding-${namespace}`, {
        metadata: { name: `${props.serviceAccount.name}-discovery`, namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects,
      });
    }
  }
}
