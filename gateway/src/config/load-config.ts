/** Reads a gateway config: YAML text -> schema (with cross-field rules) -> GatewayConfig. */
import { readFileSync } from 'node:fs';
import { configProblems, GatewayConfigError } from './config-error';
import { readYaml } from './read-yaml';
import { type GatewayConfig, gatewayConfigSchema } from './schema';

/** Validates an already-parsed config object; throws GatewayConfigError naming `source`. */
export function parseGatewayConfig(raw: unknown, source = '<config>'): GatewayConfig {
  const result = gatewayConfigSchema.safeParse(raw);
  if (!result.success) throw new GatewayConfigError(source, configProblems(result.error.issues, raw));
  return result.data;
}

export function parseGatewayConfigYaml(text: string, source = '<config>'): GatewayConfig {
  return parseGatewayConfig(readYaml(text, source), source);
}

export function loadGatewayConfig(file: string): GatewayConfig {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new GatewayConfigError(file, [
      { path: '', got: `an unreadable file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, expected: 'a readable YAML file' },
    ]);
  }
  return parseGatewayConfigYaml(text, file);
}
