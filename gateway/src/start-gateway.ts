/**
 * Starts a gateway in this process: validates and compiles the config, builds the stages, listens,
 * and returns a handle to reload the config or close gracefully (stop accepting, let in-flight
 * requests and streams finish, then release connections). The bin, the tests, the benchmark and
 * the state layer all start the gateway through here.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AuditLog, auditSinkFor } from './audit/audit-log';
import type { Detector } from './compliance/detectors';
import { GatewayConfigError } from './config/config-error';
import { compileRuntime } from './config/gateway-runtime';
import { withKeysFile } from './config/keys-file';
import { parseGatewayConfig, parseGatewayConfigYaml } from './config/load-config';
import type { GatewayConfig, GatewayConfigInput } from './config/schema';
import { UpstreamClient } from './http/upstream-client';
import { createLogger, type LineSink, type Logger } from './log/logger';
import { MetricsRegistry } from './metrics/registry';
import type { GatewayContext } from './pipeline/gateway-context';
import type { PipelineStages, StagesFactory } from './pipeline/stages';
import { flushTurnWrites } from './pipeline/turn-end-writes';
import { HealthBoard } from './routing/target-health';
import { collectProcessMetrics } from './server/process-metrics';
import { createRequestListener, type InFlight } from './server/serve-request';
import { createStateStages } from './state/state-stages';

export interface StartGatewayOptions {
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** 0 picks a free port. @default 0 */
  readonly port?: number;
  /** The state layer's stages (rate limits, budgets, cache). @default - the state layer: createStateStages (passThroughStages admits all, caches nothing) */
  readonly stages?: StagesFactory;
  /** @default - JSON lines on stderr, level info */
  readonly log?: Logger;
  /** Where audit lines go; null turns audit off. @default - per config `audit.destination` */
  readonly auditSink?: LineSink | null;
  /** Environment for provider API keys. @default process.env */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Custom detectors run after the configured ones. */
  readonly extraDetectors?: readonly Detector[];
  /** Longest wait for in-flight requests on close before connections are cut. @default 30000 */
  readonly shutdownGraceMs?: number;
  /** Names the config in error messages. @default "<config>" */
  readonly source?: string;
  /** The directory a relative `keysFile` is found in (the config file's). @default - the working directory */
  readonly configDir?: string;
}

export interface RunningGateway {
  /** `http://host:port` */
  readonly url: string;
  readonly port: number;
  readonly metrics: MetricsRegistry;
  /** The config now serving. */
  readonly config: GatewayConfig;
  /**
   * Applies a new config (an object, or YAML text), with its `keysFile` read again; when either is
   * invalid, logs the problems, counts a failed reload, keeps the old config serving and throws
   * GatewayConfigError.
   */
  reload(config: GatewayConfigInput | string, source?: string): GatewayConfig;
  /** Stops accepting, waits for in-flight requests (streams included), then releases everything. */
  close(): Promise<void>;
  /** Writes the audit lines waiting for their batch now (the bin calls it at process exit). */
  flushAudit(): void;
  /** Settles when the startup work left to the background is done (GET /readyz then answers 200). */
  readonly ready: Promise<void>;
}

/** The stages used when none are given: the state layer (Redis or in-memory limits, budgets, cache). */
export const defaultStagesFactory: StagesFactory = createStateStages;

function listen(server: Server, port: number, host: string): Promise<AddressInfo> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server.address() as AddressInfo);
    });
  });
}

export async function startGateway(input: GatewayConfigInput | GatewayConfig, options: StartGatewayOptions = {}): Promise<RunningGateway> {
  const log = options.log ?? createLogger();
  const source = options.source ?? '<config>';
  const runtimeOptions = { env: options.env, extraDetectors: options.extraDetectors };
  const config = withKeysFile(parseGatewayConfig(input, source), options.configDir);
  const runtime = compileRuntime(config, runtimeOptions, source);
  const metrics = new MetricsRegistry();
  const stopProcessMetrics = collectProcessMetrics(metrics);
  metrics.gauge('configLastReloadSuccess').labels().set(1);
  const health = new HealthBoard(config.routing, metrics);
  const stages: PipelineStages = await (options.stages ?? defaultStagesFactory)(config, { metrics, log, env: options.env, source });
  const upstream = new UpstreamClient();
  const auditSink = options.auditSink === undefined ? auditSinkFor(config.audit.destination) : (options.auditSink ?? undefined);
  const audit = new AuditLog(auditSink, config.audit.flushMs);
  const gw: GatewayContext = { runtime, stages, upstream, health, metrics, audit, log };
  if (config.auth.allowAnonymous) log.warn('auth.allowAnonymous is on: requests without an API key are served as tenant "default"');

  const inFlight: InFlight = { count: 0, draining: false, starting: stages.warming !== undefined };
  const ready = (stages.warming ?? Promise.resolve()).finally(() => (inFlight.starting = false));
  const server = createServer({ keepAliveTimeout: 65_000, requestTimeout: 0, headersTimeout: 60_000 }, createRequestListener(gw, inFlight));
  const address = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  let closing: Promise<void> | undefined;

  return {
    url: `http://${host}:${address.port}`,
    port: address.port,
    metrics,
    ready,
    get config() {
      return gw.runtime.config;
    },

    reload(next, nextSource = source) {
      try {
        const parsed = withKeysFile(
          typeof next === 'string' ? parseGatewayConfigYaml(next, nextSource) : parseGatewayConfig(next, nextSource),
          options.configDir,
        );
        gw.runtime = compileRuntime(parsed, runtimeOptions, nextSource);
        health.reconfigure(parsed.routing);
        stages.reconfigure?.(parsed);
        metrics.counter('configReloads').labels('success').inc();
        metrics.gauge('configLastReloadSuccess').labels().set(1);
        log.info('config reloaded', { source: nextSource, providers: parsed.providers.length, models: parsed.models.length });
        return parsed;
      } catch (error) {
        metrics.counter('configReloads').labels('failure').inc();
        metrics.gauge('configLastReloadSuccess').labels().set(0);
        const problems =
          error instanceof GatewayConfigError ? error.problems : [{ path: '', got: String(error), expected: 'a valid config' }];
        // The source is the keys file when that is what failed.
        log.error('config reload refused; the previous config keeps running', {
          source: error instanceof GatewayConfigError ? error.source : nextSource,
          problems,
        });
        throw error;
      }
    },

    flushAudit: () => audit.flush(),
    close() {
      closing ??= (async () => {
        inFlight.draining = true;
        const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        if (inFlight.count > 0) {
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, options.shutdownGraceMs ?? 30_000);
            inFlight.onIdle = () => {
              clearTimeout(timer);
              resolve();
            };
          });
        }
        // Answers finished in this turn are still waiting to be written (turn-end-writes.ts).
        flushTurnWrites();
        server.closeAllConnections();
        await stopped;
        audit.flush();
        stopProcessMetrics();
        await Promise.allSettled([upstream.close(), stages.close?.()]);
      })();
      return closing;
    },
  };
}
