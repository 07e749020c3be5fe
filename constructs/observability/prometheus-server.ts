/**
 * The platform's Prometheus: a StatefulSet with its TSDB on a PVC, retention by time and by size
 * (85% of the volume, so it never fills), the generated config and rule files from ConfigMaps
 * (a checksum on the pod rolls it when either changes), and least-privilege discovery RBAC.
 * It calls the Kubernetes API for discovery and the kubelets with its token: the one recorded
 * exception to "no ServiceAccount token".
 */
import { createHash } from 'node:crypto';
import { Construct } from 'constructs';
import { stringify } from 'yaml';
import { binarySizeMebibytes, MIN_PROMETHEUS_VOLUME_MEBIBYTES } from '../../config/observability';
import type { PrometheusConfig } from '../../observability/prometheus-config';
import { IN_CLUSTER_PATHS } from '../../observability/prometheus-config';
import { type RuleGroup, renderRuleFile } from '../../observability/rule-group';
import type { PodGroup } from '../kube/allow-traffic';
import type { ComputeResources } from '../kube/compute-resources';
import type { ImageReference } from '../kube/image-reference';
import { KubeConfigMap } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import type { SecretKeyReference } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';
import { DiscoveryRbac } from './discovery-rbac';

export const PROMETHEUS_PORT = 9090;
export const PROMETHEUS_IMAGE: ImageReference = { repository: 'quay.io/prometheus/prometheus', tag: 'v3.5.0' };

export interface PrometheusServerProps {
  readonly instance: string;
  readonly namespace: string;
  readonly config: PrometheusConfig;
  readonly ruleGroups: readonly RuleGroup[];
  /** Namespaces whose pods it discovers (it gets `list`/`watch` on pods there). */
  readonly podNamespaces: readonly string[];
  /** e.g. 15d. */
  readonly retention: string;
  /** PVC size in Mi, Gi or Ti, at least 1Gi, e.g. 50Gi (the config schema checks it). */
  readonly storageSize: string;
  readonly storageClassName: string;
  /**
   * Secrets in Prometheus's namespace holding scrape credentials, mounted read-only (optional: a
   * missing Secret fails only that job's scrapes).
   * @default - none
   */
  readonly scrapeSecrets?: readonly SecretKeyReference[];
  /** @default PROMETHEUS_IMAGE */
  readonly image?: ImageReference;
  /** @default 250m/1 CPU, 1Gi/2Gi memory */
  readonly resources?: ComputeResources;
}

/** Prometheus's size units, base 2 as it counts them (1GB = 1024MB), largest first. */
const RETENTION_UNITS = [
  { unit: 'TB', mebibytes: 1024 * 1024 },
  { unit: 'GB', mebibytes: 1024 },
  { unit: 'MB', mebibytes: 1 },
] as const;

/**
 * `--storage.tsdb.retention.size`: 85% of the volume, rounded down to a whole number in the largest
 * unit that still leaves at least two digits (50Gi: 42GB; 1Gi: 870MB; 2Ti: 1740GB), so rounding
 * never takes more than a tenth of it and never rounds up to the whole volume.
 */
export function retentionSize(storageSize: string): string {
  const mebibytes = binarySizeMebibytes(storageSize);
  if (mebibytes === undefined || mebibytes < MIN_PROMETHEUS_VOLUME_MEBIBYTES)
    throw new Error(
      `PrometheusServer storageSize is ${JSON.stringify(storageSize)}; expected a size in Mi, Gi or Ti of at least 1Gi, such as 50Gi`,
    );
  const budget = mebibytes * 0.85;
  const { unit, mebibytes: per } = RETENTION_UNITS.find((u) => budget / u.mebibytes >= 10) ?? RETENTION_UNITS[2];
  return `${Math.floor(budget / per)}${unit}`;
}

export class PrometheusServer extends Construct {
  readonly pods: PodGroup;
  /** The in-cluster URL, e.g. http://prometheus.ai-observability.svc.cluster.local:9090. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: PrometheusServerProps) {
    super(scope, id);
    const labels = workloadLabels({ name: 'prometheus', component: 'monitoring', instance: props.instance });
    const configText = stringify(props.config, { lineWidth: 0 });
    const rulesText = renderRuleFile(props.ruleGroups);
    const configMap = new KubeConfigMap(this, 'Config', {
      metadata: { name: 'prometheus-config', namespace: props.namespace, labels },
      data: { 'prometheus.yml': configText },
    });
    const rules = new KubeConfigMap(this, 'Rules', {
      metadata: { name: 'prometheus-rules', namespace: props.namespace, labels },
      data: { 'platform.yaml': rulesText },
    });
    const secrets = props.scrapeSecrets ?? [];

    const workload = new SecureWorkload(this, 'Workload', {
      name: 'prometheus',
      component: 'monitoring',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      runAs: { userId: 65534, groupId: 65534 },
      container: {
        name: 'prometheus',
        image: props.image ?? PROMETHEUS_IMAGE,
        args: [
          '--config.file=/etc/prometheus/config/prometheus.yml',
          '--storage.tsdb.path=/prometheus',
          `--storage.tsdb.retention.time=${props.retention}`,
          `--storage.tsdb.retention.size=${retentionSize(props.storageSize)}`,
          `--web.listen-address=:${PROMETHEUS_PORT}`,
        ],
        ports: [{ name: 'http', port: PROMETHEUS_PORT }],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '2Gi' },
        health: {
          readiness: { httpGet: { path: '/-/ready', port: 'http' } },
          liveness: { httpGet: { path: '/-/healthy', port: 'http' } },
          startupBudgetSeconds: 600,
        },
        mounts: [
          { name: 'config', mountPath: '/etc/prometheus/config', readOnly: true },
          { name: 'rules', mountPath: IN_CLUSTER_PATHS.rulesDir, readOnly: true },
          ...secrets.map((s) => ({
            name: `secret-${s.secretName}`,
            mountPath: `${IN_CLUSTER_PATHS.secretsDir}/${s.secretName}`,
            readOnly: true,
          })),
        ],
      },
      volumes: [
        { name: 'config', configMap: { name: configMap.name } },
        { name: 'rules', configMap: { name: rules.name } },
        ...secrets.map((s) => ({
          name: `secret-${s.secretName}`,
          secret: { secretName: s.secretName, optional: true, items: [{ key: s.key, path: s.key }] },
        })),
      ],
      persistentStorage: [{ name: 'data', mountPath: '/prometheus', size: props.storageSize, storageClassName: props.storageClassName }],
      podAnnotations: {
        'switchyard.dev/config-checksum': createHash('sha256').update(configText).update(rulesText).digest('hex').slice(0, 16),
      },
      exceptions: {
        kubernetesApiToken: 'Prometheus discovers pods and nodes through the Kubernetes API and authenticates to kubelets with its token',
      },
    });
    this.pods = workload.pods;
    this.url = `http://${workload.serviceHost}:${PROMETHEUS_PORT}`;

    new DiscoveryRbac(this, 'Discovery', {
      serviceAccount: { name: 'prometheus', namespace: props.namespace },
      podNamespaces: props.podNamespaces,
      labels,
      clusterName: `${props.instance}-prometheus`,
    });
  }
}
