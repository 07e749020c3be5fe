/**
 * Ollama, the private model server: a StatefulSet whose models live on a volume (never an
 * emptyDir), running non-root with HOME and OLLAMA_MODELS on that volume, on GPU nodes when the
 * profile has them (the ROCm build of the image on AMD) or on CPU. Reached on port 11434 only by
 * the pods the chart allows (the gateway and the model-pull Job); it reaches the internet on 443 to
 * download models.
 */
import { Construct } from 'constructs';
import type { ComputeResources } from '../kube/compute-resources';
import type { ImageReference } from '../kube/image-reference';
import type { PodGroup } from '../kube/allow-traffic';
import { SecureWorkload } from '../kube/secure-workload';
import { DEFAULT_RUN_AS } from '../kube/secure-container';
import { VIDEO_GROUP_ID, type GpuScheduling } from './gpu-scheduling';

/** The Ollama release every image variant below is pinned to. */
export const OLLAMA_VERSION = '0.24.0';
export const OLLAMA_IMAGE: ImageReference = { repository: 'docker.io/ollama/ollama', tag: OLLAMA_VERSION };
/** The ROCm build, for AMD GPUs. */
export const OLLAMA_ROCM_IMAGE: ImageReference = { repository: 'docker.io/ollama/ollama', tag: `${OLLAMA_VERSION}-rocm` };
export const OLLAMA_PORT = 11434;

/** Where the models volume is mounted; HOME and OLLAMA_MODELS live under it. */
const DATA_DIR = '/ollama';

export interface OllamaStorage {
  /** Capacity, e.g. 200Gi. */
  readonly size: string;
  readonly storageClassName: string;
  /**
   * A pre-created PersistentVolume to bind (homelab host path).
   * @default - dynamically provisioned
   */
  readonly volumeName?: string;
}

export interface OllamaProps {
  /** The release instance: the platform config's name. */
  readonly instance: string;
  readonly namespace: string;
  readonly storage: OllamaStorage;
  readonly resources: ComputeResources;
  /**
   * GPUs and where they are.
   * @default - CPU only
   */
  readonly gpu?: GpuScheduling;
  /**
   * @default - OLLAMA_IMAGE, or OLLAMA_ROCM_IMAGE on AMD GPUs
   */
  readonly image?: ImageReference;
  /**
   * How long a model stays loaded after its last request (OLLAMA_KEEP_ALIVE).
   * @default '30m'
   */
  readonly keepAlive?: string;
}

export class Ollama extends Construct {
  /** The claim template name; a homelab PersistentVolume pre-binds to `<claim>-ollama-0`. */
  static readonly MODELS_CLAIM = 'models';
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  /** The base URL clients (gateway, model pull) use. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: OllamaProps) {
    super(scope, id);
    const amd = props.gpu?.vendor === 'amd';
    this.workload = new SecureWorkload(this, 'Workload', {
      name: 'ollama',
      component: 'model-server',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      runAs: amd ? { ...DEFAULT_RUN_AS, supplementalGroups: [VIDEO_GROUP_ID] } : DEFAULT_RUN_AS,
      container: {
        name: 'ollama',
        image: props.image ?? (amd ? OLLAMA_ROCM_IMAGE : OLLAMA_IMAGE),
        command: ['/bin/ollama'],
        args: ['serve'],
        env: {
          OLLAMA_HOST: `0.0.0.0:${OLLAMA_PORT}`,
          HOME: `${DATA_DIR}/home`,
          OLLAMA_MODELS: `${DATA_DIR}/models`,
          OLLAMA_KEEP_ALIVE: props.keepAlive ?? '30m',
        },
        ports: [{ name: 'http', port: OLLAMA_PORT }],
        resources: { ...props.resources, extended: props.gpu ? { [props.gpu.resourceName]: props.gpu.count } : undefined },
        health: {
          startup: { httpGet: { path: '/', port: 'http' } },
          readiness: { httpGet: { path: '/api/version', port: 'http' } },
          liveness: { httpGet: { path: '/api/version', port: 'http' } },
        },
        scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '1Gi' }],
      },
      persistentStorage: [{ name: Ollama.MODELS_CLAIM, mountPath: DATA_DIR, ...props.storage }],
      scheduling: props.gpu?.scheduling,
      terminationGracePeriodSeconds: 60,
    });
    this.pods = this.workload.pods;
    this.url = `http://${this.workload.serviceHost}:${OLLAMA_PORT}`;
  }
}
