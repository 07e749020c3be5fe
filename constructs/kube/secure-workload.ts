/**
 * SecureWorkload: a long-running workload (Deployment or StatefulSet) with Switchyard's secure
 * defaults and everything that belongs with it: its own ServiceAccount (token not mounted), a
 * ClusterIP Service for its ports (plus the headless Service a StatefulSet governs), a
 * PodDisruptionBudget, zone spread when it runs more than one replica, and an optional
 * HorizontalPodAutoscaler.
 *
 * Built on the raw Kubernetes objects (k8s.ts) rather than cdk8s-plus-28: cdk8s-plus adds its own
 * `cdk8s.io/metadata.addr` pod selector (our selectors must equal `selectorLabels`, which
 * charts/pod-groups.ts and the network policies rely on), has no PodDisruptionBudget, spreads
 * with pod anti-affinity rather than topologySpreadConstraints, has no pod-level seccomp, and
 * writes its own NetworkPolicies; working around each would be more code than this file.
 *
 * Weakening a default takes a named entry in `exceptions` with the reason; it is annotated on the
 * object (`exempt.policy.switchyard.dev/<rule>`) and reported as a synth warning.
 */
import { Construct } from 'constructs';
import {
  IntOrString,
  KubeDeployment,
  KubeHorizontalPodAutoscalerV2,
  KubePodDisruptionBudget,
  KubeService,
  KubeStatefulSet,
  Quantity,
  type KubePersistentVolumeClaimProps,
  type PodTemplateSpec,
  type Volume,
} from './k8s';
import type { PodGroup } from './allow-traffic';
import { containerProblems, type RunAsUser, type SecureContainerProps } from './secure-container';
import { securePodSpec, type PodScheduling } from './secure-pod-spec';
import { policyExemptionKey, recordSecurityException } from './security-exception';
import { identityLabels, identityProblems, podGroupOf, workloadServiceAccount, type WorkloadIdentityProps } from './workload-identity';

/** Explicit exceptions to the secure defaults, each with the reason it is needed. */
export interface WorkloadExceptions {
  /**
   * Mount the ServiceAccount token, because the workload calls the Kubernetes API (give it RBAC).
   * @default - not mounted
   */
  readonly kubernetesApiToken?: string;
  /**
   * Leave the main container's root filesystem writable, because the program writes outside any
   * directory it lets you configure.
   * @default - read-only
   */
  readonly writableRootFilesystem?: string;
}

/** Policy rule ids an exception exempts the workload from (policy/kubernetes/ uses the same ids). */
export const EXCEPTION_RULES: Readonly<Record<keyof WorkloadExceptions, string>> = {
  kubernetesApiToken: 'no-service-account-token',
  writableRootFilesystem: 'read-only-root-filesystem',
};

/** A PersistentVolumeClaim per replica (StatefulSet only), mounted into the main container. */
export interface PersistentStorage {
  /** Claim template name; the claim is `<name>-<workload>-<ordinal>`. */
  readonly name: string;
  readonly mountPath: string;
  /** Capacity, e.g. 20Gi. */
  readonly size: string;
  /** The profile's storage class (config.storage.storageClass), or a local class for a pre-made PV. */
  readonly storageClassName: string;
  /**
   * Bind to this pre-created PersistentVolume (e.g. a homelab host path).
   * @default - dynamically provisioned
   */
  readonly volumeName?: string;
}

export interface SecureWorkloadProps extends WorkloadIdentityProps {
  /** @default 'Deployment' */
  readonly kind?: 'Deployment' | 'StatefulSet';
  /** @default 1 (ignored when `autoscaling` is set) */
  readonly replicas?: number;
  /**
   * A HorizontalPodAutoscaler on CPU; the controller then leaves `replicas` to it.
   * @default - fixed `replicas`
   */
  readonly autoscaling?: { readonly minReplicas: number; readonly maxReplicas: number; readonly cpuUtilizationPercent?: number };
  /** The main container; its ports become the Service's. */
  readonly container: SecureContainerProps;
  /** @default - none */
  readonly initContainers?: readonly SecureContainerProps[];
  /** @default - 65532:65532 */
  readonly runAs?: RunAsUser;
  /** @default - none */
  readonly volumes?: readonly Volume[];
  /** @default - none */
  readonly persistentStorage?: readonly PersistentStorage[];
  /** @default - any node */
  readonly scheduling?: PodScheduling;
  /** Pod annotations, e.g. a checksum of mounted config to roll pods on change. @default - none */
  readonly podAnnotations?: Readonly<Record<string, string>>;
  /** @default 30 */
  readonly terminationGracePeriodSeconds?: number;
  /** @default - none */
  readonly exceptions?: WorkloadExceptions;
}

export class SecureWorkload extends Construct {
  /** The pods, as a network-policy peer for `allowTraffic`. */
  readonly pods: PodGroup;
  /** The in-cluster DNS name of the Service, e.g. ollama.ai-models.svc.cluster.local. */
  readonly serviceHost: string;
  readonly name: string;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: SecureWorkloadProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    this.pods = podGroupOf(props);
    this.serviceHost = `${props.name}.${props.namespace}.svc.cluster.local`;
    const kind = props.kind ?? 'Deployment';
    const { labels, selector } = identityLabels(props);
    const exceptions = props.exceptions ?? {};
    const replicas = props.autoscaling ? props.autoscaling.minReplicas : (props.replicas ?? 1);

    this.node.addValidation({ validate: () => workloadProblems(props, kind) });

    const annotations: Record<string, string> = {};
    for (const [key, reason] of Object.entries(exceptions) as [keyof WorkloadExceptions, string | undefined][]) {
      if (!reason) continue;
      annotations[policyExemptionKey(EXCEPTION_RULES[key])] = reason;
      recordSecurityException(this, `${props.namespace}/${props.name}: ${key} (${reason})`);
    }

