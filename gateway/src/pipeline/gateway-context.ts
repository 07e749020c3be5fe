/** What request handlers share: the current runtime (swapped on reload) and long-lived services. */
import type { AuditLog } from '../audit/audit-log';
import type { GatewayRuntime } from '../config/gateway-runtime';
import type { UpstreamClient } from '../http/upstream-client';
import type { Logger } from '../log/logger';
import type { MetricsRegistry } from '../metrics/registry';
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
