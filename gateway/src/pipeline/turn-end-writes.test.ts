import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { afterTurnWrites, corkUntilTurnEnd, endAtTurnEnd, endsAtTurnEnd, flushTurnWrites, turnWritesWaiting } from './turn-end-writes';

let server: Server;
let handler: (req: IncomingMessage, res: ServerResponse) => void;

beforeAll(async () => {
  server = createServer((req, res) => handler(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The socket-level writes a response makes (one per `writev`/`write` call Node issues). */
function countWrites(res: ServerResponse): { count: number } {
  const socket = res.socket as Socket & { _writev: (...a: unknown[]) => unknown; _write: (...a: unknown[]) => unknown };
  const seen = { count: 0 };
  const writev = socket._writev.bind(socket);
  const write = socket._write.bind(socket);
  socket._writev = (...a) => (seen.count++, writev(...a));
  socket._write = (...a) => (seen.count++, write(...a));
  return seen;
}

/** A raw HTTP/1.1 exchange: the whole answer text once the server closes the connection. */
function exchange(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const { port } = server.address() as AddressInfo;
    const socket = connect(port, '127.0.0.1', () => socket.write(`GET ${path} HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n`));
    let text = '';
    socket.setEncoding('utf8');
    socket.on('data', (part: string) => (text += part));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

test('an answer ended in a turn is written in that turn’s check phase, headers and body in one write', async () => {
  const seen: Array<[string, boolean]> = [];
  let writes: { count: number } | undefined;
  handler = (_req, res) => {
    writes = countWrites(res);
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '5' });
    endAtTurnEnd(res, 'hello');
    expect(endsAtTurnEnd(res)).toBe(true);
    process.nextTick(() => seen.push(['microtasks of the turn', res.writableEnded]));
    setImmediate(() => seen.push(['check phase', res.writableEnded]));
  };
  const text = await exchange('/');
  expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
  expect(text.endsWith('\r\n\r\nhello')).toBe(true);
  expect(seen).toEqual([
    ['microtasks of the turn', false],
    ['check phase', true],
  ]);
  expect(writes!.count).toBe(1);
  expect(turnWritesWaiting()).toBe(0);
});

test("a stream's writes from several ticks of one turn leave in one write; without the cork, one each", async () => {
  // Node itself holds the writes of one tick together (it corks until process.nextTick); chunks
  // of one stream arrive in separate ticks, as each upstream read is.
  const counts: number[] = [];
  const respond = (res: ServerResponse, cork: boolean) => {
    const writes = countWrites(res);
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const write = (parts: string[]) => {
      if (cork) corkUntilTurnEnd(res);
      res.write(parts[0]);
      if (parts.length > 1) process.nextTick(() => write(parts.slice(1)));
    };
    write(['data: a\n\n', 'data: b\n\n', 'data: c\n\n']);
    setImmediate(() => {
      counts.push(writes.count);
      res.end();
    });
  };
  handler = (_req, res) => respond(res, true);
  const corked = await exchange('/');
  handler = (_req, res) => respond(res, false);
  const plain = await exchange('/');
  for (const text of [corked, plain]) expect(text).toMatch(/data: a\n\n\r\n.*data: b\n\n\r\n.*data: c\n\n/s);
  expect(counts).toEqual([1, 3]);
});

test('answers of several connections finished in one turn all leave at its end, in order', async () => {
  const pending: ServerResponse[] = [];
  const order: string[] = [];
  handler = (req, res) => {
    pending.push(res);
    res.on('finish', () => order.push(req.url!));
    if (pending.length < 3) return;
    // Three answers finished in one turn (the test's own), ended in reverse arrival order.
    for (const r of [...pending].reverse()) {
      r.writeHead(200, { 'content-length': '2' });
      endAtTurnEnd(r, 'ok');
    }
    expect(turnWritesWaiting()).toBe(3);
  };
  const texts = await Promise.all(['/1', '/2', '/3'].map((p) => exchange(p)));
  for (const text of texts) expect(text.endsWith('\r\n\r\nok')).toBe(true);
  expect(order).toEqual(['/3', '/2', '/1']);
});

test('a client gone before the turn ends is skipped without an error; the others are answered', async () => {
  const errors: unknown[] = [];
  let first: ServerResponse | undefined;
  handler = (req, res) => {
    res.on('error', (e) => errors.push(e));
    if (req.url === '/gone') {
      first = res;
      return;
    }
    first!.writeHead(200, { 'content-length': '4' });
    endAtTurnEnd(first!, 'lost');
    first!.destroy();
    res.writeHead(200, { 'content-length': '4' });
    endAtTurnEnd(res, 'kept');
  };
  const gone = exchange('/gone').catch(() => 'reset');
  await new Promise((r) => setTimeout(r, 50));
  const kept = await exchange('/kept');
  expect(kept.endsWith('\r\n\r\nkept')).toBe(true);
  expect(await gone).not.toContain('lost');
  expect(errors).toEqual([]);
});

test('flushTurnWrites() writes what waits at once (graceful shutdown calls it before closing connections)', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-length': '3' });
    endAtTurnEnd(res, 'now');
    flushTurnWrites();
    expect(res.writableEnded).toBe(true);
    expect(turnWritesWaiting()).toBe(0);
    // What close() does next: the connection is cut, and the answer has already left.
    res.socket!.destroySoon();
  };
  expect((await exchange('/')).endsWith('\r\n\r\nnow')).toBe(true);
});

test('backpressure still works under the cork: a stream of 4 MiB to a client that reads slowly arrives whole', async () => {
  const part = 'x'.repeat(64 * 1024 - 1) + '\n';
  const parts = 64;
  let waits = 0;
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain' });
    void (async () => {
      for (let i = 0; i < parts; i++) {
        corkUntilTurnEnd(res);
        if (!res.write(part)) {
          waits++;
          await new Promise((resolve) => res.once('drain', resolve));
        }
      }
      endAtTurnEnd(res);
    })();
  };
  const { port } = server.address() as AddressInfo;
  const received = await new Promise<number>((resolve, reject) => {
    const socket = connect(port, '127.0.0.1', () => socket.write('GET / HTTP/1.1\r\nhost: x\r\nconnection: close\r\n\r\n'));
    let bytes = 0;
    socket.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
      socket.pause();
      setTimeout(() => socket.resume(), 1);
    });
    socket.on('end', () => resolve(bytes));
    socket.on('error', reject);
  });
  // Chunked framing adds a few bytes per part; the body itself is all there.
  expect(received).toBeGreaterThan(parts * part.length);
  expect(waits).toBeGreaterThan(0);
});

