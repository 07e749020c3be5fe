/**
 * Operational log lines (startup, reloads, warnings, upstream trouble) as JSON on stderr. Not for
 * per-request records (see audit/): the hot path logs nothing unless something goes wrong.
 * Messages never carry prompts, completions, keys or raw upstream bodies.
 */

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const LEVEL_ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export interface Logger {
  debug(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export type LineSink = (line: string) => void;

export function createLogger(level: LogLevel = 'info', sink: LineSink = (line) => process.stderr.write(line)): Logger {
  const threshold = LEVEL_ORDER[level];
  const write = (lvl: LogLevel, message: string, fields?: Record<string, unknown>) => {
    if (LEVEL_ORDER[lvl] < threshold) return;
    sink(`${JSON.stringify({ time: new Date().toISOString(), level: lvl, msg: message, ...fields })}\n`);
  };
  return {
    debug: (message, fields) => write('debug', message, fields),
    info: (message, fields) => write('info', message, fields),
    warn: (message, fields) => write('warn', message, fields),
    error: (message, fields) => write('error', message, fields),
  };
}

/** A logger that drops everything (tests that assert on other output). */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };
