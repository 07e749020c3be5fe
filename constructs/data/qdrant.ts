/**
 * Qdrant, the vector store for RAG: a StatefulSet with its storage on a volume, an API key from a
 * Secret (QDRANT__SERVICE__API_KEY; every API call needs it, the health endpoints do not), probes
 * on /readyz and /livez, telemetry off, and the read-only root filesystem it supports when its
 * init marker, snapshots and temp files are pointed at writable directories.
 */
import { Construct } from 'constructs';
import type { ComputeResources } from '../kube/compute-resources';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import type { SecretKeyReference } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';

export const QDRANT_IMAGE: ImageReference = { repository: 'docker.io/qdrant/qdrant', tag: 'v1.16.2' };
export const QDRANT_HTTP_PORT = 6333;
export const QDRANT_GRPC_PORT = 6334;

export interface QdrantProps {
  readonly instance: string;
  readonly namespace: string;
  readonly apiKeySecret: SecretKeyReference;
  readonly storage: { readonly size: string; readonly storageClassName: string };
  /** @default - 250m/2 CPU, 1Gi/2Gi memory */
  readonly resources?: ComputeResources;
  /** @default QDRANT_IMAGE */
  readonly image?: ImageReference;
}

export class Qdrant extends Construct {
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  /** The REST endpoint, e.g. http://qdrant.ai-data.svc.cluster.local:6333. */
  readonly url: string;

  constructor(scope: Construct, id: string, props: QdrantProps) {
    super(scope, id);
    this.workload = new SecureWorkload(this, 'Workload', {
      name: 'qdrant',
      component: 'vector-database',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      container: {
        name: 'qdrant',
        image: props.image ?? QDRANT_IMAGE,
        env: {
          QDRANT__SERVICE__API_KEY: props.apiKeySecret,
          QDRANT__SERVICE__HTTP_PORT: String(QDRANT_HTTP_PORT),
          QDRANT__SERVICE__GRPC_PORT: String(QDRANT_GRPC_PORT),
          QDRANT__STORAGE__STORAGE_PATH: '/qdrant/storage',
          QDRANT__STORAGE__SNAPSHOTS_PATH: '/qdrant/snapshots',
          QDRANT__STORAGE__TEMP_PATH: '/tmp',
          QDRANT__TELEMETRY_DISABLED: 'true',
          QDRANT_INIT_FILE_PATH: '/qdrant/init/.qdrant-initialized',
        },
        ports: [
          { name: 'http', port: QDRANT_HTTP_PORT },
          { name: 'grpc', port: QDRANT_GRPC_PORT },
        ],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '1Gi', memoryLimit: '2Gi' },
        health: {
          startup: { httpGet: { path: '/livez', port: 'http' } },
          readiness: { httpGet: { path: '/readyz', port: 'http' } },
          liveness: { httpGet: { path: '/livez', port: 'http' } },
          startupBudgetSeconds: 600,
        },
        scratch: [
          { name: 'snapshots', mountPath: '/qdrant/snapshots', sizeLimit: '10Gi' },
          { name: 'init', mountPath: '/qdrant/init', sizeLimit: '1Mi' },
          { name: 'tmp', mountPath: '/tmp', sizeLimit: '1Gi' },
        ],
      },
      persistentStorage: [{ name: 'storage', mountPath: '/qdrant/storage', ...props.storage }],
    });
    this.pods = this.workload.pods;
    this.url = `http://${this.workload.serviceHost}:${QDRANT_HTTP_PORT}`;
  }
}
