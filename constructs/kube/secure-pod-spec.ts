/**
 * The pod spec every Switchyard workload and job shares: pod-level security context (non-root,
 * fixed UID/GID and fsGroup, seccomp RuntimeDefault), no ServiceAccount token unless an exception
 * says so, no Service environment links, scratch directories as emptyDirs, scheduling, and zone
 * spread for workloads with more than one replica.
 */
import type { PodSpec, Toleration, Affinity, TopologySpreadConstraint, Volume } from './k8s';
import { DEFAULT_RUN_AS, type RunAsUser, type SecureContainerProps, scratchVolume, secureContainer } from './secure-container';

/** Where pods may run. */
export interface PodScheduling {
  /** @default - any node */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Toleration[];
  /** @default - none */
  readonly affinity?: Affinity;
}

export interface SecurePodSpecProps {
  readonly serviceAccountName: string;
  /** The containers; the first is the workload's main container. */
  readonly containers: readonly SecureContainerProps[];
  /** @default - none */
  readonly initContainers?: readonly SecureContainerProps[];
  /** @default DEFAULT_RUN_AS (65532:65532) */
  readonly runAs?: RunAsUser;
  /** Volumes other than scratch directories and claim templates. @default - none */
  readonly volumes?: readonly Volume[];
  /** @default - anywhere */
  readonly scheduling?: PodScheduling;
  /** Labels selecting this workload's pods, for zone spread. @default - no spread */
  readonly spreadSelector?: Readonly<Record<string, string>>;
  /** @default false */
  readonly mountServiceAccountToken?: boolean;
  /** Containers whose root filesystem stays writable (recorded exceptions only). @default - none */
  readonly writableRootFilesystem?: readonly string[];
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default 'Always' */
  readonly restartPolicy?: 'Always' | 'OnFailure' | 'Never';
}

/** Spread over zones, then over nodes, preferring balance but never blocking scheduling. */
export function zoneSpread(selector: Readonly<Record<string, string>>): TopologySpreadConstraint[] {
  return ['topology.kubernetes.io/zone', 'kubernetes.io/hostname'].map((topologyKey) => ({
    maxSkew: 1,
    topologyKey,
    whenUnsatisfiable: 'ScheduleAnyway',
    labelSelector: { matchLabels: { ...selector } },
  }));
}

export function securePodSpec(props: SecurePodSpecProps): PodSpec {
  const runAs = props.runAs ?? DEFAULT_RUN_AS;
  const all = [...(props.initContainers ?? []), ...props.containers];
  const scratch = new Map(all.flatMap((c) => c.scratch ?? []).map((dir) => [dir.name, scratchVolume(dir)]));
  const volumes = [...scratch.values(), ...(props.volumes ?? [])];
  const build = (c: SecureContainerProps) => secureContainer(c, runAs, props.writableRootFilesystem?.includes(c.name) ?? false);
  return {
    serviceAccountName: props.serviceAccountName,
    automountServiceAccountToken: props.mountServiceAccountToken ?? false,
    enableServiceLinks: false,
    securityContext: {
      runAsNonRoot: true,
      runAsUser: runAs.userId,
      runAsGroup: runAs.groupId,
      fsGroup: runAs.groupId,
      supplementalGroups: runAs.supplementalGroups?.length ? [...runAs.supplementalGroups] : undefined,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    },
    initContainers: props.initContainers?.length ? props.initContainers.map(build) : undefined,
    containers: props.containers.map(build),
    volumes: volumes.length > 0 ? volumes : undefined,
    nodeSelector: props.scheduling?.nodeSelector ? { ...props.scheduling.nodeSelector } : undefined,
    tolerations: props.scheduling?.tolerations?.length ? [...props.scheduling.tolerations] : undefined,
    affinity: props.scheduling?.affinity,
    topologySpreadConstraints: props.spreadSelector ? zoneSpread(props.spreadSelector) : undefined,
    terminationGracePeriodSeconds: props.terminationGracePeriodSeconds ?? 30,
    restartPolicy: props.restartPolicy,
  };
}
