/**
 * What the router remembers about each target across requests and config reloads: its circuit
 * breaker and a moving average of its latency (for `lowest-latency`). Keyed by `provider/model`.
 */
import { CIRCUIT_STATE_VALUES } from '../metrics/catalog';
import type { MetricsRegistry } from '../metrics/registry';
import type { RoutingConfig } from '../config/routing-schema';
import { CircuitBreaker } from './circuit-breaker';

export class TargetHealth {
  readonly breaker: CircuitBreaker;
  /** Exponentially weighted moving average latency in ms; undefined until the first success. */
  latencyMs: number | undefined;

  constructor(settings: RoutingConfig, onState: (value: number) => void, onOpen: () => void) {
    this.breaker = new CircuitBreaker(settings.circuitBreaker, (state) => {
      onState(CIRCUIT_STATE_VALUES[state]);
      if (state === 'open') onOpen();
    });
  }

  recordLatency(ms: number, alpha: number): void {
    this.latencyMs = this.latencyMs === undefined ? ms : alpha * ms + (1 - alpha) * this.latencyMs;
  }
}

export class HealthBoard {
  private readonly entries = new Map<string, TargetHealth>();

  constructor(
    private settings: RoutingConfig,
    private readonly metrics: MetricsRegistry,
  ) {}

  get(provider: string, model: string): TargetHealth {
    const id = `${provider}/${model}`;
    let health = this.entries.get(id);
    if (!health) {
      const gauge = this.metrics.gauge('circuitState').labels(provider, model);
      const opened = this.metrics.counter('circuitOpened').labels(provider, model);
      health = new TargetHealth(
        this.settings,
        (value) => gauge.set(value),
        () => opened.inc(),
      );
      this.entries.set(id, health);
    }
    return health;
  }

  /** Applies reloaded breaker settings to every known target; state is kept. */
  reconfigure(settings: RoutingConfig): void {
    this.settings = settings;
    for (const health of this.entries.values()) health.breaker.settings = settings.circuitBreaker;
  }

  get alpha(): number {
    return this.settings.latencyEwmaAlpha;
  }
}
