/**
 * Validation of custom resources against the openAPIV3Schema of their real CRDs
 * (imports/crd-schemas, generated from ../shared/crds by scripts/import-crd-schemas.ts), with ajv.
 * Strict like the API server's field validation: an object schema that lists `properties` rejects
 * other fields unless it sets x-kubernetes-preserve-unknown-fields. CEL rules
 * (x-kubernetes-validations) are not evaluated offline.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import type { ManifestProblem } from './manifest-problem';
import { pointerToPath } from './manifest-problem';

export const CRD_SCHEMA_DIR = resolve(__dirname, '..', 'imports', 'crd-schemas');

/**
 * CRD patterns are Go RE2. RE2's inline case-insensitive flag `(?i)` (e.g. the prometheus-operator
 * CRDs' `^(?i)(abort|warn)?$`) is not JavaScript syntax: it becomes the `i` flag of the whole regex.
 */
const re2RegExp = Object.assign(
  (pattern: string, flags: string): RegExp =>
    pattern.includes('(?i)') ? new RegExp(pattern.replaceAll('(?i)', ''), `${flags}i`) : new RegExp(pattern, flags),
  { code: 'new RegExp' },
);

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false, code: { regExp: re2RegExp } });
const compiled = new Map<string, ValidateFunction | null>();

/** Adds additionalProperties:false wherever the API server would prune or reject unknown fields. */
function strictify(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(strictify);
  if (schema === null || typeof schema !== 'object') return schema;
  const node = Object.fromEntries(
    Object.entries(schema).map(([k, v]) => [k, k === 'properties' ? mapValues(v as Record<string, unknown>, strictify) : strictify(v)]),
  );
  if (node.properties && node.additionalProperties === undefined && node['x-kubernetes-preserve-unknown-fields'] !== true) {
    node.additionalProperties = false;
  }
  return node;
}

function mapValues(obj: Record<string, unknown>, fn: (v: unknown) => unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, fn(v)]));
}

function validatorFor(apiVersion: string, kind: string): ValidateFunction | null {
  const key = `${apiVersion}/${kind}`;
  if (!compiled.has(key)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const file = join(CRD_SCHEMA_DIR, `${group}_${kind}.json`);
    let fn: ValidateFunction | null = null;
    if (existsSync(file)) {
      const crd = JSON.parse(readFileSync(file, 'utf8')) as { versions: Record<string, Record<string, unknown>> };
      const schema = crd.versions[version];
      if (schema) {
        const strict = strictify(schema) as Record<string, unknown>;
        // metadata is validated as ObjectMeta by the core checks; CRD schemas leave it open.
        const properties = { ...(strict.properties as Record<string, unknown>), metadata: { type: 'object' } };
        fn = ajv.compile({
          ...strict,
          properties,
          required: [...new Set(['apiVersion', 'kind', 'metadata', ...((strict.required as string[]) ?? [])])],
        });
      }
    }
    compiled.set(key, fn);
  }
  return compiled.get(key) ?? null;
}

export function hasCrdSchema(apiVersion: string, kind: string): boolean {
  return validatorFor(apiVersion, kind) !== null;
}

export function validateCustomResource(obj: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}): ManifestProblem[] {
  const base = { kind: obj.kind, name: obj.metadata?.name ?? '(unnamed)', namespace: obj.metadata?.namespace };
  const validate = validatorFor(obj.apiVersion, obj.kind);
  if (!validate)
    return [{ ...base, field: 'apiVersion', message: `no CRD schema for ${obj.apiVersion} ${obj.kind} in imports/crd-schemas` }];
  if (validate(obj)) return [];
  return (validate.errors ?? []).map((e) => {
    const field = pointerToPath(e.instancePath);
    if (e.keyword === 'additionalProperties') {
      const extra = (e.params as { additionalProperty: string }).additionalProperty;
      return { ...base, field: field ? `${field}.${extra}` : extra, message: 'unknown field (not in the CRD schema)' };
    }
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      return { ...base, field: field ? `${field}.${missing}` : missing, message: 'required field is missing' };
    }
    return { ...base, field, message: e.message ?? 'invalid' };
  });
}
