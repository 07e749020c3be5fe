import { MetricsRegistry } from './registry';

describe('MetricsRegistry label children', () => {
  test('the same label values give the same child; values that would join alike stay apart', () => {
    const metrics = new MetricsRegistry();
    const requests = metrics.counter('requests');
    const a = requests.labels('chat', 'm', 'p', 't', '200', 'none');
    expect(requests.labels('chat', 'm', 'p', 't', '200', 'none')).toBe(a);
    // With a joined key ("a\0b" + "c" vs "a" + "b\0c") these two would have been one child.
    const b = requests.labels('chat', 'x\u0000y', 'z', 't', '200', 'none');
    const c = requests.labels('chat', 'x', 'y\u0000z', 't', '200', 'none');
    expect(b).not.toBe(c);
    a.inc(2);
    b.inc();
    const text = metrics.render();
    expect(text).toContain(
      'switchyard_requests_total{operation="chat",model="m",provider="p",target_model="t",status="200",error_type="none"} 2',
    );
    expect(text.match(/^switchyard_requests_total\{/gm)).toHaveLength(3);
  });

  test('a family without labels has one child; a wrong number of values is refused', () => {
    const metrics = new MetricsRegistry();
    expect(metrics.gauge('processStartTime').labels()).toBe(metrics.gauge('processStartTime').labels());
    metrics.counter('requests').labels('chat', 'm', 'p', 't', '200', 'none');
    expect(() => metrics.counter('requests').labels('chat')).toThrow(/takes labels operation, model/);
    expect(() => metrics.gauge('inFlight').labels('chat', 'extra')).toThrow(/got 2 value/);
  });

  test('reset() forgets every child', () => {
    const metrics = new MetricsRegistry();
    const inFlight = metrics.gauge('inFlight');
    const before = inFlight.labels('chat');
    before.set(3);
    inFlight.reset();
    expect(inFlight.labels('chat')).not.toBe(before);
    expect(metrics.render()).toContain('switchyard_requests_in_flight{operation="chat"} 0');
  });
});
