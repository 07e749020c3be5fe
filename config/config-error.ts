/** The one error type a bad platform config raises: every problem, each with its path and value. */

export interface ConfigProblem {
  /** Dotted YAML path, e.g. `cluster.nodePools[1].maxSize`. */
  readonly path: string;
  /** What the config holds there, rendered for a person (`missing` when absent). */
  readonly got: string;
  /** What is allowed there. */
  readonly expected: string;
}

export class ConfigError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(`${file}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map(formatProblem).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export function formatProblem(problem: ConfigProblem): string {
  return `  ${problem.path || '(root)'}: got ${problem.got}; expected ${problem.expected}`;
}

/** Renders a path of keys and indexes as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((segment, i) => (typeof segment === 'number' ? `[${segment}]` : `${i === 0 ? '' : '.'}${String(segment)}`)).join('');
}

/** Renders a config value short and unambiguous: strings quoted, objects as compact JSON. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
