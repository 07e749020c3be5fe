/**
 * Rules on pods and the objects around them: host namespaces and paths, ServiceAccounts and their
 * tokens, network isolation, disruption budgets, namespaces and Service selectors. They mirror
 * Checkov's CKV_K8S_17-19, 21 and 38 and kube-linter's host-*, sensitive-host-mounts,
 * non-existent-service-account, non-isolated-pod, pdb-*, use-namespace, dangling-service and
 * mismatching-selector.
 */
import type { KubeObject } from '../../synth/validate-manifests';
import { objectRule, podRule, type KubernetesObjects, type KubernetesRule } from './kubernetes-rule';
import { type PodOwner, podOwners, selects } from './pod-templates';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Loose = any;

/** Kinds that live outside namespaces (core, and the custom resources the platform writes). */
export const CLUSTER_SCOPED_KINDS = [
  'Namespace',
  'Node',
  'PersistentVolume',
  'StorageClass',
  'ClusterRole',
  'ClusterRoleBinding',
  'CustomResourceDefinition',
  'PriorityClass',
  'IngressClass',
  'RuntimeClass',
  'CSIDriver',
  'ValidatingWebhookConfiguration',
  'MutatingWebhookConfiguration',
  'APIService',
  'GatewayClass',
  'ClusterIssuer',
  'ProxyClass',
  'Connector',
  'ProxyGroup',
];

function inNamespace(objects: KubernetesObjects, kind: string, namespace: string | undefined): Loose[] {
  return objects.filter((o) => o.kind === kind && o.metadata?.namespace === namespace) as Loose[];
}

/** Policy types the namespace's NetworkPolicies apply to the pods. */
function isolation(owner: PodOwner, objects: KubernetesObjects): Set<string> {
  const types = new Set<string>();
  for (const policy of inNamespace(objects, 'NetworkPolicy', owner.namespace)) {
    const selector = policy.spec?.podSelector;
    const matches = selector && !selector.matchExpressions?.length && selects(selector.matchLabels ?? {}, owner.podLabels);
    if (matches) for (const type of policy.spec?.policyTypes ?? ['Ingress']) types.add(type);
  }
  return types;
}

function budgetProblems(owner: PodOwner, objects: KubernetesObjects): string[] {
  const budgets = inNamespace(objects, 'PodDisruptionBudget', owner.namespace).filter((pdb) =>
    selects(pdb.spec?.selector?.matchLabels, owner.podLabels),
  );
  if (budgets.length === 0) return ['no PodDisruptionBudget selects its pods; expected one'];
  return budgets.flatMap((pdb) => {
    const { maxUnavailable, minAvailable } = pdb.spec ?? {};
    if (maxUnavailable === 0 || maxUnavailable === '0%')
      return [
        `PodDisruptionBudget ${pdb.metadata.name} has maxUnavailable ${JSON.stringify(maxUnavailable)}: no pod could ever be evicted; expected at least 1`,
      ];
    if (typeof minAvailable === 'number' && minAvailable >= owner.replicas)
      return [
        `PodDisruptionBudget ${pdb.metadata.name} has minAvailable ${minAvailable} with ${owner.replicas} replica(s): no pod could ever be evicted`,
      ];
    if (minAvailable === '100%') return [`PodDisruptionBudget ${pdb.metadata.name} has minAvailable "100%": no pod could ever be evicted`];
    return [];
  });
}

