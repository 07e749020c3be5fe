import { CircuitBreaker, type CircuitState } from './circuit-breaker';
import { retryDelayMs } from './backoff';
import { routingSchema } from '../config/routing-schema';

describe('circuit breaker', () => {
  const setup = () => {
    const states: CircuitState[] = [];
    return { breaker: new CircuitBreaker({ failureThreshold: 3, cooldownMs: 1000 }, (s) => states.push(s)), states };
  };

  test('opens after the threshold of consecutive failures, not before', () => {
    const { breaker, states } = setup();
    breaker.onFailure(0);
    breaker.onFailure(0);
    breaker.onSuccess();
    breaker.onFailure(0);
    breaker.onFailure(0);
    expect(breaker.state).toBe('closed');
    breaker.onFailure(10);
    expect(breaker.state).toBe('open');
    expect(states).toEqual(['open']);
    expect(breaker.tryAcquire(500)).toBe(false);
    expect(breaker.remainingCooldownMs(500)).toBe(510);
  });

  test('after the cooldown, exactly one probe passes; its success closes the circuit', () => {
    const { breaker, states } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    expect(breaker.tryAcquire(1000)).toBe(true);
    expect(breaker.state).toBe('half_open');
    expect(breaker.tryAcquire(1001)).toBe(false);
    breaker.onSuccess();
    expect(states).toEqual(['open', 'half_open', 'closed']);
    expect(breaker.tryAcquire(1002)).toBe(true);
  });

  test('a failed probe re-opens it for another cooldown; a cancelled probe frees the slot', () => {
    const { breaker } = setup();
    for (let i = 0; i < 3; i++) breaker.onFailure(0);
    breaker.tryAcquire(1000);
    breaker.release();
    expect(breaker.tryAcquire(1000)).toBe(true);
    breaker.onFailure(1000);
    expect(breaker.state).toBe('open');
    expect(breaker.tryAcquire(1999)).toBe(false);
    expect(breaker.tryAcquire(2000)).toBe(true);
  });
});

describe('retry delay', () => {
  const routing = routingSchema.parse({ backoffMs: 100, maxBackoffMs: 1000, maxRetryAfterMs: 5000 });

  test('honours Retry-After up to maxRetryAfterMs, and gives up beyond it', () => {
    expect(retryDelayMs(1, routing, 3000)).toBe(3000);
    expect(retryDelayMs(1, routing, 6000)).toBeUndefined();
  });

  test('otherwise backs off exponentially with full jitter, capped', () => {
    expect(retryDelayMs(1, routing, undefined, () => 0.999)).toBe(100);
    expect(retryDelayMs(3, routing, undefined, () => 0.999)).toBe(400);
    expect(retryDelayMs(10, routing, undefined, () => 0.999)).toBe(999);
    expect(retryDelayMs(3, routing, undefined, () => 0)).toBe(0);
  });
});
