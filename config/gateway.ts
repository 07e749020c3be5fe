/**
 * The Switchyard gateway's deployment settings and its runtime config (providers, models, keys,
 * compliance, prices). The runtime part is rendered into the gateway's ConfigMap.
 */
import { z } from 'zod';
import { gatewayConfigSchema, keySchema } from '../gateway/src/config/schema';
import { quantity } from './primitives';

export const gatewayDeploymentSchema = z.strictObject({
  image: z.strictObject({
    repository: z.string().min(1),
    /** A pinned tag or digest; `latest` is refused. */
    tag: z.string().regex(/^(?!latest$)[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/, { message: 'a pinned image tag (not "latest")' }),
  }),
  replicas: z.strictObject({ min: z.number().int().min(1), max: z.number().int().min(1) }),
  resources: z.strictObject({
    cpuRequest: quantity,
    cpuLimit: quantity,
    memoryRequest: quantity,
    memoryLimit: quantity,
  }),
  /**
   * The gateway's runtime config (providers, models, keys, compliance, prices, state), validated by
   * the gateway's own schema, so a problem is reported at `gateway.runtime.<path>` at synth time.
   * @default - derived by the gateway chart: the in-cluster Ollama as the one private provider,
   * serving each of `models`.
   */
  runtime: gatewayConfigSchema.optional(),
  /**
   * API keys of the derived runtime, as SHA-256 digests (`printf %s "$KEY" | sha256sum`), never
   * the keys. Only without `runtime` (which lists its own `keys`).
   * @default - none: every request is refused until a key is listed
   */
  keys: z.array(keySchema).optional(),
});

export type GatewayDeploymentConfig = z.infer<typeof gatewayDeploymentSchema>;
