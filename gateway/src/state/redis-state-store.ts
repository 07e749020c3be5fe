/**
 * State in Redis, shared by every replica (ioredis). Built to never hold a request up:
 * - commands time out after `commandTimeoutMs` (default 250 ms);
 * - no offline queue: while disconnected, commands fail at once (StoreNotConnectedError: not sent)
 *   instead of waiting;
 * - commands in flight when the connection drops fail at once and are never re-sent (an admission
 *   sent twice would charge twice);
 * - reconnection is automatic, with backoff capped at 2 s; ioredis sends each script with EVAL the
 *   first time on a connection and EVALSHA after, so a restarted Redis gets them back at once.
 * Failures reach the caller as rejections; the guard and cache apply the fail mode.
 * One standalone Redis (or a primary behind a Service/Sentinel); not Redis Cluster (a script's
 * keys would span slots).
 */
import type { default as Redis, Result } from 'ioredis';
import type { Logger } from '../log/logger';
import { ADMIT_SCRIPT, SETTLE_SCRIPT } from './redis-scripts';
import type { CallBatcher } from './call-batcher';
import { settleBatcher } from './settle-batch';
import { type AdmitCall, type AdmitReply, type BucketLevel, type SettleCall, type StateStore, StoreNotConnectedError } from './state-store';

declare module 'ioredis' {
  interface RedisCommander<Context> {
    switchyardAdmit(numKeys: number, ...args: Array<string | number>): Result<number[], Context>;
    switchyardSettle(numKeys: number, ...args: Array<string | number>): Result<number[], Context>;
  }
}

export interface RedisStateStoreOptions {
  readonly url: string;
  readonly password?: string;
  readonly keyPrefix: string;
  readonly commandTimeoutMs: number;
  readonly log: Logger;
  /** How long startup waits for the first connection before serving anyway. @default 2000 */
  readonly connectWaitMs?: number;
}

const OUTCOMES = ['admitted', 'rate_limited', 'budget_exceeded', 'too_large'] as const;
const MAX_RECONNECT_DELAY_MS = 2000;

export class RedisStateStore implements StateStore {
  readonly kind = 'redis';
  private readonly recovered: Array<() => void> = [];
  private closing = false;
  /** Settlements that arrive while one is out leave together (settle-batch.ts). */
  private readonly settles: CallBatcher<SettleCall, number[]>;

  private constructor(private readonly redis: Redis) {
    this.settles = settleBatcher(
      (command) => this.redis.switchyardSettle(command.keys.length, ...command.keys, ...command.args),
      () => this.checkConnected(),
    );
  }

  /** Connects (waiting at most `connectWaitMs`); a Redis that is down does not stop the gateway. */
  static async connect(options: RedisStateStoreOptions): Promise<RedisStateStore> {
    const { log } = options;
    const { Redis: RedisClient } = await import('../vendor/ioredis');
    const redis = new RedisClient(options.url, {
      password: options.password,
      keyPrefix: options.keyPrefix,
      commandTimeout: options.commandTimeoutMs,
      connectTimeout: Math.max(1000, options.commandTimeoutMs * 4),
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      autoResendUnfulfilledCommands: false,
      enableAutoPipelining: true,
      retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 6), MAX_RECONNECT_DELAY_MS),
      connectionName: 'switchyard-gateway',
      // A socket that never connected emits no 'close'; do not keep the process alive 2 s for it on shutdown.
      disconnectTimeout: 200,
    });
    redis.defineCommand('switchyardAdmit', { lua: ADMIT_SCRIPT });
    redis.defineCommand('switchyardSettle', { lua: SETTLE_SCRIPT });
    const store = new RedisStateStore(redis);
    const where = redactedTarget(options.url);
    let connected = false;
    let lastError = '';
    redis.on('error', (error: Error) => {
      // Connection errors repeat on every reconnect attempt: log each distinct one once.
      if (error.message !== lastError) log.warn('redis error', { redis: where, error: error.message });
      lastError = error.message;
    });
    redis.on('ready', () => {
      lastError = '';
      if (!connected) {
        connected = true;
        log.info('redis connected', { redis: where });
        return;
      }
      log.info('redis connection restored', { redis: where });
      for (const listener of store.recovered) listener();
    });
    redis.on('close', () => {
      if (connected && !store.closing) log.warn('redis connection lost; reconnecting', { redis: where });
    });
    const waitMs = options.connectWaitMs ?? 2000;
    const ready = new Promise<boolean>((resolve) => {
      const timer = setTimeout(resolve, waitMs, false);
      redis.once('ready', () => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!(await ready))
      log.warn('redis not reachable at startup; serving per state.onRedisError until it is', { redis: where, waitedMs: waitMs });
    return store;
  }

  async admit(call: AdmitCall): Promise<AdmitReply> {
    this.checkConnected();
    const args: Array<string | number> = [...call.buckets.map((b) => b.key), call.spendKey, call.buckets.length, call.budgets.length];
    for (const b of call.buckets) args.push(b.limit, b.cost);
    for (const b of call.budgets) args.push(b.field, b.limitNanoUsd);
    const reply = await this.redis.switchyardAdmit(call.buckets.length + 1, ...args);
    const levels: BucketLevel[] = call.buckets.map((_, i) => ({ remaining: reply[3 + 2 * i], resetMs: reply[4 + 2 * i] }));
    const spentNanoUsd = call.budgets.map((_, j) => reply[3 + 2 * call.buckets.length + j]);
    return { outcome: OUTCOMES[reply[0]], failedIndex: reply[1] - 1, retryAfterMs: reply[2], levels, spentNanoUsd };
  }

  async settle(call: SettleCall): Promise<number[]> {
    return this.settles.call(call);
  }

  async readSpend(spendKey: string): Promise<Record<string, number>> {
    this.checkConnected();
    const hash = await this.redis.hgetall(spendKey);
    return Object.fromEntries(Object.entries(hash).map(([field, value]) => [field, Number(value)]));
  }

  async cacheGet(key: string): Promise<string | undefined> {
    this.checkConnected();
    return (await this.redis.get(key)) ?? undefined;
  }

  async cacheSet(key: string, value: string, ttlSeconds: number): Promise<void> {
    this.checkConnected();
    await this.redis.set(key, value, 'EX', ttlSeconds);
  }

  /** Fails fast, and tells the caller the command was never sent, while not connected. */
  private checkConnected(): void {
    if (this.redis.status !== 'ready') throw new StoreNotConnectedError(this.redis.status);
  }

  onRecovered(listener: () => void): void {
    this.recovered.push(listener);
  }

  async close(): Promise<void> {
    this.closing = true;
    // Settlements already handed over go out before QUIT (those waiting fail if the link is down).
    await this.settles.idle();
    try {
      if (this.redis.status === 'ready') await this.redis.quit();
      else this.redis.disconnect();
    } catch {
      this.redis.disconnect();
    }
  }
}

/** `host:port/db` of a Redis URL, for log lines (never the username or password). */
function redactedTarget(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}${parsed.pathname}`;
  } catch {
    return '<invalid url>';
  }
}
