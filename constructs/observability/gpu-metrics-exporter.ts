/**
 * The GPU vendor's metrics exporter as a DaemonSet on the GPU nodes: NVIDIA's DCGM exporter or
 * AMD's device-metrics-exporter. Both read the GPUs directly (device files, driver libraries) and
 * map GPUs to pods through the kubelet's pod-resources socket (a hostPath), so they need a
 * privileged pod: they run in a namespace of their own at Pod Security "privileged" (see
 * observability/platform-namespaces.ts), recorded as an exception, never in a tier namespace.
 */
import { Construct } from 'constructs';
import { GPU_EXPORTER_METRICS, type GpuVendor } from '../../observability/gpu-metrics';
import type { PodGroup } from '../kube/allow-traffic';
import { resourceRequirements } from '../kube/compute-resources';
import { imageString, type ImageReference } from '../kube/image-reference';
import { IntOrString, KubeDaemonSet, KubeServiceAccount, type Volume, type VolumeMount } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import type { PodScheduling } from '../kube/secure-pod-spec';
import { policyExemptionKey, recordSecurityException } from '../kube/security-exception';

export const GPU_EXPORTER_IMAGES: Readonly<Record<GpuVendor, ImageReference>> = {
  nvidia: { repository: 'nvcr.io/nvidia/k8s/dcgm-exporter', tag: '4.2.3-4.1.3-ubuntu22.04' },
  amd: { repository: 'docker.io/rocm/device-metrics-exporter', tag: 'v1.2.1' },
};

/** Policy rules the exporter is exempt from, with the reason (policy/kubernetes/ reads the annotations). */
export const GPU_EXPORTER_EXEMPTIONS: Readonly<Record<string, string>> = {
  'no-privileged': 'reads every GPU of the node through its device files, without requesting one',
  'no-privilege-escalation': 'privileged containers cannot set allowPrivilegeEscalation: false (the API rejects the pair)',
  'drop-all-capabilities': 'a privileged container holds every capability whatever it drops',
  'run-as-non-root': 'the vendor exporters open the GPU driver as root',
  'high-uid': 'the vendor exporters open the GPU driver as root (UID 0)',
  'no-host-path': "maps GPUs to pods through the kubelet's pod-resources socket (read-only) and, on AMD, the /dev/kfd and /dev/dri devices",
};

export interface GpuMetricsExporterProps {
  readonly instance: string;
  /** A namespace at Pod Security "privileged", for this exporter only. */
  readonly namespace: string;
  readonly vendor: GpuVendor;
  /** Where GPU workloads run (tolerations, affinity), from the models tier. */
  readonly scheduling: PodScheduling;
  /** @default GPU_EXPORTER_IMAGES[vendor] */
  readonly image?: ImageReference;
}

export class GpuMetricsExporter extends Construct {
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: GpuMetricsExporterProps) {
    super(scope, id);
    const name = props.vendor === 'nvidia' ? 'dcgm-exporter' : 'amd-metrics-exporter';
    const labels = workloadLabels({ name, component: 'gpu-metrics', instance: props.instance });
    const selector = { 'app.kubernetes.io/name': name, 'app.kubernetes.io/instance': props.instance };
    this.pods = { name, namespace: props.namespace, podLabels: selector };
    const port = GPU_EXPORTER_METRICS[props.vendor].port;
    for (const [rule, reason] of Object.entries(GPU_EXPORTER_EXEMPTIONS))
      recordSecurityException(this, `${props.namespace}/${name}: ${rule} (${reason})`);

    const volumes: Volume[] = [
      { name: 'pod-resources', hostPath: { path: '/var/lib/kubelet/pod-resources', type: 'Directory' } },
      { name: 'tmp', emptyDir: {} },
      ...(props.vendor === 'amd'
        ? [
            { name: 'dev-kfd', hostPath: { path: '/dev/kfd', type: 'CharDevice' } },
            { name: 'dev-dri', hostPath: { path: '/dev/dri', type: 'Directory' } },
          ]
        : []),
    ];
    const mounts: VolumeMount[] = [
      { name: 'pod-resources', mountPath: '/var/lib/kubelet/pod-resources', readOnly: true },
      { name: 'tmp', mountPath: '/tmp' },
      ...(props.vendor === 'amd'
        ? [
            { name: 'dev-kfd', mountPath: '/dev/kfd' },
            { name: 'dev-dri', mountPath: '/dev/dri' },
          ]
        : []),
    ];
    const env =
      props.vendor === 'nvidia'
        ? [
            { name: 'DCGM_EXPORTER_LISTEN', value: `:${port}` },
            { name: 'DCGM_EXPORTER_KUBERNETES', value: 'true' },
            { name: 'NVIDIA_VISIBLE_DEVICES', value: 'all' },
          ]
        : [];

    const serviceAccount = new KubeServiceAccount(this, 'ServiceAccount', {
      metadata: { name, namespace: props.namespace, labels },
      automountServiceAccountToken: false,
    });
    new KubeDaemonSet(this, 'Resource', {
      metadata: {
        name,
        namespace: props.namespace,
        labels,
        annotations: Object.fromEntries(
          Object.entries(GPU_EXPORTER_EXEMPTIONS).map(([rule, reason]) => [policyExemptionKey(rule), reason]),
        ),
      },
      spec: {
        selector: { matchLabels: selector },
        updateStrategy: { type: 'RollingUpdate' },
        template: {
          metadata: { labels },
          spec: {
            serviceAccountName: serviceAccount.name,
            automountServiceAccountToken: false,
            enableServiceLinks: false,
            tolerations: props.scheduling.tolerations ? [...props.scheduling.tolerations] : undefined,
            affinity: props.scheduling.affinity,
            nodeSelector: props.scheduling.nodeSelector ? { ...props.scheduling.nodeSelector } : undefined,
            containers: [
              {
                name,
                image: imageString(props.image ?? GPU_EXPORTER_IMAGES[props.vendor]),
                imagePullPolicy: 'Always',
                env,
                ports: [{ name: 'metrics', containerPort: port, protocol: 'TCP' }],
                resources: resourceRequirements({ cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '128Mi', memoryLimit: '512Mi' }),
                readinessProbe: { tcpSocket: { port: IntOrString.fromNumber(port) }, periodSeconds: 10 },
                livenessProbe: { tcpSocket: { port: IntOrString.fromNumber(port) }, periodSeconds: 20, initialDelaySeconds: 30 },
                securityContext: {
                  privileged: true,
                  runAsUser: 0,
                  runAsNonRoot: false,
                  readOnlyRootFilesystem: true,
                  seccompProfile: { type: 'RuntimeDefault' },
                },
                volumeMounts: mounts,
              },
            ],
            volumes,
          },
        },
      },
    });
  }
}
