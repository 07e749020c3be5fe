/** The platform's dashboards, keyed by the file name Grafana provisions them from. */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import type { PlatformConfig } from '../../config/platform-config';
import { gatewayOverviewDashboard } from './gateway-overview';
import { modelsAndGpusDashboard } from './models-and-gpus';
import { platformHealthDashboard } from './platform-health';

export function platformDashboards(config: PlatformConfig): Record<string, Dashboard> {
  return {
    ...(config.components.gateway ? { 'gateway-overview.json': gatewayOverviewDashboard() } : {}),
    'models-and-gpus.json': modelsAndGpusDashboard(config),
    'platform-health.json': platformHealthDashboard(config),
  };
}
