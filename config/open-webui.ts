/**
 * OpenWebUI, the chat UI: which gateway model embeds documents for RAG. Its chats and embeddings
 * both go through the Switchyard gateway, so the model must be one the gateway routes, to a
 * provider with an embeddings API (`embeddingModelProblem`).
 */
import { z } from 'zod';
import type { GatewayDeploymentConfig } from './gateway';
import { providerAdapters } from '../gateway/src/providers/registry';

export const openWebUiSchema = z.strictObject({
  /**
   * The model OpenWebUI sends its RAG embedding requests for (`RAG_EMBEDDING_MODEL`), by the name
   * the gateway routes it under.
   * @default 'nomic-embed-text' (served by the in-cluster Ollama: it is in the default `models`)
   */
  embeddingModel: z.string().min(1).max(200),
});

export type OpenWebUiConfig = z.infer<typeof openWebUiSchema>;

/** Provider types whose gateway adapter has an embeddings API. */
export const EMBEDDING_PROVIDER_TYPES = Object.entries(providerAdapters)
  .filter(([, adapter]) => adapter?.embeddings !== undefined)
  .map(([type]) => type);

/** Structural view of the config fields `embeddingModelProblem` reads. */
interface EmbeddingModelView {
  readonly models: readonly { readonly name: string }[];
  readonly gateway: Pick<GatewayDeploymentConfig, 'runtime'>;
}

/**
 * Why the gateway could not serve `model` as an embedding model, or undefined when it can: the
 * model must be one it routes (a name of `gateway.runtime.models`, or of `models` for the derived
 * runtime, which serves each through the in-cluster Ollama; a catch-all `*` routes any name), and
 * at least one of its targets must be a provider with an embeddings API.
 */
export function embeddingModelProblem(config: EmbeddingModelView, model: string): string | undefined {
  const runtime = config.gateway.runtime;
  if (!runtime) {
    const served = config.models.map((m) => m.name);
    return served.includes(model)
      ? undefined
      : `a model the gateway serves, one of models (${served.map((n) => JSON.stringify(n)).join(', ') || 'none'}): add an embedding model such as nomic-embed-text to models, or name one of them here`;
  }
  const routed = runtime.models.find((m) => m.name === model) ?? runtime.models.find((m) => m.name === '*');
  if (!routed)
    return `a model of gateway.runtime.models (${runtime.models.map((m) => JSON.stringify(m.name)).join(', ')}), which the gateway routes`;
  const types = new Map(runtime.providers.map((p) => [p.name, p.type]));
  const targetTypes = [...new Set(routed.targets.map((t) => types.get(t.provider) ?? 'unknown'))];
  return targetTypes.some((type) => EMBEDDING_PROVIDER_TYPES.includes(type))
    ? undefined
    : `a model routed to a provider with an embeddings API (${EMBEDDING_PROVIDER_TYPES.join(', ')}); ${JSON.stringify(routed.name)} goes only to ${targetTypes.join(', ')}`;
}
