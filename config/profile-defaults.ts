/**
 * What a config gets when it leaves a field out. Common defaults first, then each profile's; a
 * user's config is deep-merged over them (objects merge, arrays and scalars replace). A few
 * defaults follow from other keys and are filled in after the merge (`withDerivedDefaults`).
 */
import { DEFAULT_MEMORY_PROFILE } from '../gateway/src/memory-profiles';
import { minioInUse } from './data-services';
import { EKS_DEFAULT_VERSION } from './eks-support-calendar';
import type { Profile } from './platform-config';

/** The seed's models, plus the embedding model OpenWebUI's RAG uses (openWebUi.embeddingModel). */
const SEED_HOMELAB_MODELS = [{ name: 'codellama' }, { name: 'llama3.2:3b' }, { name: 'gemma2' }, { name: 'nomic-embed-text' }];

export const COMMON_DEFAULTS = {
  name: 'switchyard',
  environment: 'dev',
  namespaces: {
    edge: 'ai-edge',
    gateway: 'ai-gateway',
    models: 'ai-models',
    data: 'ai-data',
    ui: 'ai-ui',
    observability: 'ai-observability',
  },
  components: {
    gateway: true,
    ollama: true,
    openWebUi: true,
    redis: true,
    qdrant: true,
    // minio: derived, see withDerivedDefaults
    mlflow: true,
    prometheus: true,
    grafana: true,
  },
  exposure: {
    hostname: 'ai.example.com',
    tls: { mode: 'secret', secretName: 'switchyard-edge-tls' },
  },
  models: [{ name: 'llama3.2:3b' }, { name: 'nomic-embed-text' }],
  ollama: {
    storageSize: '200Gi',
    resources: { cpuRequest: '2', cpuLimit: '4', memoryRequest: '6Gi', memoryLimit: '12Gi' },
  },
  data: {
    redis: { persistence: 'append-only', storageSize: '5Gi' },
    qdrant: { storageSize: '20Gi' },
    minio: { storageSize: '50Gi' },
    postgres: { storageSize: '10Gi' },
    mlflow: { artifactStore: { type: 'minio', bucket: 'mlflow-artifacts' } },
  },
  gateway: {
    image: { repository: 'ghcr.io/switchyard/gateway', tag: '0.1.0' },
    replicas: { min: 2, max: 6 },
    resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '192Mi', memoryLimit: '384Mi' },
    memoryProfile: DEFAULT_MEMORY_PROFILE,
  },
  openWebUi: { embeddingModel: 'nomic-embed-text' },
  observability: {
    scrapeIntervalSeconds: 30,
    prometheus: { retention: '15d', storageSize: '50Gi' },
    grafana: { adminSecretName: 'grafana-admin' },
    prometheusOperator: {
      enabled: false,
      selectorLabels: { release: 'kube-prometheus-stack' },
      prometheusUrl: 'http://kube-prometheus-stack-prometheus.monitoring.svc:9090',
    },
  },
} as const;

export const PROFILE_DEFAULTS: Record<Profile, Record<string, unknown>> = {
  aws: {
    cluster: {
      region: 'us-east-1',
      kubernetesVersion: EKS_DEFAULT_VERSION,
      vpcCidr: '10.0.0.0/16',
      availabilityZones: 3,
      natGateways: 'single',
      endpoint: { publicAccess: false, publicAccessCidrs: [] },
      admins: [],
      nodePools: [
        { name: 'system', instanceType: 'm6i.large', minSize: 2, desiredSize: 2, maxSize: 4 },
        { name: 'gpu', instanceType: 'g6.xlarge', minSize: 0, desiredSize: 1, maxSize: 2, diskSizeGb: 200, gpu: { count: 1 } },
      ],
    },
    storage: { storageClass: 'gp3' },
  },
  gcp: {
    cluster: {
      region: 'us-central1',
      releaseChannel: 'REGULAR',
      network: {
        subnetCidr: '10.10.0.0/20',
        podsCidr: '10.20.0.0/14',
        servicesCidr: '10.24.0.0/20',
        masterCidr: '172.16.0.0/28',
      },
      authorizedNetworks: [],
      nodePools: [
        { name: 'system', instanceType: 'e2-standard-4', minSize: 1, desiredSize: 2, maxSize: 4 },
        {
          name: 'gpu',
          instanceType: 'g2-standard-8',
          minSize: 0,
          desiredSize: 1,
          maxSize: 2,
          diskSizeGb: 200,
          gpu: { count: 1, type: 'nvidia-l4' },
        },
      ],
    },
    storage: { storageClass: 'standard-rwo' },
  },
  homelab: {
    cluster: { kubeconfigPath: '~/.kube/config', context: 'default', gpuVendor: 'none' },
    storage: { storageClass: 'local-path' },
    models: SEED_HOMELAB_MODELS,
  },
};

/** Keys whose value selects a variant: a user value that differs replaces the whole default object. */
const DISCRIMINATORS = ['mode', 'profile', 'type'];

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Deep-merges `override` over `base`: objects merge key by key, anything else replaces. */
export function mergeDefaults(base: unknown, override: unknown): unknown {
  if (override === undefined) return structuredClone(base);
  if (!isPlainObject(base) || !isPlainObject(override)) return structuredClone(override);
  if (DISCRIMINATORS.some((k) => k in override && k in base && override[k] !== base[k])) {
    return structuredClone(override);
  }
  const merged: Record<string, unknown> = { ...structuredClone(base) };
  for (const [key, value] of Object.entries(override)) merged[key] = mergeDefaults(base[key], value);
  return merged;
}

/**
 * Fills in the defaults that depend on other keys of the merged config, where the user left them
 * out: `components.minio` is on exactly when something stores objects in MinIO (MLflow with a
 * `minio` artifact store), so an external artifact bucket leaves MinIO out. Anything not shaped
 * as expected is left alone for the schema to report.
 */
export function withDerivedDefaults(merged: unknown): unknown {
  if (!isPlainObject(merged) || !isPlainObject(merged.components) || merged.components.minio !== undefined) return merged;
  return { ...merged, components: { ...merged.components, minio: minioInUse(merged as Parameters<typeof minioInUse>[0]) } };
}
