/**
 * Counts and logs state-backend failures: every one in switchyard_state_errors_total{stage,action},
 * and a log line per stage and action at most every 10 s with how many happened since the last one
 * (an outage under load must not flood the logs).
 *
 * Stages: rate_limit and budget (admission), settle (charging usage afterwards), cache, spend
 * (GET /v1/spend). Actions: fail_open, fail_closed, bypass (cache), retry (settle kept in memory
 * until Redis is back), dropped (settle lost), error (spend report).
 */
import type { Logger } from '../log/logger';
import type { MetricsRegistry } from '../metrics/registry';

export type FaultStage = 'rate_limit' | 'budget' | 'settle' | 'cache' | 'spend';
export type FaultAction = 'fail_open' | 'fail_closed' | 'bypass' | 'retry' | 'dropped' | 'error';

const LOG_EVERY_MS = 10_000;

export class StateFaults {
  private readonly lastLogged = new Map<string, { at: number; suppressed: number }>();

  constructor(
    private readonly metrics: MetricsRegistry,
    private readonly log: Logger,
  ) {}

  report(stage: FaultStage, action: FaultAction, error: unknown): void {
    this.metrics.counter('stateErrors').labels(stage, action).inc();
    const id = `${stage}/${action}`;
    const now = Date.now();
    const last = this.lastLogged.get(id);
    if (last && now - last.at < LOG_EVERY_MS) {
      last.suppressed++;
      return;
    }
    this.lastLogged.set(id, { at: now, suppressed: 0 });
    this.log.warn('state backend failed', {
      stage,
      action,
      error: error instanceof Error ? error.message : String(error),
      similarSinceLastLine: last?.suppressed ?? 0,
    });
  }
}
