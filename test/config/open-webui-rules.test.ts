import { parsePlatformConfig } from '../../config/load-config';
import { EMBEDDING_PROVIDER_TYPES } from '../../config/open-webui';
import { configProblems as problemsOf } from '../support/config-problems';

const bedrock = { name: 'bedrock', type: 'bedrock', region: 'us-east-1' };
const ollama = { name: 'ollama', type: 'ollama', baseUrl: 'http://ollama.ai-models.svc.cluster.local:11434', private: true };

describe('OpenWebUI embedding model config', () => {
  it("defaults to nomic-embed-text, which every profile's default models serve", () => {
    for (const raw of [{ profile: 'homelab' }, { profile: 'aws' }, { profile: 'gcp', cluster: { project: 'demo-project-1' } }]) {
      const config = parsePlatformConfig(raw);
      expect(config.openWebUi).toEqual({ embeddingModel: 'nomic-embed-text' });
      expect(config.models.map((m) => m.name)).toContain('nomic-embed-text');
    }
  });

  it('accepts any model the derived runtime serves, and any name a catch-all routes to Ollama', () => {
    expect(
      problemsOf({ profile: 'homelab', models: [{ name: 'mxbai-embed-large' }], openWebUi: { embeddingModel: 'mxbai-embed-large' } }),
    ).toEqual([]);
    const catchAll = { providers: [ollama], models: [{ name: '*', targets: [{ provider: 'ollama' }] }] };
    expect(problemsOf({ profile: 'homelab', gateway: { runtime: catchAll } })).toEqual([]);
  });

  it('knows which provider types the gateway can embed with (from its adapters)', () => {
    expect([...EMBEDDING_PROVIDER_TYPES].sort()).toEqual(['ollama', 'openai']);
  });

  it('fails when the derived runtime does not serve the model', () => {
    expect(problemsOf({ profile: 'homelab', models: [{ name: 'codellama' }, { name: 'gemma2' }] })).toEqual([
      'openWebUi.embeddingModel: got "nomic-embed-text"; expected a model the gateway serves, one of models ("codellama", "gemma2"): add an embedding model such as nomic-embed-text to models, or name one of them here',
    ]);
  });

  it('fails when gateway.runtime does not route the model', () => {
    const runtime = { providers: [ollama], models: [{ name: 'chat', targets: [{ provider: 'ollama', model: 'llama3.2:3b' }] }] };
    expect(problemsOf({ profile: 'homelab', gateway: { runtime } })).toEqual([
      'openWebUi.embeddingModel: got "nomic-embed-text"; expected a model of gateway.runtime.models ("chat"), which the gateway routes',
    ]);
  });

  it('fails when the model goes only to providers without an embeddings API', () => {
    const runtime = {
      providers: [bedrock],
      models: [{ name: 'claude', targets: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' }] }],
    };
    expect(problemsOf({ profile: 'aws', gateway: { runtime }, openWebUi: { embeddingModel: 'claude' } })).toEqual([
      'openWebUi.embeddingModel: got "claude"; expected a model routed to a provider with an embeddings API (openai, ollama); "claude" goes only to bedrock',
    ]);
  });

  it('is not checked while OpenWebUI is off', () => {
    expect(problemsOf({ profile: 'homelab', models: [{ name: 'gemma2' }], components: { openWebUi: false } })).toEqual([]);
  });

  it('fails when the name is empty or the section has an unknown key', () => {
    expect(problemsOf({ profile: 'homelab', openWebUi: { embeddingModel: '', model: 'x' } })).toEqual([
      'openWebUi.embeddingModel: got ""; expected at least 1 character(s)',
      'openWebUi.model: got unknown key "model"; expected one of the keys embeddingModel',
    ]);
  });
});
