/**
 * Cross-field rules the schema alone cannot express, as a table: each rule looks at the parsed
 * config and returns the problems it finds, each with its path, value and what is allowed.
 * Add a rule here, with a "fails when ..." test in test/config/.
 */
import type { ConfigProblem } from './config-error';
import { formatValue } from './config-error';
import type { PlatformConfig } from './platform-config';
import type { NodePoolConfig } from './node-pools';
import { minioInUse, mlflowArtifactsIamBucket } from './data-services';
import { GATEWAY_API_KEYS_SECRET } from './gateway';
import { canonicalModelName, ollamaModelNameProblem } from './models';
import { embeddingModelProblem } from './open-webui';
import { ollamaGpuCount, profileGpuVendor } from './ollama';
import { ipv4ToNumber, parseIpv4Cidr, quantityToNumber } from './primitives';
import { MEMORY_PROFILES, memoryProfileFloorReason } from '../gateway/src/memory-profiles';
import { GCP_CONFIG_RULES } from './gcp-config-rules';

export interface ConfigRule {
  /** What the rule protects, for people reading the table. */
  readonly description: string;
  readonly check: (config: PlatformConfig) => ConfigProblem[];
}

function nodePools(config: PlatformConfig): readonly NodePoolConfig[] {
  return config.profile === 'homelab' ? [] : config.cluster.nodePools;
}

/** GPU instance families per cloud: a GPU pool on anything else would never get a GPU. */
export const AWS_GPU_FAMILIES = ['g4dn', 'g5', 'g5g', 'g6', 'g6e', 'gr6', 'p3', 'p4d', 'p4de', 'p5', 'p5e', 'p5en'] as const;
export const GCP_GPU_FAMILIES = ['g2', 'a2', 'a3', 'a4', 'n1'] as const;

function cidrsOverlap(a: string, b: string): boolean {
  const pa = parseIpv4Cidr(a);
  const pb = parseIpv4Cidr(b);
  if (!pa || !pb) return false;
  const range = (p: { address: string; prefix: number }): [number, number] => {
    const size = 2 ** (32 - p.prefix);
    const start = Math.floor(ipv4ToNumber(p.address) / size) * size;
    return [start, start + size - 1];
  };
  const [a0, a1] = range(pa);
  const [b0, b1] = range(pb);
  return a0 <= b1 && b0 <= a1;
}

