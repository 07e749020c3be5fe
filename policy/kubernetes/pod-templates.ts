/**
 * Reading synthesized Kubernetes objects for the policy rules: the pods each object runs (a Pod,
 * or the template of a Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob), their
 * containers, and the exemptions an object carries.
 */
import { POLICY_EXEMPTION_PREFIX } from '../../constructs/kube/security-exception';
import type { KubeObject } from '../../synth/validate-manifests';

/* The shapes below are the parts of the Kubernetes API the rules read; everything is optional because the input is untrusted YAML. */
export interface ContainerView {
  readonly name?: string;
  readonly image?: string;
  readonly imagePullPolicy?: string;
  readonly env?: readonly { name?: string; value?: string; valueFrom?: unknown }[];
  readonly resources?: { requests?: Record<string, unknown>; limits?: Record<string, unknown> };
  readonly livenessProbe?: unknown;
  readonly readinessProbe?: unknown;
  readonly securityContext?: {
    privileged?: boolean;
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    runAsNonRoot?: boolean;
    runAsUser?: number;
    capabilities?: { add?: string[]; drop?: string[] };
    seccompProfile?: { type?: string };
  };
}

export interface PodSpecView {
  readonly containers?: readonly ContainerView[];
  readonly initContainers?: readonly ContainerView[];
  readonly hostPID?: boolean;
  readonly hostIPC?: boolean;
  readonly hostNetwork?: boolean;
  readonly automountServiceAccountToken?: boolean;
  readonly serviceAccountName?: string;
  readonly securityContext?: { runAsNonRoot?: boolean; runAsUser?: number; seccompProfile?: { type?: string } };
  readonly volumes?: readonly { name?: string; hostPath?: { path?: string } }[];
}

/** One object that runs pods, with its pod template. */
export interface PodOwner {
  readonly object: KubeObject;
  /** `Kind namespace/name`, as findings name it. */
  readonly resource: string;
  readonly namespace?: string;
  readonly podLabels: Readonly<Record<string, string>>;
  readonly spec: PodSpecView;
  /** Runs until stopped (not a Job or CronJob): needs probes and a PodDisruptionBudget. */
  readonly longRunning: boolean;
  /** Replicas asked for (1 when unset; HPA-managed workloads count their minimum as unknown = 1). */
  readonly replicas: number;
}

const LONG_RUNNING = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Pod'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

export function resourceName(object: KubeObject): string {
  const ns = object.metadata?.namespace;
  return `${object.kind} ${ns ? `${ns}/` : ''}${object.metadata?.name ?? '(unnamed)'}`;
}

/** The pod template of `object`, or undefined when it runs no pods. */
export function podOwner(object: KubeObject): PodOwner | undefined {
  const o = object as Loose;
  let template: Loose;
  if (object.kind === 'Pod') template = { metadata: o.metadata, spec: o.spec };
  else if (object.kind === 'CronJob') template = o.spec?.jobTemplate?.spec?.template;
  else if (['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'ReplicationController', 'Job'].includes(object.kind))
    template = o.spec?.template;
  if (!template) return undefined;
  return {
    object,
    resource: resourceName(object),
    namespace: object.metadata?.namespace,
    podLabels: template.metadata?.labels ?? {},
    spec: template.spec ?? {},
    longRunning: LONG_RUNNING.includes(object.kind),
    replicas: typeof o.spec?.replicas === 'number' ? o.spec.replicas : 1,
  };
}

export function podOwners(objects: readonly KubeObject[]): PodOwner[] {
  return objects.map(podOwner).filter((p): p is PodOwner => p !== undefined);
}

/** Every container of the pod, init containers included, with how findings name it. */
export function containersOf(owner: PodOwner): { container: ContainerView; label: string; init: boolean }[] {
  return [
    ...(owner.spec.initContainers ?? []).map((container) => ({ container, label: `init container ${container.name ?? '?'}`, init: true })),
    ...(owner.spec.containers ?? []).map((container) => ({ container, label: `container ${container.name ?? '?'}`, init: false })),
  ];
}

/** The reason `object` is exempt from `ruleId`, or undefined. An empty reason exempts nothing. */
export function exemption(object: KubeObject, ruleId: string): string | undefined {
  const annotations = (object.metadata?.annotations ?? {}) as Record<string, string>;
  const reason = annotations[`${POLICY_EXEMPTION_PREFIX}${ruleId}`];
  return typeof reason === 'string' && reason.trim() !== '' ? reason : undefined;
}

/** Whether a label selector (matchLabels only, as Switchyard writes them) selects `labels`. */
export function selects(selector: Readonly<Record<string, string>> | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  return Object.entries(selector).every(([key, value]) => labels[key] === value);
}
