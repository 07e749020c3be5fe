/**
 * The gateway's YAML files (its config, the keys file) as plain values. js-yaml under its default
 * YAML 1.2 core schema, as `yaml` read them before: `yes` and dates stay strings, no `<<` merges.
 * A duplicate key, bad syntax or a second document is a problem naming the line; an empty file
 * (or one of comments only) reads as null. On a cold start js-yaml read the chart's config in ~4 ms
 * against ~12 ms for `yaml`'s Document model, which keeps a syntax tree for editing the file.
 */
import { CORE_SCHEMA, loadAll, YAMLException } from 'js-yaml';
import { GatewayConfigError } from './config-error';

export function readYaml(text: string, source: string): unknown {
  let documents: unknown[];
  try {
    documents = loadAll(text, { schema: CORE_SCHEMA, filename: source });
  } catch (error) {
    // js-yaml may throw more than YAMLException (too deep a nesting, for one).
    const mark = error instanceof YAMLException ? error.mark : undefined;
    const reason = error instanceof YAMLException ? error.reason : error instanceof Error ? error.message : String(error);
    throw new GatewayConfigError(source, [
      {
        path: `line ${mark ? mark.line + 1 : '?'}`,
        got: 'invalid YAML',
        expected: mark ? `${reason} at line ${mark.line + 1}, column ${mark.column + 1}` : reason,
      },
    ]);
  }
  if (documents.length > 1)
    throw new GatewayConfigError(source, [{ path: '', got: `${documents.length} YAML documents`, expected: 'one document' }]);
  return documents.length === 0 ? null : documents[0];
}
