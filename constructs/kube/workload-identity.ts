/**
 * Who a workload is: its name, role, release instance and namespace, from which its labels, its
 * pod selector and its ServiceAccount follow. Shared by SecureWorkload and SecureJob.
 */
import { Construct } from 'constructs';
import type { PodGroup } from './allow-traffic';
import { KubeServiceAccount } from './k8s';
import { selectorLabels, workloadLabels } from './labels';

export interface WorkloadIdentityProps {
  /** The application and object name, e.g. ollama; also the pod group name in network policies. */
  readonly name: string;
  /** Its role in the platform, e.g. model-server, cache, database. */
  readonly component: string;
  /** The release instance: the platform config's name. */
  readonly instance: string;
  /** The namespace; never `default`. */
  readonly namespace: string;
  /**
   * Annotations on the workload's ServiceAccount, e.g. `eks.amazonaws.com/role-arn` (IRSA) or
   * `iam.gke.io/gcp-service-account` (Workload Identity).
   * @default - none
   */
  readonly serviceAccountAnnotations?: Readonly<Record<string, string>>;
}

/** Labels and selector of a workload's objects and pods. */
export function identityLabels(props: WorkloadIdentityProps): { labels: Record<string, string>; selector: Record<string, string> } {
  return { labels: workloadLabels(props), selector: selectorLabels(props) };
}

/** The pods of a workload as a network-policy peer. */
export function podGroupOf(props: WorkloadIdentityProps): PodGroup {
  return { name: props.name, namespace: props.namespace, podLabels: selectorLabels(props) };
}

/** Problems with the identity, as messages naming the prop and value. */
export function identityProblems(props: WorkloadIdentityProps): string[] {
  return props.namespace === 'default' || props.namespace === ''
    ? [`namespace is ${JSON.stringify(props.namespace)}: workloads run in their tier namespace, never in "default"`]
    : [];
}

/**
 * The workload's own ServiceAccount (one per workload, so RBAC and cloud IAM bind to exactly it).
 * Its token is not mounted unless `mountToken`, which only a recorded exception sets.
 */
export function workloadServiceAccount(scope: Construct, props: WorkloadIdentityProps, mountToken: boolean): KubeServiceAccount {
  return new KubeServiceAccount(scope, 'ServiceAccount', {
    metadata: {
      name: props.name,
      namespace: props.namespace,
      labels: workloadLabels(props),
      annotations: props.serviceAccountAnnotations ? { ...props.serviceAccountAnnotations } : undefined,
    },
    automountServiceAccountToken: mountToken,
  });
}
