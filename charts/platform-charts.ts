/**
 * Composes the platform's charts from the config, in apply order. Each chart becomes one file in
 * dist/<profile>/, prefixed with its position so `kubectl apply -f dist/<profile>/` creates
 * namespaces and custom-resource owners first.
 */
import { App, type Chart } from 'cdk8s';
import type { PlatformConfig } from '../config/platform-config';
import { applySyncWaves } from '../constructs/gitops/sync-waves';
import { DataChart } from './data-chart';
import { EdgeChart } from './edge-chart';
import { GatewayChart } from './gateway-chart';
import { GITOPS_FILE_STEM, GitopsChart } from './gitops-chart';
import { ModelsChart } from './models-chart';
import { NamespacesChart } from './namespaces-chart';
import { ObservabilityChart } from './observability-chart';
import { UiChart } from './ui-chart';

/** A chart and the file stem it is written to. */
export interface PlatformChart {
  readonly fileStem: string;
  readonly chart: Chart;
}

/** Builds every chart for `config` into a fresh cdk8s App (synthesized in memory, never written by cdk8s itself). */
export function buildPlatformCharts(config: PlatformConfig): { app: App; charts: PlatformChart[] } {
  const app = new App({ outdir: '.cdk8s-unused' });
  const charts: PlatformChart[] = [];
  const add = <T extends Chart>(fileStem: string, chart: T): T => {
    charts.push({ fileStem, chart });
    return chart;
  };

  add('namespaces', new NamespacesChart(app, 'namespaces', { config }));
  add('edge', new EdgeChart(app, 'edge', { config }));
  if (config.components.gateway) add('gateway', new GatewayChart(app, 'gateway', { config }));
  add('models', new ModelsChart(app, 'models', { config }));
  add('data', new DataChart(app, 'data', { config }));
  if (config.components.openWebUi) add('ui', new UiChart(app, 'ui', { config }));
  add('observability', new ObservabilityChart(app, 'observability', { config }));

  // Last: the GitOps chart reads the namespaces and kinds of everything above.
  const gitops = config.gitops;
  if (gitops?.enabled) {
    const synced = charts.map((c) => c.chart);
    applySyncWaves(synced);
    add(GITOPS_FILE_STEM, new GitopsChart(app, 'gitops', { config, gitops, charts: synced }));
  }

  return { app, charts: charts.map((c, i) => ({ ...c, fileStem: `${String(i).padStart(2, '0')}-${c.fileStem}` })) };
}
