/**
 * Validation of built-in Kubernetes kinds, as strict as `kubectl apply --validate=strict`:
 * - types and required fields: kubernetes-models' validators (generated from the OpenAPI schema);
 * - unknown fields: the field lists of the official Kubernetes client's models
 *   (@kubernetes/client-node), walked recursively, since kubernetes-models accepts unknown fields.
 */
import * as clientModels from '@kubernetes/client-node/dist/gen/model/models';
import type { ManifestProblem } from './manifest-problem';
import { pointerToPath } from './manifest-problem';

interface Attribute {
  readonly baseName: string;
  readonly type: string;
}
interface ModelClass {
  getAttributeTypeMap(): Attribute[];
}

const models = clientModels as unknown as Record<string, ModelClass | undefined>;

/** `apps/v1` + `Deployment` -> the client model class name `V1Deployment`. */
function clientModelName(apiVersion: string): string {
  const version = apiVersion.split('/').pop() ?? apiVersion;
  return `V${version.slice(1)}`;
}

/** kubernetes-models module path for a kind: `kubernetes-models/apps/v1/Deployment`. */
function modelsModulePath(apiVersion: string, kind: string): string {
  return `kubernetes-models/${apiVersion}/${kind}`;
}

type Validator = (data: unknown) => void;
const validatorCache = new Map<string, Validator | null>();

function loadValidator(apiVersion: string, kind: string): Validator | null {
  const key = `${apiVersion}/${kind}`;
  if (!validatorCache.has(key)) {
    let validator: Validator | null = null;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const mod = require(modelsModulePath(apiVersion, kind)) as Record<string, new (data: unknown) => { validate(): void }>;
      const Model = mod[kind];
      validator = Model ? (data) => new Model(data).validate() : null;
    } catch {
      validator = null;
    }
    validatorCache.set(key, validator);
  }
  return validatorCache.get(key) ?? null;
}

/** Whether this apiVersion/kind is a built-in kind we have schemas for. */
export function isCoreKind(apiVersion: string, kind: string): boolean {
  return loadValidator(apiVersion, kind) !== null && models[`${clientModelName(apiVersion)}${kind}`] !== undefined;
}

function unknownFields(value: unknown, type: string, path: string, out: string[]): void {
  if (value === null || value === undefined) return;
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    if (Array.isArray(value)) value.forEach((item, i) => unknownFields(item, array[1], `${path}[${i}]`, out));
    return;
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    if (typeof value === 'object') for (const [k, v] of Object.entries(value)) unknownFields(v, map[1], `${path}.${k}`, out);
    return;
  }
  const model = models[type];
  if (!model || typeof value !== 'object' || Array.isArray(value)) return;
  const attributes = new Map(model.getAttributeTypeMap().map((a) => [a.baseName, a.type]));
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const childPath = path ? `${path}.${key}` : key;
    const childType = attributes.get(key);
    if (childType === undefined) out.push(childPath);
    else unknownFields(child, childType, childPath, out);
  }
}

interface AjvLikeError {
  instancePath?: string;
  message?: string;
  params?: { missingProperty?: string };
}

/** Validates one built-in object; returns its problems (empty when valid). */
export function validateCoreObject(obj: {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string };
}): ManifestProblem[] {
  const base = { kind: obj.kind, name: obj.metadata?.name ?? '(unnamed)', namespace: obj.metadata?.namespace };
  const problems: ManifestProblem[] = [];
  const validator = loadValidator(obj.apiVersion, obj.kind);
  try {
    validator?.(obj);
  } catch (error) {
    const errors = ((error as { errors?: AjvLikeError[] }).errors ?? [{ message: (error as Error).message }]) as AjvLikeError[];
    for (const e of errors) {
      const field = pointerToPath(e.instancePath ?? '');
      const missing = e.params?.missingProperty;
      problems.push({
        ...base,
        field: missing ? (field ? `${field}.${missing}` : missing) : field,
        message: missing ? 'required field is missing' : (e.message ?? 'invalid'),
      });
    }
  }
  const unknown: string[] = [];
  unknownFields(obj, `${clientModelName(obj.apiVersion)}${obj.kind}`, '', unknown);
  for (const field of unknown) problems.push({ ...base, field, message: 'unknown field (kubectl --validate=strict rejects it)' });
  return problems;
}
