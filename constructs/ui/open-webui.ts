/**
 * OpenWebUI, the chat UI, on the secure workload base: one replica (its SQLite database and
 * uploads live on a PersistentVolumeClaim), talking to models only through the Switchyard gateway
 * as its OpenAI-compatible backend, so compliance routing and keys apply to every chat; its own
 * Ollama connection is off. RAG uses Qdrant as the vector store and the gateway for embeddings.
 *
 * Secrets, by reference only, from one Secret (default `open-webui`) the operator creates:
 *   webui-secret-key  signs sessions (WEBUI_SECRET_KEY); without it OpenWebUI writes a random one
 *                     to its working directory, which a read-only root refuses
 *   gateway-api-key   the gateway API key OpenWebUI presents (its SHA-256 is in the gateway-api-keys Secret)
 *   qdrant-api-key    Qdrant's API key (the same value the Qdrant Secret holds)
 *
 * Writable paths: /app/backend/data (the claim), /tmp (HOME and temp files), and the static
 * directory, which OpenWebUI rewrites at start (favicons, manifest): an init container copies the
 * image's static files into an emptyDir mounted over it.
 */
import { Construct } from 'constructs';
import type { PodGroup } from '../kube/allow-traffic';
import type { ComputeResources } from '../kube/compute-resources';
import type { ImageReference } from '../kube/image-reference';
import type { EnvValue } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';

export const OPEN_WEBUI_PORT = 8080;
export const OPEN_WEBUI_DATA_DIR = '/app/backend/data';
/** Where the image keeps the static files it serves and rewrites at start. */
export const OPEN_WEBUI_STATIC_DIR = '/app/backend/open_webui/static';

/** The pinned OpenWebUI release. */
export const OPEN_WEBUI_IMAGE: ImageReference = { repository: 'ghcr.io/open-webui/open-webui', tag: 'v0.8.11' };

/** Keys of the OpenWebUI Secret. */
export const OPEN_WEBUI_SECRET_KEYS = {
  webuiSecretKey: 'webui-secret-key',
  gatewayApiKey: 'gateway-api-key',
  qdrantApiKey: 'qdrant-api-key',
} as const;

export interface OpenWebUiProps {
  readonly namespace: string;
  /** The release instance: the platform config's name. */
  readonly instance: string;
  /** The gateway's OpenAI-compatible base URL, ending in /v1. */
  readonly gatewayUrl: string;
  /** Qdrant's HTTP URL for RAG. @default - OpenWebUI's embedded vector store on the data claim */
  readonly qdrantUrl?: string;
  /** A gateway model that serves embeddings for RAG. */
  readonly embeddingModel: string;
  /** The storage class of the data claim. */
  readonly storageClassName: string;
  /** @default '10Gi' */
  readonly dataSize?: string;
  /** The URL users open, e.g. https://ai.example.com (links in emails, CORS). */
  readonly publicUrl: string;
  /** The Secret holding OPEN_WEBUI_SECRET_KEYS. @default 'open-webui' */
  readonly secretName?: string;
  /** @default OPEN_WEBUI_IMAGE */
  readonly image?: ImageReference;
  /** @default - 250m/1 CPU, 1Gi/2Gi memory */
  readonly resources?: ComputeResources;
}

export class OpenWebUi extends Construct {
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: OpenWebUiProps) {
    super(scope, id);
    const image = props.image ?? OPEN_WEBUI_IMAGE;
    const secretName = props.secretName ?? 'open-webui';
    const secret = (key: string): EnvValue => ({ secretName, key });
    const gatewayKey = secret(OPEN_WEBUI_SECRET_KEYS.gatewayApiKey);
    const staticDir = { name: 'static', mountPath: OPEN_WEBUI_STATIC_DIR, sizeLimit: '64Mi' };

    const env: Record<string, EnvValue> = {
      // The settings below win on every start; otherwise OpenWebUI keeps the first start's values
      // in its database and an admin could, for example, turn a direct Ollama connection back on.
      ENABLE_PERSISTENT_CONFIG: 'false',
      DATA_DIR: OPEN_WEBUI_DATA_DIR,
      HOME: '/tmp',
      WEBUI_URL: props.publicUrl,
      CORS_ALLOW_ORIGIN: props.publicUrl,
      WEBUI_SECRET_KEY: secret(OPEN_WEBUI_SECRET_KEYS.webuiSecretKey),
      // Models only through the Switchyard gateway: compliance routing and keys apply to every chat.
      ENABLE_OLLAMA_API: 'false',
      ENABLE_OPENAI_API: 'true',
      OPENAI_API_BASE_URL: props.gatewayUrl,
      OPENAI_API_KEY: gatewayKey,
      // Embeddings through the gateway too: no model is downloaded into the pod.
      RAG_EMBEDDING_ENGINE: 'openai',
      RAG_OPENAI_API_BASE_URL: props.gatewayUrl,
      RAG_OPENAI_API_KEY: gatewayKey,
      RAG_EMBEDDING_MODEL: props.embeddingModel,
      ...(props.qdrantUrl
        ? { VECTOR_DB: 'qdrant', QDRANT_URI: props.qdrantUrl, QDRANT_API_KEY: secret(OPEN_WEBUI_SECRET_KEYS.qdrantApiKey) }
        : {}),
      // No downloads from Hugging Face, no update checks, no telemetry: the pod has no internet egress.
      OFFLINE_MODE: 'true',
      HF_HUB_OFFLINE: '1',
      ANONYMIZED_TELEMETRY: 'false',
      SCARF_NO_ANALYTICS: 'true',
      DO_NOT_TRACK: 'true',
    };

    const workload = new SecureWorkload(this, 'Resource', {
      name: 'open-webui',
      component: 'chat-ui',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      replicas: 1,
      container: {
        name: 'open-webui',
        image,
        env,
        ports: [{ name: 'http', port: OPEN_WEBUI_PORT }],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '1Gi', memoryLimit: '2Gi' },
        // First start runs the database migrations; give it time before liveness counts.
        health: { readiness: { httpGet: { path: '/health', port: 'http' } }, startupBudgetSeconds: 600 },
        scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '1Gi' }, staticDir],
      },
      initContainers: [
        {
          name: 'copy-static',
          image,
          command: ['sh', '-c', `cp -a ${OPEN_WEBUI_STATIC_DIR}/. /static/`],
          resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
          scratch: [{ ...staticDir, mountPath: '/static' }],
        },
      ],
      persistentStorage: [
        { name: 'data', mountPath: OPEN_WEBUI_DATA_DIR, size: props.dataSize ?? '10Gi', storageClassName: props.storageClassName },
      ],
      terminationGracePeriodSeconds: 30,
    });
    this.pods = workload.pods;
  }
}
