/**
 * The Switchyard gateway's deployment settings and its runtime config (providers, models, keys,
 * compliance, prices). The runtime part is rendered into the gateway's ConfigMap.
 */
import { z } from 'zod';
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
   * The gateway's runtime config (providers, models, keys, compliance, prices), validated by the
   * gateway's own schema when the gateway workspace provides it.
   */
  runtime: z.record(z.string(), z.unknown()),
});

export type GatewayDeploymentConfig = z.infer<typeof gatewayDeploymentSchema>;
