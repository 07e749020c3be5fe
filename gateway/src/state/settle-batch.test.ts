import { MAX_BATCH, settleBatcher, settleCommand, type SettleCommand } from './settle-batch';
import { SPEND_RETENTION_SECONDS, type SettleCall, StoreNotConnectedError } from './state-store';

const call = (over: Partial<SettleCall> = {}): SettleCall => ({
  adjustments: [],
  spendKey: 'spend:2026-12',
  spend: { scopes: ['k:a', 't:x'], requests: 1, inputTokens: 10, outputTokens: 5, costNanoUsd: 100.4 },
  readBack: ['k:a:c'],
  ...over,
});

describe('settleCommand', () => {
  test('keeps adjustments in order, sums spend per scope and reads each field once', () => {
    const command = settleCommand([
      call({ adjustments: [{ key: 'rl:k:a:tpm', limit: 100, delta: -20 }] }),
      call({
        adjustments: [{ key: 'rl:k:a:tpm', limit: 100, delta: 7 }],
        spend: { scopes: ['k:a', 'm:gpt'], requests: 1, inputTokens: 1, outputTokens: 2, costNanoUsd: 50.6 },
        readBack: ['t:x:c', 'k:a:c'],
      }),
      call({ spend: undefined, readBack: [] }),
    ]);
    expect(command.keys).toEqual(['rl:k:a:tpm', 'rl:k:a:tpm', 'spend:2026-12']);
    expect(command.args).toEqual([
      2,
      3,
      2,
      SPEND_RETENTION_SECONDS,
      100,
      -20,
      100,
      7,
      'k:a',
      2,
      11,
      7,
      151, // 100 + 51: each call's cost rounded to whole nano-USD, then summed
      't:x',
      1,
      10,
      5,
      100,
      'm:gpt',
      1,
      1,
      2,
      51,
      'k:a:c',
      't:x:c',
    ]);
    expect(command.replyIndex).toEqual([[0], [1, 0], []]);
  });

  test('refuses calls of different spend keys', () => {
    expect(() => settleCommand([call(), call({ spendKey: 'spend:2027-01' })])).toThrow(
      'one settle command covers one spend key: spend:2026-12, not spend:2027-01',
    );
  });
});

describe('settleBatcher (call-batcher.ts)', () => {
  /** A send whose replies the test releases one by one. */
  function manualSend() {
    const sent: Array<{ command: SettleCommand; reply: (totals: number[]) => void; fail: (e: Error) => void }> = [];
    const send = (command: SettleCommand) => new Promise<number[]>((reply, fail) => sent.push({ command, reply, fail }));
    return { sent, send };
  }

  test('the first call goes at once; calls arriving meanwhile leave together once it returns', async () => {
    const { sent, send } = manualSend();
    const batcher = settleBatcher(send, () => undefined);
    const first = batcher.call(call());
    const later = [1, 2, 3].map((i) => batcher.call(call({ readBack: [`k:${i}:c`] })));
    expect(sent).toHaveLength(1);
    expect(batcher.queued).toBe(3);
    sent[0].reply([100]);
    expect(await first).toEqual([100]);
    expect(sent).toHaveLength(2);
    expect(sent[1].command.args.slice(0, 3)).toEqual([0, 2, 3]);
    sent[1].reply([7, 8, 9]);
    expect(await Promise.all(later)).toEqual([[7], [8], [9]]);
    await batcher.idle();
  });

  test('one command per spend key and at most MAX_BATCH calls each', async () => {
    const { sent, send } = manualSend();
    const batcher = settleBatcher(send, () => undefined);
    const first = batcher.call(call());
    const waiting = [
      ...Array.from({ length: MAX_BATCH + 1 }, () => batcher.call(call())),
      batcher.call(call({ spendKey: 'spend:2027-01' })),
    ];
    sent[0].reply([1]);
    await first;
    expect(sent.slice(1).map((s) => [s.command.keys.at(-1), s.command.replyIndex.length])).toEqual([
      ['spend:2026-12', MAX_BATCH],
      ['spend:2026-12', 1],
      ['spend:2027-01', 1],
    ]);
    for (const s of sent.slice(1)) s.reply([2]);
    expect((await Promise.all(waiting)).every((t) => t[0] === 2)).toBe(true);
  });

  test('a failed command fails every call in it; a store that went down fails the waiting ones unsent', async () => {
    const { sent, send } = manualSend();
    let connected = true;
    const batcher = settleBatcher(send, () => {
      if (!connected) throw new StoreNotConnectedError('reconnecting');
    });
    const first = batcher.call(call());
    const second = batcher.call(call());
    sent[0].fail(new Error('Command timed out'));
    await expect(first).rejects.toThrow('Command timed out');
    const third = batcher.call(call());
    connected = false;
    sent[1].fail(new Error('Connection is closed.'));
    await expect(second).rejects.toThrow('Connection is closed.');
    await expect(third).rejects.toBeInstanceOf(StoreNotConnectedError);
    expect(sent).toHaveLength(2);
    await expect(batcher.call(call())).rejects.toBeInstanceOf(StoreNotConnectedError);
    await batcher.idle();
  });
});
