/**
 * The `switchyard-gateway` bin: `switchyard-gateway --config <file> [--host 127.0.0.1] [--port 8080]`.
 * Without --config (or SWITCHYARD_GATEWAY_CONFIG) it runs on the embedded defaults. The config file
 * and its keys file (`keysFile`) are watched and reloaded on change (an invalid new config or keys
 * file is refused and the old config keeps running). SIGTERM/SIGINT: stop accepting, finish in-flight requests and streams, exit.
 */
// First: it must run before any module below builds a zod schema.
import './config/zod-jitless';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { GatewayConfigError } from './config/config-error';
import { embeddedDefaults } from './config/embedded-defaults';
import { loadGatewayConfig } from './config/load-config';
import { watchGatewayFiles } from './config/watch-gateway-files';
import { createLogger, type LogLevel } from './log/logger';
import { startGateway } from './start-gateway';

const USAGE = `Usage: switchyard-gateway [--config <file>] [--host 127.0.0.1] [--port 8080] [--log-level info]

  --config     gateway config (YAML); also SWITCHYARD_GATEWAY_CONFIG. Without it: embedded
               defaults (Ollama at localhost:11434; set SWITCHYARD_ALLOW_ANONYMOUS=true to serve
               without API keys).
  --host       address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
  --port       port to listen on (default 8080)
  --log-level  debug | info | warn | error (default info)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      port: { type: 'string', default: '8080' },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const level = values['log-level'] as LogLevel;
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new Error(`--log-level must be debug, info, warn or error, got ${JSON.stringify(level)}`);
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number (0-65535), got ${JSON.stringify(values.port)}`);
  const log = createLogger(level);
  const file = values.config ?? process.env.SWITCHYARD_GATEWAY_CONFIG;
  const config = file ? loadGatewayConfig(file) : embeddedDefaults();
  if (!file) log.warn('no --config given: running on embedded defaults (Ollama at http://localhost:11434, in-memory state)');
  const gateway = await startGateway(config, {
    host: values.host,
    port,
    log,
    source: file ?? '<embedded defaults>',
    configDir: file ? dirname(file) : undefined,
  });
  if (gateway.config.keys.length === 0 && !gateway.config.auth.allowAnonymous)
    log.warn(
      'no API keys configured and anonymous access is off: every request will get 401 (set SWITCHYARD_ALLOW_ANONYMOUS=true for local use)',
    );
  log.info('gateway listening', { url: gateway.url, config: file ?? '<embedded defaults>' });

  const watcher = file ? watchGatewayFiles(file, gateway, log) : undefined;

  // Audit lines still waiting for their batch are written whatever ends the process: a second
  // signal's exit, an uncaught exception (Node emits 'exit' for it too) or the end of shutdown.
  process.on('exit', () => gateway.flushAudit());

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) {
      log.warn('second signal: exiting without waiting', { signal });
      process.exit(1);
    }
    stopping = true;
    log.info('shutting down: finishing in-flight requests', { signal });
    watcher?.close();
    gateway.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((error: unknown) => {
  if (error instanceof GatewayConfigError) process.stderr.write(`switchyard-gateway: invalid config\n${error.message}\n`);
  else process.stderr.write(`switchyard-gateway: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
  process.exit(2);
});