test("work queued after the turn's writes runs once every answer of the turn has been written, in order, even past a task that throws", async () => {
  const order: string[] = [];
  const held: ServerResponse[] = [];
  // Both answers are ended in the same turn: the second request's.
  handler = (_req, res) => {
    held.push(res);
    if (held.length < 2) return;
    held.forEach((r, i) => {
      r.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
      endAtTurnEnd(r, 'ok');
      afterTurnWrites(() => {
        order.push(`task ${i + 1}: answer written ${r.writableEnded}`);
        if (i === 0) throw new Error('a failing task');
      });
    });
    expect(order).toEqual([]);
  };
  const [a, b] = await Promise.all([exchange('/'), exchange('/')]);
  expect(a.endsWith('\r\n\r\nok')).toBe(true);
  expect(b.endsWith('\r\n\r\nok')).toBe(true);
  expect(order).toEqual(['task 1: answer written true', 'task 2: answer written true']);

  // With no answer waiting, the task runs at once.
  let ranNow = false;
  afterTurnWrites(() => (ranNow = true));
  expect(ranNow).toBe(true);

  // flushTurnWrites (graceful shutdown) runs the queued tasks too.
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/plain', 'content-length': '2' });
    endAtTurnEnd(res, 'ok');
    afterTurnWrites(() => order.push('task after a forced flush'));
    flushTurnWrites();
    expect(order.at(-1)).toBe('task after a forced flush');
  };
  await exchange('/');
});
