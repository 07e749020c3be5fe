/**
 * Group commit for Redis script calls. The first call goes out at once; calls that arrive while
 * one is out wait for it (at most one round trip) and then leave together, as one script call per
 * group and at most `maxBatch` per command. Under light load nothing waits; under heavy load each
 * command carries several requests, so ioredis, the socket and Redis's script runner each work
 * once for all of them. Each caller's promise settles with its own command: a failed command fails
 * every call in it, exactly as it would have failed each alone.
 */
export interface CallBatcherOptions<C> {
  /** Calls per command (bounds the script's argument list). */
  readonly maxBatch: number;
  /** Calls of different groups never share a command (e.g. one spend hash per settle command). */
  readonly groupOf?: (call: C) => string;
}

interface Waiting<C, R> {
  readonly call: C;
  readonly resolve: (reply: R) => void;
  readonly reject: (error: unknown) => void;
}

export class CallBatcher<C, R> {
  private inFlight = 0;
  private waiting: Array<Waiting<C, R>> = [];
  private idleListeners: Array<() => void> = [];

  /**
   * `send` makes one command of the calls and returns one reply per call, in order. `ready` is
   * asked before each command goes out: it throws when the store cannot send
   * (StoreNotConnectedError), which fails the calls that were about to go.
   */
  constructor(
    private readonly send: (calls: readonly C[]) => Promise<R[]>,
    private readonly ready: () => void,
    private readonly options: CallBatcherOptions<C>,
  ) {}

  call(call: C): Promise<R> {
    if (this.inFlight > 0) return new Promise((resolve, reject) => this.waiting.push({ call, resolve, reject }));
    try {
      this.ready();
    } catch (error) {
      return Promise.reject(error);
    }
    return this.dispatch([call]).then((replies) => replies[0]);
  }

  /** Calls waiting for the command in flight. */
  get queued(): number {
    return this.waiting.length;
  }

  /** Resolves once no command is out and none waits (before the connection is closed). */
  idle(): Promise<void> {
    if (this.inFlight === 0 && this.waiting.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleListeners.push(resolve));
  }

  private async dispatch(calls: readonly C[]): Promise<R[]> {
    this.inFlight++;
    try {
      const replies = await this.send(calls);
      if (replies.length !== calls.length)
        throw new Error(`a batched command answered ${replies.length} replies for ${calls.length} calls`);
      return replies;
    } finally {
      if (--this.inFlight === 0) this.flush();
      if (this.inFlight === 0) {
        const listeners = this.idleListeners;
        this.idleListeners = [];
        for (const listener of listeners) listener();
      }
    }
  }

  /** Sends what waited, grouped, `maxBatch` calls per command. */
  private flush(): void {
    if (this.waiting.length === 0) return;
    const waiting = this.waiting;
    this.waiting = [];
    try {
      this.ready();
    } catch (error) {
      for (const w of waiting) w.reject(error);
      return;
    }
    const groupOf = this.options.groupOf;
    const groups = new Map<string, Array<Waiting<C, R>>>();
    for (const w of waiting) {
      const name = groupOf ? groupOf(w.call) : '';
      const group = groups.get(name);
      if (group) group.push(w);
      else groups.set(name, [w]);
    }
    for (const group of groups.values())
      for (let i = 0; i < group.length; i += this.options.maxBatch) {
        const batch = group.slice(i, i + this.options.maxBatch);
        this.dispatch(batch.map((w) => w.call)).then(
          (replies) => batch.forEach((w, j) => w.resolve(replies[j])),
          (error: unknown) => batch.forEach((w) => w.reject(error)),
        );
      }
  }
}
