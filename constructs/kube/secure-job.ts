/**
 * SecureJob: a run-to-completion task (model pulls, bucket setup) with the same secure pod defaults
 * as SecureWorkload and its own ServiceAccount. Jobs carry no probes or PodDisruptionBudget: they
 * are not long-running and have no health endpoint. Their pod template is immutable, so callers
 * that change what a Job does give it a new `jobName` (e.g. with a hash of its inputs); the old one
 * is pruned and the new one runs once.
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { KubeJob, type Volume } from './k8s';
import type { PodGroup } from './allow-traffic';
import { containerProblems, type RunAsUser, type SecureContainerProps } from './secure-container';
import { securePodSpec, type PodScheduling } from './secure-pod-spec';
import { identityLabels, identityProblems, podGroupOf, workloadServiceAccount, type WorkloadIdentityProps } from './workload-identity';

export interface SecureJobProps extends WorkloadIdentityProps {
  /**
   * The Job object's name.
   * @default - `name`
   */
  readonly jobName?: string;
  /** The container that does the work. */
  readonly container: SecureContainerProps;
  /** Steps run in order before `container`. @default - none */
  readonly initContainers?: readonly SecureContainerProps[];
  /** @default - 65532:65532 */
  readonly runAs?: RunAsUser;
  /** @default - none */
  readonly volumes?: readonly Volume[];
  /** @default - any node */
  readonly scheduling?: PodScheduling;
  /**
   * Pod retries before the Job fails (Kubernetes backs off exponentially between them).
   * @default 6
   */
  readonly backoffLimit?: number;
  /**
   * Wall-clock budget of the whole Job, retries included.
   * @default 3600
   */
  readonly activeDeadlineSeconds?: number;
}

export class SecureJob extends Construct {
  /** The Job's pods, as a network-policy peer for `allowTraffic`. */
  readonly pods: PodGroup;
  readonly jobName: string;

  constructor(scope: Construct, id: string, props: SecureJobProps) {
    super(scope, id);
    this.pods = podGroupOf(props);
    this.jobName = props.jobName ?? props.name;
    const { labels } = identityLabels(props);

    this.node.addValidation({
      validate: () => [...identityProblems(props), ...containerProblems([props.container, ...(props.initContainers ?? [])])],
    });

    const serviceAccount = workloadServiceAccount(this, props, false);
    new KubeJob(this, 'Resource', {
      metadata: { name: this.jobName, namespace: props.namespace, labels },
      spec: {
        backoffLimit: props.backoffLimit ?? 6,
        activeDeadlineSeconds: props.activeDeadlineSeconds ?? 3600,
        template: {
          metadata: { labels },
          spec: securePodSpec({
            serviceAccountName: serviceAccount.name,
            containers: [props.container],
            initContainers: props.initContainers,
            runAs: props.runAs,
            volumes: props.volumes,
            scheduling: props.scheduling,
            restartPolicy: 'Never',
          }),
        },
      },
    });
  }
}

/**
 * A Job name that changes when `inputs` change: `<name>-<8 hex of sha256>`. A changed Job is then a
 * new object (its template is immutable), and an unchanged one is left alone, already complete.
 */
export function hashedJobName(name: string, inputs: unknown): string {
  return `${name}-${createHash('sha256').update(JSON.stringify(inputs)).digest('hex').slice(0, 8)}`;
}
