import { loadPlatformConfig, parsePlatformConfig } from '../../config/load-config';
import { canonicalModelName } from '../../config/models';
import { ollamaGpuCount } from '../../config/ollama';
import { configProblems as problemsOf } from '../support/config-problems';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS } from '../support/paths';

const cpuOnlyAws = { name: 'system', instanceType: 'm6i.large', minSize: 2, desiredSize: 2, maxSize: 4 };
/** The model OpenWebUI embeds with by default: a config that lists its own models serves it too. */
const EMBEDDING = { name: 'nomic-embed-text' };

describe('model, GPU and data-tier config rules', () => {
  it.each([
    ['the name is longer than Ollama allows', `${'a'.repeat(126)}:7b`, "at most 128 characters (Ollama's limit)"],
    ['the name has consecutive dots', 'llama3..2', 'a name without ".." (Ollama refuses consecutive dots)'],
    [
      'a two-part name has a dot in its namespace',
      'hf.co/model',
      'a namespace without "." (Ollama reads "hf.co/..." as a namespace; a registry host needs host/namespace/model)',
    ],
    [
      'the registry host has a port',
      'localhost:5000/team/model:1b',
      'a registry host without a port (Ollama reads host:port/... as an invalid name)',
    ],
  ])('fails when %s', (_case, name, expected) => {
    const shown = JSON.stringify(name).length > 80 ? `${JSON.stringify(name).slice(0, 77)}...` : JSON.stringify(name);
    expect(problemsOf({ profile: 'homelab', models: [{ name }, EMBEDDING] })).toEqual([
      `models[0].name: got ${shown}; expected ${expected}`,
    ]);
  });

  it('fails when a model is listed twice under two spellings', () => {
    expect(problemsOf({ profile: 'homelab', models: [{ name: 'gemma2' }, { name: 'library/gemma2:latest' }, EMBEDDING] })).toEqual([
      'models[1].name: got "library/gemma2:latest"; expected a model not already listed (same as models[0] "gemma2")',
    ]);
  });

  it('accepts the names Ollama accepts', () => {
    const names = ['codellama', 'llama3.2:3b', 'gemma2', 'library/qwen2.5:7b', 'registry.ollama.ai/library/llama3.2:3b-instruct-q4_K_M'];
    expect(problemsOf({ profile: 'homelab', models: [...names.map((name) => ({ name })), EMBEDDING] })).toEqual([]);
    expect(canonicalModelName('Gemma2')).toBe('registry.ollama.ai/library/gemma2:latest');
  });

  it('fails when homelab asks for GPUs with gpuVendor none', () => {
    expect(problemsOf({ profile: 'homelab', cluster: { gpuVendor: 'none' }, ollama: { gpus: 1 } })).toEqual([
      'ollama.gpus: got 1; expected 0 while cluster.gpuVendor is "none" (set gpuVendor to nvidia or amd, or leave ollama.gpus unset for CPU only)',
    ]);
  });

  it('fails when a cloud profile asks for GPUs but has no GPU pool', () => {
    expect(problemsOf({ profile: 'aws', cluster: { nodePools: [cpuOnlyAws] }, ollama: { gpus: 1 } })).toEqual([
      'ollama.gpus: got 1; expected 0: no node pool in cluster.nodePools has a gpu (add a GPU pool, or leave ollama.gpus unset for CPU only)',
    ]);
  });

  it('fails when Ollama asks for more GPUs than any node has', () => {
    expect(problemsOf({ profile: 'aws', ollama: { gpus: 2 } })).toEqual([
      'ollama.gpus: got 2; expected at most 1, the most GPUs a node of any GPU pool has',
    ]);
  });

  it('fails when MinIO is off while MLflow keeps its artifacts in it', () => {
    expect(problemsOf({ profile: 'homelab', components: { minio: false } })).toEqual([
      'components.minio: got false; expected true while MLflow keeps its artifacts in MinIO (data.mlflow.artifactStore.type "minio"); or give MLflow an external bucket (artifactStore type "s3")',
    ]);
  });

  it('defaults GPUs from the profile: one where there are GPU nodes, none elsewhere', () => {
    expect(ollamaGpuCount(loadPlatformConfig(EXAMPLE_CONFIGS.aws))).toBe(1);
    expect(ollamaGpuCount(loadPlatformConfig(EXAMPLE_CONFIGS.gcp))).toBe(1);
    expect(ollamaGpuCount(loadPlatformConfig(DEFAULT_CONFIG))).toBe(1);
    expect(ollamaGpuCount(parsePlatformConfig({ profile: 'homelab' }))).toBe(0);
    expect(ollamaGpuCount(parsePlatformConfig({ profile: 'aws', cluster: { nodePools: [cpuOnlyAws] } }))).toBe(0);
  });
});
