/**
 * kube-state-metrics, for pod restarts and phases (the kubelet does not export them): limited to the
 * platform's namespaces and to pods, with a namespaced Role in each (no ClusterRole), and only the
 * series the rules and dashboards read (`--metric-allowlist`).
 */
import { Construct } from 'constructs';
import { KUBE_STATE_METRICS } from '../../observability/external-metrics';
import { METRICS_PORTS } from '../../observability/scrape-targets';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import { KubeRole, KubeRoleBinding } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import { SecureWorkload } from '../kube/secure-workload';

export const KUBE_STATE_METRICS_IMAGE: ImageReference = {
  repository: 'registry.k8s.io/kube-state-metrics/kube-state-metrics',
  tag: 'v2.16.0',
};

export interface KubeStateMetricsProps {
  readonly instance: string;
  readonly namespace: string;
  /** Namespaces it reports on. */
  readonly watchedNamespaces: readonly string[];
  /** @default KUBE_STATE_METRICS_IMAGE */
  readonly image?: ImageReference;
}

export class KubeStateMetrics extends Construct {
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: KubeStateMetricsProps) {
    super(scope, id);
    const labels = workloadLabels({ name: 'kube-state-metrics', component: 'monitoring', instance: props.instance });
    const workload = new SecureWorkload(this, 'Workload', {
      name: 'kube-state-metrics',
      component: 'monitoring',
      instance: props.instance,
      namespace: props.namespace,
      runAs: { userId: 65534, groupId: 65534 },
      container: {
        name: 'kube-state-metrics',
        image: props.image ?? KUBE_STATE_METRICS_IMAGE,
        args: [
          `--port=${METRICS_PORTS.kubeStateMetrics}`,
          '--telemetry-port=8081',
          '--resources=pods',
          `--namespaces=${props.watchedNamespaces.join(',')}`,
          `--metric-allowlist=${KUBE_STATE_METRICS.join(',')}`,
        ],
        ports: [
          { name: 'metrics', port: METRICS_PORTS.kubeStateMetrics },
          { name: 'telemetry', port: 8081 },
        ],
        resources: { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
        health: {
          readiness: { httpGet: { path: '/readyz', port: 'telemetry' } },
          liveness: { httpGet: { path: '/livez', port: 'metrics' } },
        },
      },
      exceptions: { kubernetesApiToken: 'kube-state-metrics lists and watches pods through the Kubernetes API' },
    });
    this.pods = workload.pods;
    for (const namespace of props.watchedNamespaces) {
      const role = new KubeRole(this, `Role-${namespace}`, {
        metadata: { name: 'kube-state-metrics', namespace, labels },
        rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }],
      });
      new KubeRoleBinding(this, `Binding-${namespace}`, {
        metadata: { name: 'kube-state-metrics', namespace, labels },
        roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: role.name },
        subjects: [{ kind: 'ServiceAccount', name: 'kube-state-metrics', namespace: props.namespace }],
      });
    }
  }
}