export const CONFIG_RULES: readonly ConfigRule[] = [
  {
    description: 'node pool sizes are ordered: minSize <= desiredSize <= maxSize',
    check: (config) =>
      nodePools(config).flatMap((pool, i) => {
        const problems: ConfigProblem[] = [];
        if (pool.minSize > pool.maxSize)
          problems.push({
            path: `cluster.nodePools[${i}].minSize`,
            got: formatValue(pool.minSize),
            expected: `at most maxSize (${pool.maxSize})`,
          });
        else if (pool.desiredSize < pool.minSize || pool.desiredSize > pool.maxSize)
          problems.push({
            path: `cluster.nodePools[${i}].desiredSize`,
            got: formatValue(pool.desiredSize),
            expected: `between minSize (${pool.minSize}) and maxSize (${pool.maxSize})`,
          });
        return problems;
      }),
  },
  {
    description: 'node pool names are unique',
    check: (config) =>
      nodePools(config).flatMap((pool, i, all) =>
        all.findIndex((p) => p.name === pool.name) === i
          ? []
          : [{ path: `cluster.nodePools[${i}].name`, got: formatValue(pool.name), expected: 'a name no other node pool uses' }],
      ),
  },
  {
    description: 'a GPU pool uses an instance family that has GPUs',
    check: (config) => {
      if (config.profile === 'homelab') return [];
      const families: readonly string[] = config.profile === 'aws' ? AWS_GPU_FAMILIES : GCP_GPU_FAMILIES;
      return config.cluster.nodePools.flatMap((pool, i) => {
        if (!pool.gpu) return [];
        const family = config.profile === 'aws' ? pool.instanceType.split('.')[0] : pool.instanceType.split('-')[0];
        return families.includes(family)
          ? []
          : [
              {
                path: `cluster.nodePools[${i}].instanceType`,
                got: formatValue(pool.instanceType),
                expected: `a GPU instance family on ${config.profile} (${families.join(', ')})`,
              },
            ];
      });
    },
  },
  {
    description: 'GCP GPU pools name their accelerator type',
    check: (config) =>
      config.profile !== 'gcp'
        ? []
        : config.cluster.nodePools.flatMap((pool, i) =>
            pool.gpu && !pool.gpu.type
              ? [{ path: `cluster.nodePools[${i}].gpu.type`, got: 'missing', expected: 'a GCP accelerator type such as nvidia-l4' }]
              : [],
          ),
  },
  {
    description: 'the EKS public endpoint, when on, is limited to named CIDRs and never to 0.0.0.0/0',
    check: (config) => {
      if (config.profile !== 'aws') return [];
      const { publicAccess, publicAccessCidrs } = config.cluster.endpoint;
      if (!publicAccess) return [];
      if (publicAccessCidrs.length === 0)
        return [{ path: 'cluster.endpoint.publicAccessCidrs', got: '[]', expected: 'at least one CIDR when publicAccess is true' }];
      return publicAccessCidrs.flatMap((cidr, i) =>
        parseIpv4Cidr(cidr)?.prefix === 0
          ? [{ path: `cluster.endpoint.publicAccessCidrs[${i}]`, got: formatValue(cidr), expected: 'a CIDR narrower than /0' }]
          : [],
      );
    },
  },
  {
    description: 'GKE ranges (nodes, pods, services, control plane) do not overlap',
    check: (config) => {
      if (config.profile !== 'gcp') return [];
      const entries = Object.entries(config.cluster.network);
      const problems: ConfigProblem[] = [];
      entries.forEach(([key, cidr], i) => {
        for (const [otherKey, otherCidr] of entries.slice(0, i))
          if (cidrsOverlap(cidr, otherCidr))
            problems.push({
              path: `cluster.network.${key}`,
              got: formatValue(cidr),
              expected: `a range that does not overlap ${otherKey} (${otherCidr})`,
            });
      });
      return problems;
    },
  },
  {
    description: 'MetalLB, Tailscale and host-path model storage belong to the homelab profile',
    check: (config) => {
      if (config.profile === 'homelab') return [];
      const misplaced: Array<[string, unknown]> = [
        ['exposure.metallb', config.exposure.metallb],
        ['exposure.tailscale', config.exposure.tailscale],
        ['storage.modelStorage', config.storage.modelStorage],
      ];
      return misplaced
        .filter(([, value]) => value !== undefined)
        .map(([path, value]) => ({ path, got: formatValue(value), expected: `nothing on the ${config.profile} profile (homelab only)` }));
    },
  },
  {
    description: 'API keys are never in the platform config: the gateway reads them from the Secret the operator creates',
    check: (config) => {
      const runtime = config.gateway.runtime;
      const expected = `nothing: API keys (even as digests) go in the Secret ${GATEWAY_API_KEYS_SECRET} (key keys.yaml) in ${config.namespaces.gateway}, which you create (docs/workloads.md)`;
      const problems: ConfigProblem[] = [];
      if (config.gateway.keys) problems.push({ path: 'gateway.keys', got: formatValue(config.gateway.keys), expected });
      if (runtime && runtime.keys.length > 0) problems.push({ path: 'gateway.runtime.keys', got: formatValue(runtime.keys), expected });
      if (runtime?.keysFile !== undefined)
        problems.push({
          path: 'gateway.runtime.keysFile',
          got: formatValue(runtime.keysFile),
          expected: `nothing: the platform points it at the mounted ${GATEWAY_API_KEYS_SECRET} Secret`,
        });
      return problems;
    },
  },
  {
    description: 'the gateway runtime is given, or derivable: the in-cluster Ollama serves it',
    check: (config) => {
      if (!config.components.gateway || config.gateway.runtime) return [];
      const problems: ConfigProblem[] = [];
      if (!config.components.ollama)
        problems.push({
          path: 'gateway.runtime',
          got: 'missing',
          expected: 'a gateway runtime config when components.ollama is false (the derived one routes to the in-cluster Ollama)',
        });
      if (config.models.length === 0)
        problems.push({ path: 'models', got: '[]', expected: 'at least one model for the derived gateway runtime to serve' });
      return problems;
    },
  },
  {
    description: 'on the aws profile, every Bedrock target names its model: the gateway IAM role is scoped to the models named',
    check: (config) => {
      const runtime = config.profile === 'aws' ? config.gateway.runtime : undefined;
      if (!runtime) return [];
      const bedrock = new Set(runtime.providers.filter((p) => p.type === 'bedrock').map((p) => p.name));
      return runtime.models.flatMap((model, m) =>
        model.targets.flatMap((target, t) =>
          bedrock.has(target.provider) && !target.model
            ? [
                {
                  path: `gateway.runtime.models[${m}].targets[${t}].model`,
                  got: 'missing',
                  expected: 'a Bedrock model id (the gateway role may invoke only the models named)',
                },
              ]
            : [],
        ),
      );
    },
  },
  {
    description: "the gateway's memory limit leaves room above its memory profile's heap limit",
    check: (config) => {
      const { memoryProfile, resources } = config.gateway;
      const floorMiB = MEMORY_PROFILES[memoryProfile].minMemoryLimitMiB;
      return floorMiB !== undefined && !(quantityToNumber(resources.memoryLimit) >= floorMiB * 2 ** 20)
        ? [
            {
              path: 'gateway.resources.memoryLimit',
              got: formatValue(resources.memoryLimit),
              expected: `at least ${floorMiB}Mi with gateway.memoryProfile "${memoryProfile}" (${memoryProfileFloorReason(memoryProfile)})`,
            },
          ]
        : [];
    },
  },
  {
    description: 'gateway replicas are ordered: min <= max',
    check: (config) =>
      config.gateway.replicas.min > config.gateway.replicas.max
        ? [
            {
              path: 'gateway.replicas.min',
              got: formatValue(config.gateway.replicas.min),
              expected: `at most gateway.replicas.max (${config.gateway.replicas.max})`,
            },
          ]
        : [],
  },
  {
    description: 'every model name is one Ollama accepts (beyond the schema: length, "..", namespace, host port)',
    check: (config) =>
      config.models.flatMap((model, i) => {
        const problem = ollamaModelNameProblem(model.name);
        return problem ? [{ path: `models[${i}].name`, got: formatValue(model.name), expected: problem }] : [];
      }),
  },
  {
    description: 'models are listed once (Ollama stores llama3.2 and llama3.2:latest as one model)',
    check: (config) =>
      config.models.flatMap((model, i, all) => {
        const first = all.findIndex((m) => canonicalModelName(m.name) === canonicalModelName(model.name));
        return first === i
          ? []
          : [
              {
                path: `models[${i}].name`,
                got: formatValue(model.name),
                expected: `a model not already listed (same as models[${first}] ${JSON.stringify(all[first].name)})`,
              },
            ];
      }),
  },
  {
    description: 'Ollama asks for GPUs only where the profile has GPU nodes, and no more than one node has',
    check: (config) => {
      const gpus = ollamaGpuCount(config);
      if (!config.components.ollama || gpus === 0) return [];
      if (!profileGpuVendor(config))
        return [
          {
            path: 'ollama.gpus',
            got: formatValue(gpus),
            expected:
              config.profile === 'homelab'
                ? '0 while cluster.gpuVendor is "none" (set gpuVendor to nvidia or amd, or leave ollama.gpus unset for CPU only)'
                : '0: no node pool in cluster.nodePools has a gpu (add a GPU pool, or leave ollama.gpus unset for CPU only)',
          },
        ];
      const perNode = Math.max(0, ...nodePools(config).map((pool) => pool.gpu?.count ?? 0));
      return config.profile !== 'homelab' && gpus > perNode
        ? [{ path: 'ollama.gpus', got: formatValue(gpus), expected: `at most ${perNode}, the most GPUs a node of any GPU pool has` }]
        : [];
    },
  },
  {
    description: 'MinIO runs exactly when something stores objects in it: MLflow, with a minio artifact store',
    check: (config) => {
      const used = minioInUse(config);
      if (config.components.minio === used) return [];
      const expected = used
        ? 'true while MLflow keeps its artifacts in MinIO (data.mlflow.artifactStore.type "minio"); or give MLflow an external bucket (artifactStore type "s3")'
        : !config.components.mlflow
          ? "false or unset while components.mlflow is false (MinIO holds only MLflow's artifacts)"
          : "false or unset while data.mlflow.artifactStore is an s3 bucket (MinIO holds only MLflow's artifacts)";
      return [{ path: 'components.minio', got: formatValue(config.components.minio), expected }];
    },
  },
  {
    description: "an external artifact bucket has credentials: a Secret, or on aws (AWS S3 itself) the MLflow pod's IAM role",
    check: (config) => {
      const store = config.data.mlflow.artifactStore;
      if (!config.components.mlflow || store.type !== 's3' || store.credentialsSecretName || mlflowArtifactsIamBucket(config)) return [];
      const secret = `the name of a Secret in ${config.namespaces.data} with the keys accessKeyId and secretAccessKey`;
      const expected =
        config.profile === 'aws'
          ? `${secret} (the MLflow pod's IAM role reaches AWS S3 only: leave out endpoint to use it)`
          : `${secret} (only the aws profile can give MLflow an IAM role instead)`;
      return [{ path: 'data.mlflow.artifactStore.credentialsSecretName', got: 'missing', expected }];
    },
  },
  {
    description: 'OpenWebUI embeds with a model the gateway routes to a provider that has an embeddings API',
    check: (config) => {
      if (!config.components.openWebUi || !config.components.gateway) return [];
      const problem = embeddingModelProblem(config, config.openWebUi.embeddingModel);
      return problem ? [{ path: 'openWebUi.embeddingModel', got: formatValue(config.openWebUi.embeddingModel), expected: problem }] : [];
    },
  },
  ...GCP_CONFIG_RULES,
];

export function validatePlatformConfig(config: PlatformConfig): ConfigProblem[] {
  return CONFIG_RULES.flatMap((rule) => rule.check(config));
}
