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

/** Ollama's limit on a whole model name (types/model/name.go, MaxNamePartLen). */
export const OLLAMA_NAME_MAX_LENGTH = 128;

/**
 * Why Ollama's name parser would reject `name`, or undefined when it accepts it. The schema's regex
 * checks the shape; this adds what Ollama checks beyond it: the length, no "..", no "." in the
 * namespace (a two-part `a.b/model` is namespace/model, not host/model), and no port on the host.
 */
export function ollamaModelNameProblem(name: string): string | undefined {
  if (name.length > OLLAMA_NAME_MAX_LENGTH) return `at most ${OLLAMA_NAME_MAX_LENGTH} characters (Ollama's limit)`;
  if (name.includes('..')) return 'a name without ".." (Ollama refuses consecutive dots)';
  const tagAt = name.indexOf(':', name.lastIndexOf('/') + 1);
  const segments = (tagAt === -1 ? name : name.slice(0, tagAt)).split('/');
  const host = segments.length === 3 ? segments[0] : undefined;
  const namespace = segments.length >= 2 ? segments[segments.length - 2] : undefined;
  if (host?.includes(':')) return 'a registry host without a port (Ollama reads host:port/... as an invalid name)';
  if (namespace?.includes('.'))
    return `a namespace without "." (Ollama reads "${namespace}/..." as a namespace; a registry host needs host/namespace/model)`;
  return undefined;
}

/** The name Ollama stores a model under, for spotting duplicates: lower case, default registry and tag filled in. */
export function canonicalModelName(name: string): string {
  const lower = name.toLowerCase();
  const withTag = /:[^/]+$/.test(lower) ? lower : `${lower}:latest`;
  const parts = withTag.split('/');
  const full =
    parts.length === 1 ? ['registry.ollama.ai', 'library', ...parts] : parts.length === 2 ? ['registry.ollama.ai', ...parts] : parts;
  return full.join('/');
}
