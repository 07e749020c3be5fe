/**
 * A small Prometheus registry built for the hot path: every metric comes from the catalogue, label
 * children are created once and kept (callers hold on to them), and an update is one addition.
 * `render()` writes the text exposition format (version 0.0.4) at scrape time.
 */
import { type MetricDefinition, type MetricKey, metricCatalog } from './catalog';

type Catalog = typeof metricCatalog;
type KeysOfType<T extends string> = { [K in MetricKey]: Catalog[K]['type'] extends T ? K : never }[MetricKey];
export type CounterKey = KeysOfType<'counter'>;
export type GaugeKey = KeysOfType<'gauge'>;
export type HistogramKey = KeysOfType<'histogram'>;

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

function labelText(names: readonly string[], values: readonly string[], extra = ''): string {
  const pairs = names.map((name, i) => `${name}="${escapeLabelValue(values[i] ?? '')}"`);
  if (extra) pairs.push(extra);
  return pairs.length ? `{${pairs.join(',')}}` : '';
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

export class CounterChild {
  value = 0;
  inc(amount = 1): void {
    this.value += amount;
  }
}

export class GaugeChild {
  value = 0;
  set(value: number): void {
    this.value = value;
  }
  inc(amount = 1): void {
    this.value += amount;
  }
  dec(amount = 1): void {
    this.value -= amount;
  }
}

export class HistogramChild {
  /** Per-bucket (non-cumulative) counts; the last slot is +Inf. */
  readonly counts: Float64Array;
  sum = 0;
  count = 0;
  constructor(private readonly bounds: readonly number[]) {
    this.counts = new Float64Array(bounds.length + 1);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]) i++;
    this.counts[i]++;
    this.sum += value;
    this.count++;
  }
}

type Child = CounterChild | GaugeChild | HistogramChild;

/** One metric family: its definition and its children keyed by label values. */
export class MetricFamily<C extends Child> {
  private readonly children = new Map<string, { labels: string; child: C }>();

  constructor(
    readonly definition: MetricDefinition,
    private readonly create: () => C,
  ) {}

  /** The child for these label values (created on first use); keep it to skip the lookup next time. */
  labels(...values: readonly string[]): C {
    const id = values.length === 1 ? values[0] : values.join('\u0000');
    const found = this.children.get(id);
    if (found) return found.child;
    if (values.length !== this.definition.labelNames.length)
      throw new Error(`${this.definition.name} takes labels ${this.definition.labelNames.join(', ')}, got ${values.length} value(s)`);
    const child = this.create();
    this.children.set(id, { labels: labelText(this.definition.labelNames, values), child });
    return child;
  }

  /** Forgets every child (gauges describing config, such as circuit state, on reload). */
  reset(): void {
    this.children.clear();
  }

  render(lines: string[]): void {
    const { name, help, type } = this.definition;
    lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const { labels, child } of this.children.values()) {
      if (child instanceof HistogramChild) this.renderHistogram(lines, labels, child);
      else lines.push(`${name}${labels} ${formatNumber(child.value)}`);
    }
  }

  private renderHistogram(lines: string[], labels: string, child: HistogramChild): void {
    const { name, buckets = [] } = this.definition;
    const inner = labels ? `${labels.slice(1, -1)},` : '';
    let cumulative = 0;
    buckets.forEach((bound, i) => {
      cumulative += child.counts[i];
      lines.push(`${name}_bucket{${inner}le="${formatNumber(bound)}"} ${cumulative}`);
    });
    cumulative += child.counts[buckets.length];
    lines.push(
      `${name}_bucket{${inner}le="+Inf"} ${cumulative}`,
      `${name}_sum${labels} ${formatNumber(child.sum)}`,
      `${name}_count${labels} ${child.count}`,
    );
  }
}

/** Every catalogued metric, ready to use; nothing outside the catalogue can be registered. */
export class MetricsRegistry {
  private readonly families = new Map<MetricKey, MetricFamily<Child>>();
  private readonly collectors: Array<() => void> = [];

  constructor() {
    for (const key of Object.keys(metricCatalog) as MetricKey[]) {
      const definition: MetricDefinition = metricCatalog[key];
      const create =
        definition.type === 'histogram'
          ? () => new HistogramChild(definition.buckets ?? [])
          : definition.type === 'gauge'
            ? () => new GaugeChild()
            : () => new CounterChild();
      this.families.set(key, new MetricFamily<Child>(definition, create));
    }
  }

  counter(key: CounterKey): MetricFamily<CounterChild> {
    return this.families.get(key) as MetricFamily<CounterChild>;
  }

  gauge(key: GaugeKey): MetricFamily<GaugeChild> {
    return this.families.get(key) as MetricFamily<GaugeChild>;
  }

  histogram(key: HistogramKey): MetricFamily<HistogramChild> {
    return this.families.get(key) as MetricFamily<HistogramChild>;
  }

  /** Runs `collect` before each render (process metrics read at scrape time). */
  onCollect(collect: () => void): void {
    this.collectors.push(collect);
  }

  render(): string {
    for (const collect of this.collectors) collect();
    const lines: string[] = [];
    for (const family of this.families.values()) family.render(lines);
    return `${lines.join('\n')}\n`;
  }
}

export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';
