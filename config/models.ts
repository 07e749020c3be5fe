/** The models Ollama serves: pulled once, idempotently, by the model-pull step. */
import { z } from 'zod';

/**
 * Ollama model references: `name[:tag]` with an optional `namespace/` (and registry host) prefix,
 * lower case, as `ollama pull` accepts them.
 */
export const ollamaModelName = z
  .string()
  .regex(/^([a-z0-9][a-z0-9.-]*(:[0-9]+)?\/)?([a-z0-9][a-z0-9._-]*\/)?[a-z0-9][a-z0-9._-]*(:[a-zA-Z0-9][a-zA-Z0-9._-]{0,127})?$/, {
    message: 'an Ollama model such as llama3.2:3b or library/gemma2 (lower case, optional :tag)',
  });

export const servedModelSchema = z.strictObject({
  name: ollamaModelName,
});

export const modelsSchema = z.array(servedModelSchema);
export type ServedModelConfig = z.infer<typeof servedModelSchema>;
