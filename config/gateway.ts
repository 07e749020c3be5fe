/**
 * The Switchyard gateway's deployment settings and its runtime config (providers, models,
 * compliance, prices). The runtime part is rendered into the gateway's ConfigMap; API keys come
 * from a Secret instead.
 */
import { z } from 'zod';
import { gatewayConfigSchema, keySchema } from '../gateway/src/config/schema';
import { MEMORY_PROFILE_NAMES } from '../gateway/src/memory-profiles';
import { quantity } from './primitives';

/** The Secret (in the gateway namespace) holding the gateway's API keys under `keys.yaml`; the operator creates it. */
export const GATEWAY_API_KEYS_SECRET = 'gateway-api-keys';

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
   * How the gateway's Node process trades memory for CPU (gateway/src/memory-profiles.ts):
   * `standard` pins 8 MB semi-spaces, a 256 MB heap limit and two malloc arenas (so the pod behaves
   * as the benchmark measured, whatever memory limit V8 would size itself from); `lean` halves the
   * semi-spaces, for a few MB less peak RSS at more frequent collections.
   * @default 'standard'
   */
  memoryProfile: z.enum(MEMORY_PROFILE_NAMES),
  /**
   * The gateway's runtime config (providers, models, compliance, prices, state; no keys), validated by
   * the gateway's own schema, so a problem is reported at `gateway.runtime.<path>` at synth time.
   * @default - derived by the gateway chart: the in-cluster Ollama as the one private provider,
   * serving each of `models`.
   */
  runtime: gatewayConfigSchema.optional(),
  /**
   * Refused (kept so that the refusal can say where keys go): API keys, even as digests, never sit
   * in the platform config or a ConfigMap. The gateway reads them from the Secret
   * GATEWAY_API_KEYS_SECRET (key `keys.yaml`) that the operator creates; see docs/workloads.md.
   * @default - none
   */
  keys: z.array(keySchema).optional(),
});

export type GatewayDeploymentConfig = z.infer<typeof gatewayDeploymentSchema>;
