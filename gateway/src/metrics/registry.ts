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
  /** Children in creation order, for render(). */
  private readonly children: Array<{ labels: string; child: C }> = [];
  /**
   * Lookup by label values, one Map level per label: no key string is built per call (joining
   * the values was ~1 % of a request's CPU under load, for the half-dozen lookups a request makes).
   */
  private readonly index = new Map<string, unknown>();
  /** The one child of a family without labels. */
  private unlabelled: C | undefined;

  constructor(
    readonly definition: MetricDefinition,
    private readonly create: () => C,
  ) {}

  /** The child for these label values (created on first use); keep it to skip the lookup next time. */
  labels(...values: readonly string[]): C {
    const last = values.length - 1;
    if (last !== this.definition.labelNames.length - 1) return this.add(values); // throws
    if (last < 0) return this.unlabelled ?? this.add(values);
    let level = this.index;
    for (let i = 0; i < last; i++) {
      const next = level.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) return this.add(values);
      level = next;
    }
    const found = level.get(values[last]) as C | undefined;
    return found ?? this.add(values);
  }

  private add(values: readonly string[]): C {
    if (values.length !== this.definition.labelNames.length)
      throw new Error(`${this.definition.name} takes labels ${this.definition.labelNames.join(', ')}, got ${values.length} value(s)`);
    let level = this.index;
    for (let i = 0; i < values.length - 1; i++) {
      let next = level.get(values[i]) as Map<string, unknown> | undefined;
      if (next === undefined) {
        next = new Map();
        level.set(values[i], next);
      }
      level = next;
    }
    const child = this.create();
    if (values.length === 0) this.unlabelled = child;
    else level.set(values[values.length - 1], child);
    this.children.push({ labels: labelText(this.definition.labelNames, values), child });
    return child;
  }

  /** Forgets every child (gauges describing config, such as circuit state, on reload). */
  reset(): void {
    this.children.length = 0;
    this.index.clear();
    this.unlabelled = undefined;
  }

  render(lines: string[]): void {
    const { name, help, type } = this.definition;
    lines.push(`# HELP ${name} ${help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`, `# TYPE ${name} ${type}`);
    for (const { labels, child } of this.children) {
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