export const WORKLOAD_RULES: readonly KubernetesRule[] = [
  podRule({
    id: 'no-host-namespaces',
    mirrors: ['CKV_K8S_17', 'CKV_K8S_18', 'CKV_K8S_19', 'kube-linter:host-pid', 'kube-linter:host-ipc', 'kube-linter:host-network'],
    description: "No pod shares the host's PID, IPC or network namespace.",
    check: (owner) =>
      (['hostPID', 'hostIPC', 'hostNetwork'] as const)
        .filter((field) => owner.spec[field] === true)
        .map((field) => `${field} is true; expected false`),
  }),
  podRule({
    id: 'no-host-path',
    mirrors: ['kube-linter:sensitive-host-mounts', 'kube-linter:writable-host-mount', 'kube-linter:docker-sock'],
    description: 'No pod mounts a host path (host storage goes through a local PersistentVolume).',
    check: (owner) =>
      (owner.spec.volumes ?? [])
        .filter((v) => v.hostPath)
        .map((v) => `volume ${v.name} mounts host path ${JSON.stringify(v.hostPath?.path)}; expected a PersistentVolumeClaim`),
  }),
  podRule({
    id: 'no-service-account-token',
    mirrors: ['CKV_K8S_38'],
    description: 'No pod mounts a ServiceAccount token unless it is exempted for calling the Kubernetes API.',
    check: (owner, objects) => {
      if (owner.spec.automountServiceAccountToken === false) return [];
      const account = inNamespace(objects, 'ServiceAccount', owner.namespace).find(
        (sa) => sa.metadata?.name === owner.spec.serviceAccountName,
      );
      if (owner.spec.automountServiceAccountToken === undefined && account?.automountServiceAccountToken === false) return [];
      return [`automountServiceAccountToken is ${JSON.stringify(owner.spec.automountServiceAccountToken ?? 'unset')}; expected false`];
    },
  }),
  podRule({
    id: 'own-service-account',
    mirrors: ['kube-linter:non-existent-service-account', 'kube-linter:default-service-account'],
    description: 'Every pod runs as its own ServiceAccount, defined beside it (never "default").',
    check: (owner, objects) => {
      const name = owner.spec.serviceAccountName;
      if (!name || name === 'default')
        return [`serviceAccountName is ${JSON.stringify(name ?? 'unset')}; expected the workload's own ServiceAccount`];
      return inNamespace(objects, 'ServiceAccount', owner.namespace).some((sa) => sa.metadata?.name === name)
        ? []
        : [`serviceAccountName ${JSON.stringify(name)} names no ServiceAccount in ${owner.namespace}`];
    },
  }),
  podRule({
    id: 'network-isolation',
    mirrors: ['kube-linter:non-isolated-pod'],
    description: 'Every pod is selected by NetworkPolicies for both ingress and egress (the tier default-deny and the flows opened on it).',
    check: (owner, objects) => {
      const types = isolation(owner, objects);
      return ['Ingress', 'Egress']
        .filter((t) => !types.has(t))
        .map((t) => `no NetworkPolicy with policyType ${t} selects its pods; expected the namespace's default-deny`);
    },
  }),
  podRule({
    id: 'disruption-budget',
    mirrors: ['kube-linter:pdb-max-unavailable', 'kube-linter:pdb-min-available'],
    description:
      'Every long-running workload (DaemonSets aside: drains skip their pods) has a PodDisruptionBudget that still lets a node drain.',
    check: (owner, objects) => (owner.longRunning && owner.object.kind !== 'DaemonSet' ? budgetProblems(owner, objects) : []),
  }),
  podRule({
    id: 'selector-matches-template',
    mirrors: ['kube-linter:mismatching-selector'],
    description: "A workload's selector selects its own pod template.",
    check: (owner) => {
      const selector = (owner.object as Loose).spec?.selector?.matchLabels;
      return selector && !selects(selector, owner.podLabels)
        ? [`spec.selector ${JSON.stringify(selector)} does not match the pod template's labels`]
        : [];
    },
  }),
  objectRule({
    id: 'not-default-namespace',
    mirrors: ['CKV_K8S_21', 'kube-linter:use-namespace'],
    description: 'Nothing lands in the default namespace: namespaced objects name a namespace other than default.',
    check: (object: KubeObject) => {
      if (CLUSTER_SCOPED_KINDS.includes(object.kind)) return [];
      const ns = object.metadata?.namespace;
      return !ns || ns === 'default' ? [`metadata.namespace is ${JSON.stringify(ns ?? 'unset')}; expected a tier namespace`] : [];
    },
  }),
  objectRule({
    id: 'service-selects-pods',
    mirrors: ['kube-linter:dangling-service'],
    description: 'Every Service with a selector selects the pods of some workload in its namespace.',
    check: (object, objects) => {
      if (object.kind !== 'Service') return [];
      const selector = (object as Loose).spec?.selector;
      if (!selector || (object as Loose).spec?.type === 'ExternalName') return [];
      return podOwners(objects).some((owner) => owner.namespace === object.metadata?.namespace && selects(selector, owner.podLabels))
        ? []
        : [`spec.selector ${JSON.stringify(selector)} selects no pod template in ${object.metadata?.namespace}`];
    },
  }),
];
