/**
 * The few panel shapes the platform dashboards use, built with the Grafana Foundation SDK's typed
 * builders: time series of one or more PromQL queries, single stats, and rows. Every panel reads
 * the provisioned Prometheus datasource by its fixed uid.
 */
import {
  BigValueColorMode,
  BigValueGraphMode,
  type DataSourceRef,
  LegendDisplayMode,
  LegendPlacement,
  ReduceDataOptionsBuilder,
  SortOrder,
  StackingConfigBuilder,
  StackingMode,
  TooltipDisplayMode,
  VizLegendOptionsBuilder,
  VizTooltipOptionsBuilder,
} from '@grafana/grafana-foundation-sdk/common';
import {
  DashboardBuilder,
  DashboardCursorSync,
  RowBuilder,
  ThresholdsConfigBuilder,
  ThresholdsMode,
} from '@grafana/grafana-foundation-sdk/dashboard';
import { DataqueryBuilder } from '@grafana/grafana-foundation-sdk/prometheus';
import { PanelBuilder as StatPanelBuilder } from '@grafana/grafana-foundation-sdk/stat';
import { PanelBuilder as TimeseriesPanelBuilder } from '@grafana/grafana-foundation-sdk/timeseries';

/** The uid of the Prometheus datasource Grafana is provisioned with. */
export const PROMETHEUS_DATASOURCE_UID = 'switchyard-prometheus';
export const PROMETHEUS_DATASOURCE: DataSourceRef = { type: 'prometheus', uid: PROMETHEUS_DATASOURCE_UID };

/** One query of a panel: PromQL and the legend template (`{{model}}`). */
export interface PanelQuery {
  readonly expr: string;
  readonly legend: string;
}

/** Grafana units used by the panels (https://grafana.com/docs/grafana/latest/panels-visualizations/configure-standard-options/). */
export type PanelUnit = 'reqps' | 's' | 'percentunit' | 'short' | 'currencyUSD' | 'bytes' | 'cores' | 'none';

export interface PanelOptions {
  readonly description?: string;
  /** Width in grid columns (24 is the full width). @default 12 */
  readonly span?: number;
  /** @default 8 */
  readonly height?: number;
  /** Stack the series (for parts of a whole, such as tokens by model). @default false */
  readonly stacked?: boolean;
}

function queries(list: readonly PanelQuery[]): DataqueryBuilder[] {
  return list.map((q, i) =>
    new DataqueryBuilder()
      .datasource(PROMETHEUS_DATASOURCE)
      .refId(String.fromCharCode(65 + i))
      .expr(q.expr)
      .legendFormat(q.legend)
      .range(),
  );
}

export function timeseries(
  title: string,
  unit: PanelUnit,
  list: readonly PanelQuery[],
  options: PanelOptions = {},
): TimeseriesPanelBuilder {
  const panel = new TimeseriesPanelBuilder()
    .title(title)
    .datasource(PROMETHEUS_DATASOURCE)
    .targets(queries(list))
    .unit(unit)
    .span(options.span ?? 12)
    .height(options.height ?? 8)
    .fillOpacity(options.stacked ? 40 : 10)
    .legend(
      new VizLegendOptionsBuilder()
        .showLegend(true)
        .displayMode(LegendDisplayMode.Table)
        .placement(LegendPlacement.Right)
        .calcs(['lastNotNull', 'max']),
    )
    .tooltip(new VizTooltipOptionsBuilder().mode(TooltipDisplayMode.Multi).sort(SortOrder.Descending));
  if (options.description) panel.description(options.description);
  if (unit === 'percentunit') panel.min(0).max(1);
  if (options.stacked) panel.stacking(new StackingConfigBuilder().mode(StackingMode.Normal).group('A'));
  return panel;
}

/** A single number; turns red at `redAbove` when given. */
export function stat(
  title: string,
  unit: PanelUnit,
  query: PanelQuery,
  options: PanelOptions & { readonly redAbove?: number } = {},
): StatPanelBuilder {
  const steps = [{ value: null, color: 'green' }, ...(options.redAbove === undefined ? [] : [{ value: options.redAbove, color: 'red' }])];
  const panel = new StatPanelBuilder()
    .title(title)
    .datasource(PROMETHEUS_DATASOURCE)
    .targets(queries([query]))
    .unit(unit)
    .span(options.span ?? 6)
    .height(options.height ?? 4)
    .graphMode(BigValueGraphMode.Area)
    .colorMode(BigValueColorMode.Value)
    .reduceOptions(new ReduceDataOptionsBuilder().calcs(['lastNotNull']))
    .thresholds(new ThresholdsConfigBuilder().mode(ThresholdsMode.Absolute).steps(steps));
  if (options.description) panel.description(options.description);
  return panel;
}

export function row(title: string): RowBuilder {
  return new RowBuilder(title);
}

/** A dashboard with the platform's common settings: uid, tags, 6 hours, refreshed every 30 seconds. */
export function platformDashboard(uid: string, title: string, description: string): DashboardBuilder {
  return new DashboardBuilder(title)
    .uid(uid)
    .description(description)
    .tags(['switchyard'])
    .time({ from: 'now-6h', to: 'now' })
    .refresh('30s')
    .timezone('browser')
    .tooltip(DashboardCursorSync.Crosshair)
    .readonly();
}
