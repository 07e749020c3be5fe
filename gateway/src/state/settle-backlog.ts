/**
 * Spend that could not be written while Redis was down, kept in memory and written when the store
 * recovers (it reconnects, or a later settlement succeeds): spend is money, so a short outage must
 * not lose it. Only calls that were never sent are kept (StoreNotConnectedError); a call that timed
 * out or lost its connection may have run, and writing it again could count it twice, so it is
 * dropped and counted. Token-bucket corrections are not kept (a minute later they no longer
 * matter). Bounded: past 10 000 entries the oldest are dropped and counted.
 */
import { type SettleCall, type StateStore, StoreNotConnectedError } from './state-store';
import type { StateFaults } from './state-faults';

const MAX_ENTRIES = 10_000;

export class SettleBacklog {
  private entries: SettleCall[] = [];
  private flushing = false;

  constructor(
    private readonly store: StateStore,
    private readonly faults: StateFaults,
  ) {
    store.onRecovered(() => void this.flush());
  }

  get size(): number {
    return this.entries.length;
  }

  /** Keeps the spend part of a settle that was never sent, for later; counts the others as dropped. */
  keep(call: SettleCall, error: unknown): void {
    if (!call.spend || !(error instanceof StoreNotConnectedError)) {
      this.faults.report('settle', 'dropped', error);
      return;
    }
    this.faults.report('settle', 'retry', error);
    this.entries.push({ adjustments: [], spendKey: call.spendKey, spend: call.spend, readBack: [] });
    if (this.entries.length > MAX_ENTRIES) {
      this.entries.shift();
      this.faults.report('settle', 'dropped', new Error(`settle backlog full (${MAX_ENTRIES} entries); the oldest spend was dropped`));
    }
  }

  /** Writes the kept spend in order; stops at the first failure (the rest waits for the next recovery). */
  async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.entries.length > 0) {
        await this.store.settle(this.entries[0]);
        this.entries.shift();
      }
    } catch {
      // Still down: kept for the next recovery.
    } finally {
      this.flushing = false;
    }
  }
}
