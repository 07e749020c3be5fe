/**
 * A circuit breaker per target: `failureThreshold` consecutive failures open it; while open the
 * target is skipped; after `cooldownMs` one probe request is let through (half-open), whose
 * outcome closes or re-opens it.
 */
export type CircuitState = 'closed' | 'open' | 'half_open';

export interface CircuitSettings {
  readonly failureThreshold: number;
  readonly cooldownMs: number;
}

export class CircuitBreaker {
  private current: CircuitState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private probing = false;

  constructor(
    public settings: CircuitSettings,
    private readonly onChange: (state: CircuitState) => void = () => undefined,
  ) {}

  get state(): CircuitState {
    return this.current;
  }

  /** Milliseconds until an open circuit lets a probe through (0 when not open). */
  remainingCooldownMs(now: number): number {
    return this.current === 'open' ? Math.max(0, this.openedAt + this.settings.cooldownMs - now) : 0;
  }

  /** Whether a request may go to the target now; in half-open only the one probe may. */
  tryAcquire(now: number): boolean {
    if (this.current === 'closed') return true;
    if (this.current === 'open') {
      if (now - this.openedAt < this.settings.cooldownMs) return false;
      this.transition('half_open');
    }
    if (this.probing) return false;
    this.probing = true;
    return true;
  }

  onSuccess(): void {
    this.failures = 0;
    this.probing = false;
    if (this.current !== 'closed') this.transition('closed');
  }

  onFailure(now: number): void {
    this.probing = false;
    this.failures++;
    if (this.current === 'half_open' || (this.current === 'closed' && this.failures >= this.settings.failureThreshold)) {
      this.openedAt = now;
      this.transition('open');
    }
  }

  /** The request ended without telling anything about the target (client cancelled): free the probe. */
  release(): void {
    this.probing = false;
  }

  private transition(state: CircuitState): void {
    this.current = state;
    this.onChange(state);
  }
}
