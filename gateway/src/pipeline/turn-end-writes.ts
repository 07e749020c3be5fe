/**
 * Responses leave at the end of the event-loop turn, one after another, instead of each at the
 * moment its handler finishes.
 *
 * A write to a socket whose reader sleeps in epoll pays for waking it; on loopback the writer's
 * own syscall runs the reader's TCP receive path and the wakeup, and on a virtual machine that
 * wakeup is an interrupt sent through the hypervisor. Under load one turn of the event loop
 * finishes several requests (about five at 10 connections) with ~20 us of JavaScript between
 * them, long enough for a client to read one answer and go back to sleep, so every answer woke it
 * again. Written back to back in the turn's check phase, the later writes find it awake. On the
 * benchmark's host the `writev` of client answers went from ~28 % to ~11 % of the gateway's busy
 * time and the CPU per request fell ~20 % (BENCHMARKS.md, twelfth round). undici writes upstream
 * requests the same way (from `setImmediate`).
 *
 * What waits is the rest of the turn: the check phase follows the poll phase at once, so an idle
 * gateway's answer leaves as soon as the JavaScript that produced it returns. Backpressure is
 * unchanged: a corked response still buffers its writes and reports a full buffer.
 *
 * `endAtTurnEnd` stands for `res.end(body)`; `corkUntilTurnEnd` before `res.write` holds a stream's
 * chunks of this turn together; `flushTurnWrites` writes everything waiting now (graceful shutdown
 * calls it before closing connections); `afterTurnWrites` queues the bookkeeping that follows an
 * answer (the request record's metrics, audit line and settlement) behind the turn's writes, so
 * that no answer waits for another request's bookkeeping.
 */
import type { ServerResponse } from 'node:http';

/** What a response waits for: an uncork, an end, or both (the end sends what the cork held). */
interface Waiting {
  corked: boolean;
  ends: boolean;
  body: string | Uint8Array | undefined;
}

let waiting = new Map<ServerResponse, Waiting>();
/** Work that waits for this turn's answers to be written (see afterTurnWrites). */
let after: Array<() => void> = [];

function entry(res: ServerResponse): Waiting {
  let w = waiting.get(res);
  if (w === undefined) {
    // The turn's first answer schedules the flush (after a flush the map starts empty again).
    if (waiting.size === 0) setImmediate(flushTurnWrites);
    w = { corked: false, ends: false, body: undefined };
    waiting.set(res, w);
  }
  return w;
}

/** `res.end(body)` at the end of this turn (headers set or written before stay as they are). */
export function endAtTurnEnd(res: ServerResponse, body?: string | Uint8Array): void {
  const w = entry(res);
  w.ends = true;
  w.body = body;
}

/** Holds what is written to `res` in this turn until its end, to leave in one write. */
export function corkUntilTurnEnd(res: ServerResponse): void {
  const w = entry(res);
  if (w.corked || w.ends) return;
  w.corked = true;
  res.cork();
}

/** Sends every answer waiting now, in the order they were first held. */
export function flushTurnWrites(): void {
  if (waiting.size === 0) return;
  const now = waiting;
  waiting = new Map();
  for (const [res, w] of now) {
    try {
      if (w.ends) {
        // end() uncorks the socket fully, so a held cork leaves with the end's bytes in one write.
        // A client gone meanwhile has nothing to receive.
        if (!res.destroyed && !res.writableEnded) res.end(w.body);
      } else if (w.corked && !res.writableEnded) res.uncork();
    } catch {
      // One answer Node refuses (none is known) must not keep the others of the turn waiting.
      res.destroy();
    }
  }
  if (after.length === 0) return;
  const tasks = after;
  after = [];
  for (const task of tasks) {
    try {
      task();
    } catch {
      // Each task reports its own failures; one that throws must not cost the others their turn.
    }
  }
}

/**
 * Runs `task` once this turn's answers have been written, or now when none is waiting. For the
 * bookkeeping that follows an answer (metrics, the audit line, settling limits): done before the
 * flush it delayed every answer of the turn by every request's bookkeeping.
 */
export function afterTurnWrites(task: () => void): void {
  if (waiting.size === 0) task();
  else after.push(task);
}

/** An end is waiting for this turn's end: the handler has answered in full. */
export function endsAtTurnEnd(res: ServerResponse): boolean {
  return waiting.get(res)?.ends === true;
}

/** Answers waiting for the end of the turn (for tests). */
export function turnWritesWaiting(): number {
  return waiting.size;
}
