/** A config's problems as the lines `npm run synth` prints (`path: got X; expected Y`), for rule tests. */
import { ConfigError } from '../../config/config-error';
import { parsePlatformConfig } from '../../config/load-config';

export function configProblems(raw: unknown): string[] {
  try {
    parsePlatformConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: got ${p.got}; expected ${p.expected}`);
    throw error;
  }
  return [];
}
