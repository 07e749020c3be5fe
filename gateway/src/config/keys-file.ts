/**
 * API keys kept outside the config, in the file `keysFile` names: a YAML list of entries of the
 * same schema as `keys` (`{ id, sha256, tenant, models, ... }`). In Kubernetes the file is a
 * Secret's key mounted as a volume, so key digests never sit in a ConfigMap. The file's entries
 * join the config's own `keys` and pass the same rules (unique ids and digests, known models);
 * every problem is reported with the file's name and the entry's path, e.g. `[1].sha256`.
 */
import { readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import * as z from 'zod';
import { configProblems, GatewayConfigError } from './config-error';
import { readYaml } from './read-yaml';
import { type GatewayConfig, gatewayConfigSchema, type KeyConfig, keySchema } from './schema';

const keysFileSchema = z.array(keySchema);

/** Where `keysFile` points: an absolute path, or relative to `baseDir` (the config file's directory). */
export function keysFilePath(keysFile: string, baseDir = process.cwd()): string {
  return isAbsolute(keysFile) ? keysFile : resolve(baseDir, keysFile);
}

/** Reads and validates a keys file; throws GatewayConfigError naming the file. */
export function readKeysFile(file: string): KeyConfig[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GatewayConfigError(file, [
      {
        path: '',
        got: `an unreadable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        expected: 'a readable YAML list of keys',
      },
    ]);
  }
  // An empty file is an empty list: a Secret created before the first key is issued.
  const raw: unknown = readYaml(text, file) ?? [];
  const result = keysFileSchema.safeParse(raw);
  if (!result.success) throw new GatewayConfigError(file, configProblems(result.error.issues, raw));
  return result.data;
}

/**
 * The config with the keys of its `keysFile` added to `keys`, checked together with the rest of
 * the config; the config itself when it names no keys file.
 */
export function withKeysFile(config: GatewayConfig, baseDir?: string): GatewayConfig {
  if (config.keysFile === undefined) return config;
  const file = keysFilePath(config.keysFile, baseDir);
  const fileKeys = readKeysFile(file);
  const inline = config.keys.length;
  const merged = { ...config, keys: [...config.keys, ...fileKeys] };
  const result = gatewayConfigSchema.safeParse(merged);
  if (result.success) return result.data;
  // The config alone was valid, so what fails is an entry of the file (a duplicate id or digest,
  // a model the config does not serve): report it at the entry's place in the file.
  const issues = result.error.issues.map((issue) => {
    const [section, index, ...rest] = issue.path;
    return section === 'keys' && typeof index === 'number' && index >= inline ? { ...issue, path: [index - inline, ...rest] } : issue;
  });
  throw new GatewayConfigError(file, configProblems(issues, fileKeys));
}
