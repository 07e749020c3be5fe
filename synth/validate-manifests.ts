/**
 * The validation gate: every synthesized Kubernetes object is checked before anything is written.
 * Built-in kinds against the Kubernetes schema (core-kind-schemas.ts), custom resources against
 * their real CRDs (crd-schemas.ts). Unknown fields are errors, as with `kubectl apply --validate=strict`.
 */
import { isCoreKind, validateCoreObject } from './core-kind-schemas';
import { validateCustomResource } from './crd-schemas';
import type { ManifestProblem } from './manifest-problem';

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata?: { name?: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export function validateManifests(objects: readonly KubeObject[]): ManifestProblem[] {
  const problems: ManifestProblem[] = [];
  const seen = new Set<string>();
  for (const obj of objects) {
    const base = { kind: String(obj.kind), name: obj.metadata?.name ?? '(unnamed)', namespace: obj.metadata?.namespace };
    if (typeof obj.apiVersion !== 'string' || typeof obj.kind !== 'string') {
      problems.push({ ...base, field: 'apiVersion', message: 'every object needs apiVersion and kind' });
      continue;
    }
    if (!obj.metadata?.name) problems.push({ ...base, field: 'metadata.name', message: 'required field is missing' });
    const identity = `${obj.apiVersion}|${obj.kind}|${obj.metadata?.namespace ?? ''}|${obj.metadata?.name ?? ''}`;
    if (seen.has(identity))
      problems.push({ ...base, field: 'metadata.name', message: 'another object has the same kind, namespace and name' });
    seen.add(identity);
    problems.push(...(isCoreKind(obj.apiVersion, obj.kind) ? validateCoreObject(obj) : validateCustomResource(obj)));
  }
  return problems;
}
