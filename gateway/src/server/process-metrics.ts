/** Process metrics read at scrape time: CPU, resident memory, start time, event-loop delay. */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import type { MetricsRegistry } from '../metrics/registry';

export const GATEWAY_VERSION = '0.1.0';

/** Registers the collectors; returns a function that stops the event-loop monitor. */
export function collectProcessMetrics(metrics: MetricsRegistry): () => void {
  const loop = monitorEventLoopDelay({ resolution: 20 });
  loop.enable();
  const startSeconds = Math.round(Date.now() / 1000 - process.uptime());
  metrics.gauge('buildInfo').labels(GATEWAY_VERSION, process.version).set(1);
  metrics.gauge('processStartTime').labels().set(startSeconds);
  const cpu = metrics.counter('processCpu').labels();
  const rss = metrics.gauge('processResidentMemory').labels();
  const delay = metrics.gauge('eventLoopDelayP99').labels();
  metrics.onCollect(() => {
    const usage = process.cpuUsage();
    cpu.value = (usage.user + usage.system) / 1e6;
    rss.set(process.memoryUsage.rss());
    delay.set(loop.count > 0 ? loop.percentile(99) / 1e9 : 0);
    loop.reset();
  });
  return () => loop.disable();
}