    const serviceAccount = workloadServiceAccount(this, props, Boolean(exceptions.kubernetesApiToken));
    const template: PodTemplateSpec = {
      metadata: { labels, annotations: props.podAnnotations ? { ...props.podAnnotations } : undefined },
      spec: securePodSpec({
        serviceAccountName: serviceAccount.name,
        containers: [props.container],
        initContainers: props.initContainers,
        runAs: props.runAs,
        volumes: props.volumes,
        scheduling: props.scheduling,
        spreadSelector: replicas > 1 || (props.autoscaling?.maxReplicas ?? 0) > 1 ? selector : undefined,
        mountServiceAccountToken: Boolean(exceptions.kubernetesApiToken),
        writableRootFilesystem: exceptions.writableRootFilesystem ? [props.container.name] : [],
        terminationGracePeriodSeconds: props.terminationGracePeriodSeconds,
      }),
    };
    const metadata = {
      name: props.name,
      namespace: props.namespace,
      labels,
      annotations: Object.keys(annotations).length > 0 ? annotations : undefined,
    };
    const servicePorts = (props.container.ports ?? []).map((p) => ({
      name: p.name,
      port: p.port,
      targetPort: IntOrString.fromString(p.name),
      protocol: 'TCP',
    }));
    const fixedReplicas = props.autoscaling ? undefined : replicas;

    if (kind === 'StatefulSet') {
      const headless = `${props.name}-headless`;
      new KubeService(this, 'HeadlessService', {
        metadata: { name: headless, namespace: props.namespace, labels },
        spec: { clusterIp: 'None', selector, ports: servicePorts, publishNotReadyAddresses: true },
      });
      new KubeStatefulSet(this, 'Resource', {
        metadata,
        spec: {
          serviceName: headless,
          replicas: fixedReplicas,
          selector: { matchLabels: selector },
          podManagementPolicy: 'OrderedReady',
          updateStrategy: { type: 'RollingUpdate' },
          template: withStorageMounts(template, props.persistentStorage ?? []),
          volumeClaimTemplates: (props.persistentStorage ?? []).map((s) => claimTemplate(s, labels)),
        },
      });
    } else {
      new KubeDeployment(this, 'Resource', {
        metadata,
        spec: {
          replicas: fixedReplicas,
          selector: { matchLabels: selector },
          strategy: {
            type: 'RollingUpdate',
            rollingUpdate: { maxUnavailable: IntOrString.fromNumber(0), maxSurge: IntOrString.fromNumber(1) },
          },
          template,
        },
      });
    }

    if (servicePorts.length > 0)
      new KubeService(this, 'Service', {
        metadata: { name: props.name, namespace: props.namespace, labels },
        spec: { type: 'ClusterIP', selector, ports: servicePorts },
      });

    // maxUnavailable 1 (not minAvailable) so a single replica never blocks a node drain.
    new KubePodDisruptionBudget(this, 'DisruptionBudget', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: { maxUnavailable: IntOrString.fromNumber(1), selector: { matchLabels: selector } },
    });

    if (props.autoscaling)
      new KubeHorizontalPodAutoscalerV2(this, 'Autoscaler', {
        metadata: { name: props.name, namespace: props.namespace, labels },
        spec: {
          scaleTargetRef: { apiVersion: 'apps/v1', kind, name: props.name },
          minReplicas: props.autoscaling.minReplicas,
          maxReplicas: props.autoscaling.maxReplicas,
          metrics: [
            {
              type: 'Resource',
              resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: props.autoscaling.cpuUtilizationPercent ?? 70 } },
            },
          ],
        },
      });
  }
}

function withStorageMounts(template: PodTemplateSpec, storage: readonly PersistentStorage[]): PodTemplateSpec {
  if (storage.length === 0 || !template.spec) return template;
  const [main, ...rest] = template.spec.containers;
  const mounts = [...(main.volumeMounts ?? []), ...storage.map((s) => ({ name: s.name, mountPath: s.mountPath }))];
  return { ...template, spec: { ...template.spec, containers: [{ ...main, volumeMounts: mounts }, ...rest] } };
}

function claimTemplate(storage: PersistentStorage, labels: Record<string, string>): KubePersistentVolumeClaimProps {
  return {
    metadata: { name: storage.name, labels },
    spec: {
      accessModes: ['ReadWriteOnce'],
      storageClassName: storage.storageClassName,
      volumeName: storage.volumeName,
      resources: { requests: { storage: Quantity.fromString(storage.size) } },
    },
  };
}

/** Everything wrong with the props, each message naming the prop and value. */
export function workloadProblems(props: SecureWorkloadProps, kind: 'Deployment' | 'StatefulSet'): string[] {
  const problems = [...identityProblems(props), ...containerProblems([props.container, ...(props.initContainers ?? [])])];
  if (!props.container.health)
    problems.push(`container ${props.container.name}: health is missing; a long-running workload needs probes on its health check`);
  if (kind === 'Deployment' && (props.persistentStorage?.length ?? 0) > 0)
    problems.push('persistentStorage needs kind "StatefulSet" (a Deployment\'s replicas would share one ReadWriteOnce claim)');
  if (props.replicas !== undefined && (!Number.isInteger(props.replicas) || props.replicas < 1))
    problems.push(`replicas is ${props.replicas}; expected a whole number of at least 1`);
  if (props.autoscaling && props.autoscaling.minReplicas > props.autoscaling.maxReplicas)
    problems.push(
      `autoscaling.minReplicas (${props.autoscaling.minReplicas}) is above autoscaling.maxReplicas (${props.autoscaling.maxReplicas})`,
    );
  return problems;
}
