/**
 * Homelab model storage on a host path (e.g. /mnt/evo4t on the GPU box) as a `local`
 * PersistentVolume: pinned to its node by node affinity, so Ollama is scheduled where its models
 * are; reclaimed with Retain, so deleting the claim never deletes models. The volume is
 * pre-bound to Ollama's claim, and its StorageClass (no provisioner, WaitForFirstConsumer) exists
 * only to match the two.
 *
 * The directory must exist on the node and be writable by Ollama's group (GID 65532): kubelet
 * does not change ownership of local volumes. See docs/workloads.md.
 */
import { Construct } from 'constructs';
import { KubePersistentVolume, KubeStorageClass, Quantity } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';

export interface LocalModelVolumeProps {
  readonly instance: string;
  /** Absolute directory on the node. */
  readonly hostPath: string;
  /** The node's name (its kubernetes.io/hostname label). */
  readonly nodeName: string;
  /** Capacity, e.g. 1500Gi. */
  readonly size: string;
  /** The claim that may bind it. */
  readonly claim: { readonly namespace: string; readonly name: string };
}

export class LocalModelVolume extends Construct {
  readonly volumeName: string;
  readonly storageClassName: string;

  constructor(scope: Construct, id: string, props: LocalModelVolumeProps) {
    super(scope, id);
    this.volumeName = `${props.instance}-ollama-models`;
    this.storageClassName = `${props.instance}-local-models`;
    const labels = workloadLabels({ name: 'ollama', component: 'model-storage', instance: props.instance });

    new KubeStorageClass(this, 'StorageClass', {
      metadata: { name: this.storageClassName, labels },
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
      reclaimPolicy: 'Retain',
    });

    new KubePersistentVolume(this, 'Resource', {
      metadata: { name: this.volumeName, labels },
      spec: {
        capacity: { storage: Quantity.fromString(props.size) },
        accessModes: ['ReadWriteOnce'],
        volumeMode: 'Filesystem',
        persistentVolumeReclaimPolicy: 'Retain',
        storageClassName: this.storageClassName,
        claimRef: { namespace: props.claim.namespace, name: props.claim.name },
        local: { path: props.hostPath },
        nodeAffinity: {
          required: {
            nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: [props.nodeName] }] }],
          },
        },
      },
    });
  }
}
