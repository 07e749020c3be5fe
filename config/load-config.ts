/**
 * Reads a platform config file: YAML -> profile defaults merged in (then the derived ones) ->
 * schema -> cross-field rules. Any problem, of any stage, ends in one ConfigError listing every
 * problem found.
 */
import { readFileSync } from 'node:fs';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem, formatPath, formatValue } from './config-error';
import { PROFILES, type PlatformConfig, type Profile, platformConfigSchema, sharedKeysSchema } from './platform-config';
import { COMMON_DEFAULTS, PROFILE_DEFAULTS, mergeDefaults, withDerivedDefaults } from './profile-defaults';
import { validatePlatformConfig } from './validate-platform-config';

/** The environment variable `npx cdk8s synth` and `npx cdktf synth` read the config path from. */
export const CONFIG_ENV = 'SWITCHYARD_CONFIG';
export const DEFAULT_CONFIG_FILE = 'platform.yaml';

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node: unknown = root;
  for (const segment of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[segment as string];
  }
  return node;
}

type AnySchema = z.core.$ZodType;

/** Follows `path` through the schema (objects, arrays, wrappers, the profile union) to list its keys. */
function objectKeysAt(schema: AnySchema, path: readonly PropertyKey[], input: unknown): string[] {
  let node: AnySchema | undefined = schema;
  let value: unknown = input;
  const unwrap = (s: AnySchema): AnySchema => {
    let current = s;
    for (;;) {
      const def = current._zod.def as { type: string; innerType?: AnySchema; in?: AnySchema };
      if (def.innerType) current = def.innerType;
      else if (def.type === 'pipe' && def.in) current = def.in;
      else return current;
    }
  };
  const pickBranch = (s: AnySchema, v: unknown): AnySchema => {
    const def = s._zod.def as { type: string; options?: AnySchema[]; discriminator?: string };
    if (def.type !== 'union' || !def.options || !def.discriminator) return s;
    const tag = (v as Record<string, unknown> | undefined)?.[def.discriminator];
    return (
      def.options.find((o) => (o as unknown as { shape: Record<string, { value?: unknown }> }).shape[def.discriminator!]?.value === tag) ??
      s
    );
  };
  for (const segment of [...path, undefined]) {
    if (!node) return [];
    node = pickBranch(unwrap(node), value);
    const def = node._zod.def as { type: string; shape?: Record<string, AnySchema>; element?: AnySchema; valueType?: AnySchema };
    if (segment === undefined) return def.shape ? Object.keys(def.shape) : [];
    if (def.type === 'object') node = def.shape?.[segment as string];
    else if (def.type === 'array') node = def.element;
    else if (def.type === 'record') node = def.valueType;
    else return [];
    value = (value as Record<PropertyKey, unknown> | undefined)?.[segment as string];
  }
  return [];
}

/** Phrases what a zod issue allowed, in words a config author understands. */
function expectedOf(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `a value of type ${issue.expected}`;
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
    case 'invalid_union':
      return 'discriminator' in issue && Array.isArray((issue as { options?: unknown[] }).options)
        ? `one of ${(issue as { options: unknown[] }).options.map((v) => JSON.stringify(v)).join(', ')}`
        : issue.message;
    case 'not_multiple_of':
      return `a multiple of ${String(issue.divisor)}`;
    default:
      return issue.message;
  }
}

/** Turns zod issues into problems, one per unknown key, each with the value found in the input. */
export function problemsFromIssues(
  issues: readonly z.core.$ZodIssue[],
  input: unknown,
  schema: AnySchema = platformConfigSchema,
): ConfigProblem[] {
  return issues.flatMap((issue): ConfigProblem[] => {
    if (issue.code === 'unrecognized_keys') {
      const allowed = objectKeysAt(schema, issue.path, input);
      return issue.keys.map((key) => ({
        path: formatPath([...issue.path, key]),
        got: `unknown key ${JSON.stringify(key)}`,
        expected: allowed.length ? `one of the keys ${allowed.join(', ')}` : 'no such key',
      }));
    }
    return [{ path: formatPath(issue.path), got: formatValue(valueAt(input, issue.path)), expected: expectedOf(issue) }];
  });
}

/** Validates an already-read config object; throws ConfigError naming `file`. */
export function parsePlatformConfig(raw: unknown, file = '<config>'): PlatformConfig {
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw))
    throw new ConfigError(file, [{ path: '', got: formatValue(raw), expected: 'a mapping with at least a profile key' }]);
  const profile = (raw as { profile?: unknown }).profile;
  if (!PROFILES.includes(profile as Profile)) {
    // Without a profile the cluster section cannot be checked, but every shared key still can.
    const profileProblem = {
      path: 'profile',
      got: formatValue(profile),
      expected: `one of ${PROFILES.map((p) => JSON.stringify(p)).join(', ')}`,
    };
    const shared = withDerivedDefaults(mergeDefaults(COMMON_DEFAULTS, raw));
    const result = sharedKeysSchema.safeParse(shared);
    throw new ConfigError(file, [
      profileProblem,
      ...(result.success ? [] : problemsFromIssues(result.error.issues, shared, sharedKeysSchema)),
    ]);
  }
  const merged = withDerivedDefaults(mergeDefaults(mergeDefaults(COMMON_DEFAULTS, PROFILE_DEFAULTS[profile as Profile]), raw));
  const result = platformConfigSchema.safeParse(merged);
  if (!result.success) throw new ConfigError(file, problemsFromIssues(result.error.issues, merged));
  const problems = validatePlatformConfig(result.data);
  if (problems.length > 0) throw new ConfigError(file, problems);
  return result.data;
}

/** Reads and validates a platform config file. */
export function loadPlatformConfig(file: string): PlatformConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(file, [
      { path: '', got: `an unreadable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, expected: 'a readable YAML file' },
    ]);
  }
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      file,
      doc.errors.map((e) => ({ path: `line ${e.linePos?.[0].line ?? '?'}`, got: 'invalid YAML', expected: e.message.split('\n')[0] })),
    );
  }
  return parsePlatformConfig(doc.toJS(), file);
}
