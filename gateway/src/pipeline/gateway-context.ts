/** What request handlers share: the current runtime (swapped on reload) and long-lived services. */
import type { AuditLog } from '../audit/audit-log';
import type { Classification } from '../compliance/classification';
import type { GatewayRuntime } from '../config/gateway-runtime';
import type { CancelSignal } from '../http/cancellation';
import type { UpstreamClient } from '../http/upstream-client';
import type { Logger } from '../log/logger';
import type { MetricsRegistry } from '../metrics/registry';
import type { FallbackEnvironment } from '../routing/send-with-fallback';
import type { HealthBoard } from '../routing/target-health';
import type { PipelineStages } from './stages';

export interface GatewayContext {
  /** Replaced by a config reload; a request reads it once, when it starts. */
  runtime: GatewayRuntime;
  readonly stages: PipelineStages;
  readonly upstream: UpstreamClient;
  readonly health: HealthBoard;
  readonly metrics: MetricsRegistry;
  readonly audit: AuditLog;
  readonly log: Logger;
}

/** What sendWithFallback needs to route one request of `runtime` (read once, at its start). */
export function fallbackEnvironment(
  gw: GatewayContext,
  runtime: GatewayRuntime,
  model: string,
  classification: Classification,
  signal: CancelSignal,
): FallbackEnvironment {
  return {
    model,
    sensitive: classification.dataClass === 'sensitive',
    reasons: classification.reasons,
    routing: runtime.config.routing,
    health: gw.health,
    metrics: gw.metrics,
    log: gw.log,
    signal,
  };
}
