/**
 * The error a bad gateway config raises: every problem with its YAML path, the value found and what
 * is allowed. Imports only zod types, so the platform IaC may reuse it for `gateway.runtime`.
 */
import type { z } from 'zod';

export interface ConfigProblem {
  /** Dotted path such as `models[0].targets[1].provider` (under `prefix` when given). */
  readonly path: string;
  readonly got: string;
  readonly expected: string;
}

export class GatewayConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `${source}: ${problems.length} problem${problems.length === 1 ? '' : 's'}\n${problems.map((p) => `  ${p.path || '(root)'}: got ${p.got}; expected ${p.expected}`).join('\n')}`,
    );
    this.name = 'GatewayConfigError';
  }
}

export function formatPath(path: readonly PropertyKey[], prefix = ''): string {
  let text = prefix;
  for (const segment of path) text += typeof segment === 'number' ? `[${segment}]` : `${text ? '.' : ''}${String(segment)}`;
  return text;
}

/** A value rendered short: strings quoted, objects as compact JSON, `missing` when absent. */
export function formatValue(value: unknown): string {
  if (value === undefined) return 'missing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return node;
}

function expected(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'object' ? 'a mapping' : issue.expected === 'array' ? 'a list' : `a ${issue.expected}`;
    case 'invalid_value':
      return `one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
      return issue.origin === 'array'
        ? `at least ${issue.minimum} item(s)`
        : issue.origin === 'string'
          ? `at least ${issue.minimum} character(s)`
          : `a number ${issue.inclusive ? '>=' : '>'} ${issue.minimum}`;
    case 'too_big':
      return issue.origin === 'array'
        ? `at most ${issue.maximum} item(s)`
        : issue.origin === 'string'
          ? `at most ${issue.maximum} character(s)`
          : `a number ${issue.inclusive ? '<=' : '<'} ${issue.maximum}`;
    default:
      return issue.message;
  }
}

/** One problem per zod issue (one per unknown key), each with the value found at its path. */
export function configProblems(issues: readonly z.core.$ZodIssue[], input: unknown, prefix = ''): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys')
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key], prefix),
        got: `unknown key ${JSON.stringify(key)}`,
        expected: 'no such key (check the spelling against the config reference)',
      }));
    return [{ path: formatPath(issue.path, prefix), got: formatValue(valueAt(input, issue.path)), expected: expected(issue) }];
  });
}
