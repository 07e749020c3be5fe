/**
 * Rules on each container's security context, resources, image and probes. They mirror Checkov's
 * CKV_K8S_8-16, 20, 22, 23, 28, 31, 37 and 40 and kube-linter's matching default checks.
 */
import { containerRule, type KubernetesRule } from './kubernetes-rule';
import type { ContainerView, PodOwner } from './pod-templates';

/** Checkov's CKV_K8S_40 threshold: UIDs below it may collide with host users. */
export const MIN_HIGH_UID = 10000;

const effectiveUser = (c: ContainerView, owner: PodOwner) => c.securityContext?.runAsUser ?? owner.spec.securityContext?.runAsUser;
const effectiveNonRoot = (c: ContainerView, owner: PodOwner) => c.securityContext?.runAsNonRoot ?? owner.spec.securityContext?.runAsNonRoot;

/** Image references: `repo:tag`, `repo@sha256:...` or both; a port in the registry is not a tag. */
export function imageTag(image: string): { tag?: string; digest?: string } {
  const [name, digest] = image.split('@');
  const lastSegment = name.slice(name.lastIndexOf('/') + 1);
  const colon = lastSegment.lastIndexOf(':');
  return { tag: colon === -1 ? undefined : lastSegment.slice(colon + 1), digest };
}

export const CONTAINER_RULES: readonly KubernetesRule[] = [
  containerRule({
    id: 'no-privileged',
    mirrors: ['CKV_K8S_16', 'kube-linter:privileged-container'],
    description: 'No container runs privileged.',
    check: (c) => (c.securityContext?.privileged === true ? ['securityContext.privileged is true; expected false'] : []),
  }),
  containerRule({
    id: 'no-privilege-escalation',
    mirrors: ['CKV_K8S_20', 'kube-linter:privilege-escalation-container'],
    description: 'Every container sets allowPrivilegeEscalation: false.',
    check: (c) =>
      c.securityContext?.allowPrivilegeEscalation === false
        ? []
        : [
            `securityContext.allowPrivilegeEscalation is ${JSON.stringify(c.securityContext?.allowPrivilegeEscalation ?? 'unset')}; expected false`,
          ],
  }),
  containerRule({
    id: 'run-as-non-root',
    mirrors: ['CKV_K8S_23', 'kube-linter:run-as-non-root'],
    description: 'Every container runs with runAsNonRoot: true and a non-zero UID.',
    check: (c, owner) => {
      const problems: string[] = [];
      if (effectiveNonRoot(c, owner) !== true) problems.push('runAsNonRoot is not true (container or pod securityContext); expected true');
      if (effectiveUser(c, owner) === 0) problems.push('runAsUser is 0 (root); expected a non-zero UID');
      return problems;
    },
  }),
  containerRule({
    id: 'high-uid',
    mirrors: ['CKV_K8S_40'],
    description: `Every container runs as a fixed UID of at least ${MIN_HIGH_UID}, clear of host users.`,
    check: (c, owner) => {
      const uid = effectiveUser(c, owner);
      return uid !== undefined && uid >= MIN_HIGH_UID ? [] : [`runAsUser is ${uid ?? 'unset'}; expected a fixed UID >= ${MIN_HIGH_UID}`];
    },
  }),
  containerRule({
    id: 'read-only-root-filesystem',
    mirrors: ['CKV_K8S_22', 'kube-linter:no-read-only-root-fs'],
    description: 'Every container mounts its root filesystem read-only.',
    check: (c) =>
      c.securityContext?.readOnlyRootFilesystem === true ? [] : ['securityContext.readOnlyRootFilesystem is not true; expected true'],
  }),
  containerRule({
    id: 'drop-all-capabilities',
    mirrors: ['CKV_K8S_28', 'CKV_K8S_37', 'kube-linter:drop-net-raw-capability'],
    description: 'Every container drops ALL capabilities and adds none.',
    check: (c) => {
      const caps = c.securityContext?.capabilities;
      const problems: string[] = [];
      if (!caps?.drop?.includes('ALL')) problems.push(`capabilities.drop is ${JSON.stringify(caps?.drop ?? [])}; expected ["ALL"]`);
      if (caps?.add?.length) problems.push(`capabilities.add is ${JSON.stringify(caps.add)}; expected none`);
      return problems;
    },
  }),
  containerRule({
    id: 'seccomp-runtime-default',
    mirrors: ['CKV_K8S_31'],
    description: 'Every container runs under the RuntimeDefault (or a Localhost) seccomp profile.',
    check: (c, owner) => {
      const type = c.securityContext?.seccompProfile?.type ?? owner.spec.securityContext?.seccompProfile?.type;
      return type === 'RuntimeDefault' || type === 'Localhost'
        ? []
        : [`seccompProfile.type is ${JSON.stringify(type ?? 'unset')}; expected "RuntimeDefault"`];
    },
  }),
  containerRule({
    id: 'resources-set',
    mirrors: [
      'CKV_K8S_10',
      'CKV_K8S_11',
      'CKV_K8S_12',
      'CKV_K8S_13',
      'kube-linter:unset-cpu-requirements',
      'kube-linter:unset-memory-requirements',
    ],
    description: 'Every container requests and limits CPU and memory.',
    check: (c) =>
      (['requests', 'limits'] as const).flatMap((kind) =>
        (['cpu', 'memory'] as const)
          .filter((r) => c.resources?.[kind]?.[r] === undefined)
          .map((r) => `resources.${kind}.${r} is unset; expected a quantity`),
      ),
  }),
  containerRule({
    id: 'pinned-image',
    mirrors: ['CKV_K8S_14', 'CKV_K8S_43', 'kube-linter:latest-tag'],
    description: 'Every image is pinned: a version tag other than latest, or a sha256 digest.',
    check: (c) => {
      if (!c.image) return ['image is unset'];
      const { tag, digest } = imageTag(c.image);
      if (digest?.startsWith('sha256:')) return [];
      return !tag || tag === 'latest'
        ? [`image ${JSON.stringify(c.image)} is not pinned; expected a version tag other than latest, or @sha256:<digest>`]
        : [];
    },
  }),
  containerRule({
    id: 'image-pull-always',
    mirrors: ['CKV_K8S_15'],
    description: 'Every image is pulled with imagePullPolicy: Always (registry credentials checked for every pod).',
    check: (c) =>
      c.imagePullPolicy === 'Always' ? [] : [`imagePullPolicy is ${JSON.stringify(c.imagePullPolicy ?? 'unset')}; expected "Always"`],
  }),
  containerRule({
    id: 'probes',
    mirrors: ['CKV_K8S_8', 'CKV_K8S_9', 'kube-linter:no-liveness-probe', 'kube-linter:no-readiness-probe'],
    description: 'Every main container of a long-running workload has liveness and readiness probes.',
    appliesTo: (owner, init) => owner.longRunning && !init,
    check: (c) => [
      ...(c.livenessProbe ? [] : ['livenessProbe is unset; expected a probe on the health check']),
      ...(c.readinessProbe ? [] : ['readinessProbe is unset; expected a probe on the health check']),
    ],
  }),
];
