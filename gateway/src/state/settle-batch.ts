/**
 * Settlements sent to Redis in batches (call-batcher.ts). Every admitted request settles once it
 * has finished; at a few thousand requests a second that was one EVALSHA per request, each adding
 * the same dozen spend counters (three scopes, four measures). While one settle command is out,
 * the settlements that arrive wait for it and then leave together as one command:
 * - bucket adjustments are kept one by one, in order (the script clamps each at the bucket's limit,
 *   so summing them first would not give the same level);
 * - spend is summed per scope (addition commutes, so the counters end the same);
 * - each caller gets back the totals of its own read-back fields, read after the whole batch.
 * One command covers one spend hash (one billing period) and at most MAX_BATCH settlements; each
 * caller's promise settles with its batch, so a failed batch fails every call in it, each then
 * handled by the guard's backlog exactly as a single call would be.
 */
import { CallBatcher } from './call-batcher';
import { SPEND_RETENTION_SECONDS, type SettleCall } from './state-store';

/** Settlements per command: bounds the script's argument list (about 12 arguments each). */
export const MAX_BATCH = 64;

/** One SETTLE script invocation (redis-scripts.ts): its keys, its arguments, and where each read lands. */
export interface SettleCommand {
  readonly keys: string[];
  readonly args: Array<string | number>;
  /** For each call, the index in the reply of each of its read-back fields. */
  readonly replyIndex: number[][];
}

/** Builds one command from calls that share a spend key. */
export function settleCommand(calls: readonly SettleCall[]): SettleCommand {
  if (calls.length === 0) throw new Error('settleCommand needs at least one call');
  const spendKey = calls[0].spendKey;
  const keys: string[] = [];
  const adjustments: number[] = [];
  const spend = new Map<string, [number, number, number, number]>();
  const fields = new Map<string, number>();
  const replyIndex: number[][] = [];
  for (const call of calls) {
    if (call.spendKey !== spendKey) throw new Error(`one settle command covers one spend key: ${spendKey}, not ${call.spendKey}`);
    for (const a of call.adjustments) {
      keys.push(a.key);
      adjustments.push(a.limit, a.delta);
    }
    const s = call.spend;
    if (s)
      for (const scope of s.scopes) {
        const sum = spend.get(scope) ?? [0, 0, 0, 0];
        sum[0] += s.requests;
        sum[1] += s.inputTokens;
        sum[2] += s.outputTokens;
        sum[3] += Math.round(s.costNanoUsd);
        spend.set(scope, sum);
      }
    replyIndex.push(
      call.readBack.map((field) => {
        let at = fields.get(field);
        if (at === undefined) fields.set(field, (at = fields.size));
        return at;
      }),
    );
  }
  const args: Array<string | number> = [keys.length, spend.size, fields.size, SPEND_RETENTION_SECONDS, ...adjustments];
  for (const [scope, sum] of spend) args.push(scope, ...sum);
  args.push(...fields.keys());
  keys.push(spendKey);
  return { keys, args, replyIndex };
}

/** Settlements through `send` (one SETTLE command per batch of one spend key). */
export function settleBatcher(send: (command: SettleCommand) => Promise<number[]>, ready: () => void): CallBatcher<SettleCall, number[]> {
  return new CallBatcher<SettleCall, number[]>(
    async (calls) => {
      const command = settleCommand(calls);
      const reply = await send(command);
      return command.replyIndex.map((indexes) => indexes.map((i) => reply[i]));
    },
    ready,
    { maxBatch: MAX_BATCH, groupOf: (call) => call.spendKey },
  );
}
