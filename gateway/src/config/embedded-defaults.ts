/**
 * The config used when the gateway starts without one: Ollama on localhost:11434 (private, so
 * sensitive requests may use it), every model name routed to it as-is, in-memory state. Auth stays
 * on unless SWITCHYARD_ALLOW_ANONYMOUS=true explicitly turns it off (with a warning); with auth on
 * and no keys, every request is refused, so a forgotten config never opens a gateway.
 */
import type { GatewayConfigInput } from './schema';

export const ALLOW_ANONYMOUS_ENV = 'SWITCHYARD_ALLOW_ANONYMOUS';

export function embeddedDefaults(env: Readonly<Record<string, string | undefined>> = process.env): GatewayConfigInput {
  return {
    providers: [{ name: 'local-ollama', type: 'ollama', baseUrl: 'http://localhost:11434', private: true }],
    models: [{ name: '*', targets: [{ provider: 'local-ollama' }] }],
    auth: { allowAnonymous: env[ALLOW_ANONYMOUS_ENV] === 'true' || env[ALLOW_ANONYMOUS_ENV] === '1' },
  };
}
