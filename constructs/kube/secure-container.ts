/**
 * One container with Switchyard's secure defaults: non-root with a fixed UID/GID, read-only root
 * filesystem (writable directories are explicit emptyDirs), no privilege escalation, every
 * capability dropped, seccomp RuntimeDefault, a pinned image, requests and limits, and probes on
 * the program's health check. Secrets reach it only by reference (secretKeyRef).
 */
import { resourceProblems, resourceRequirements, type ComputeResources } from './compute-resources';
import { containerProbes, type HealthProbes } from './health-probes';
import { imageProblems, imageString, type ImageReference } from './image-reference';
import { Quantity, type Container, type EnvVar, type SecurityContext, type Volume, type VolumeMount } from './k8s';

/** A key of a Secret the operator (or another construct) creates; the value never enters a manifest. */
export interface SecretKeyReference {
  readonly secretName: string;
  readonly key: string;
}

/** An environment value: literal text, or a key of a Secret. */
export type EnvValue = string | SecretKeyReference;

/** A writable directory on the read-only root filesystem: an emptyDir mounted at `mountPath`. */
export interface ScratchDirectory {
  /** Volume name, unique in the pod; containers naming the same scratch directory share it. */
  readonly name: string;
  readonly mountPath: string;
  /**
   * Most the directory may hold before the pod is evicted.
   * @default '256Mi'
   */
  readonly sizeLimit?: string;
  /**
   * 'Memory' for a tmpfs (e.g. /dev/shm); its contents count against the container's memory.
   * @default - node disk
   */
  readonly medium?: 'Memory';
}

/** The user a pod's containers run as. Images built for a fixed user (redis, postgres) name theirs. */
export interface RunAsUser {
  readonly userId: number;
  readonly groupId: number;
  /**
   * Extra groups of the pod's processes, e.g. the host's `video` group for GPU device files.
   * @default - none
   */
  readonly supplementalGroups?: readonly number[];
}

/** The distroless `nonroot` user, a common unprivileged default. */
export const DEFAULT_RUN_AS: RunAsUser = { userId: 65532, groupId: 65532 };

export interface SecureContainerProps {
  readonly name: string;
  readonly image: ImageReference;
  /** @default - the image's entrypoint */
  readonly command?: readonly string[];
  /** @default - the image's command */
  readonly args?: readonly string[];
  /**
   * Environment, in order (a value may refer to an earlier variable as `$(NAME)`).
   * @default - none
   */
  readonly env?: Readonly<Record<string, EnvValue>>;
  /** @default - none */
  readonly ports?: readonly { readonly name: string; readonly port: number }[];
  readonly resources: ComputeResources;
  /**
   * Startup, readiness and liveness probes. Required on long-running workloads.
   * @default - no probes (Jobs)
   */
  readonly health?: HealthProbes;
  /** @default - none: the root filesystem stays entirely read-only */
  readonly scratch?: readonly ScratchDirectory[];
  /** Mounts of the pod's other volumes (PVCs, Secrets, ConfigMaps). @default - none */
  readonly mounts?: readonly VolumeMount[];
}

export function isSecretKeyReference(value: EnvValue): value is SecretKeyReference {
  return typeof value === 'object';
}

function envVar(name: string, value: EnvValue): EnvVar {
  return isSecretKeyReference(value)
    ? { name, valueFrom: { secretKeyRef: { name: value.secretName, key: value.key, optional: false } } }
    : { name, value };
}

/** The restricted container security context (Pod Security Standard "restricted" and then some). */
export function restrictedSecurityContext(user: RunAsUser, writableRootFilesystem = false): SecurityContext {
  return {
    runAsNonRoot: true,
    runAsUser: user.userId,
    runAsGroup: user.groupId,
    allowPrivilegeEscalation: false,
    privileged: false,
    readOnlyRootFilesystem: !writableRootFilesystem,
    capabilities: { drop: ['ALL'] },
    seccompProfile: { type: 'RuntimeDefault' },
  };
}

export function scratchVolume(dir: ScratchDirectory): Volume {
  return { name: dir.name, emptyDir: { medium: dir.medium, sizeLimit: Quantity.fromString(dir.sizeLimit ?? '256Mi') } };
}

/** The container spec. `writableRootFilesystem` is only ever set through a recorded exception. */
export function secureContainer(props: SecureContainerProps, user: RunAsUser, writableRootFilesystem = false): Container {
  const scratchMounts: VolumeMount[] = (props.scratch ?? []).map((dir) => ({ name: dir.name, mountPath: dir.mountPath }));
  const mounts = [...scratchMounts, ...(props.mounts ?? [])];
  return {
    name: props.name,
    image: imageString(props.image),
    imagePullPolicy: 'Always',
    command: props.command ? [...props.command] : undefined,
    args: props.args ? [...props.args] : undefined,
    env: props.env ? Object.entries(props.env).map(([name, value]) => envVar(name, value)) : undefined,
    ports: props.ports?.map((p) => ({ name: p.name, containerPort: p.port, protocol: 'TCP' })),
    resources: resourceRequirements(props.resources),
    ...(props.health ? containerProbes(props.health) : {}),
    volumeMounts: mounts.length > 0 ? mounts : undefined,
    securityContext: restrictedSecurityContext(user, writableRootFilesystem),
    terminationMessagePolicy: 'FallbackToLogsOnError',
  };
}

/** What is wrong with the containers' images and resources, each message naming the container. */
export function containerProblems(containers: readonly SecureContainerProps[]): string[] {
  return containers.flatMap((c) => [
    ...imageProblems(c.image).map((p) => `container ${c.name}: ${p}`),
    ...resourceProblems(c.name, c.resources),
  ]);
}
