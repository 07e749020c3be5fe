/** Escapes a literal for a Prometheus regex (RE2, fully anchored), as in relabel rules and `=~` matchers. */
export function regexLiteral(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** A regex matching exactly one of `values`. */
export function oneOf(values: readonly string[]): string {
  return values.map(regexLiteral).join('|');
}
