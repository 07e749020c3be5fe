/** A problem the validation gate found in one synthesized Kubernetes object. */

export interface ManifestProblem {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** The failing field as a dotted path, e.g. spec.template.spec.containers[0].image. */
  readonly field: string;
  readonly message: string;
}

export function formatManifestProblem(p: ManifestProblem): string {
  const where = p.namespace ? `${p.namespace}/${p.name}` : p.name;
  return `  ${p.kind} ${where}: ${p.field || '(object)'}: ${p.message}`;
}

export class ManifestValidationError extends Error {
  constructor(readonly problems: readonly ManifestProblem[]) {
    super(`${problems.length} Kubernetes object problem(s):\n${problems.map(formatManifestProblem).join('\n')}`);
    this.name = 'ManifestValidationError';
  }
}

/** Converts a JSON pointer (/spec/containers/0/image) to a dotted path (spec.containers[0].image). */
export function pointerToPath(pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((raw) => raw.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((seg, i) => (/^\d+$/.test(seg) ? `[${seg}]` : `${i === 0 ? '' : '.'}${seg}`))
    .join('');
}
