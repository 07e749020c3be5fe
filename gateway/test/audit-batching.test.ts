/**
 * Audit lines are written in batches: `audit.flushMs` after the first line waiting (10 ms by
 * default), at once past 64 KiB, and on close. (At process exit: bin-lifecycle.test.ts.) The other
 * audit tests run with `flushMs: 0`, one write per event-loop turn.
 */
import { AUDIT_FLUSH_CHARS, AuditLog, type AuditRecord, DEFAULT_AUDIT_FLUSH_MS } from '../src/audit/audit-log';
import { GatewayConfigError } from '../src/config/config-error';
import { parseGatewayConfig } from '../src/config/load-config';
import { silentLogger } from '../src/log/logger';
import { startGateway } from '../src/start-gateway';
import { chatCompletion, type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { TEST_KEY, TEST_KEY_SHA256 } from './support/test-gateway';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function record(requestId: string): AuditRecord {
  return {
    time: '2026-12-03T10:00:00.000Z',
    request_id: requestId,
    operation: 'chat',
    method: 'POST',
    path: '/v1/chat/completions',
    key_id: 'team-a',
    tenant: 'a',
    model: 'chat',
    provider: 'llm',
    target_model: 'm',
    data_class: 'public',
    reasons: [],
    status: 200,
    error_code: null,
    stream: false,
    cache_hit: false,
    input_tokens: 5,
    output_tokens: 2,
    usage_estimated: false,
    cost_usd: 0,
    latency_ms: 1.5,
    ttft_ms: null,
    overhead_ms: 0.2,
    attempts: 1,
  };
}

describe('AuditLog', () => {
  test('lines wait for the window and leave in one write', async () => {
    const writes: string[] = [];
    const audit = new AuditLog((text) => writes.push(text), 40);
    audit.write(record('r1'));
    audit.write(record('r2'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual([]);
    await sleep(80);
    audit.write(record('r3'));
    await sleep(80);
    expect(
      writes.map((w) =>
        w
          .split('\n')
          .filter(Boolean)
          .map((l) => JSON.parse(l).request_id),
      ),
    ).toEqual([['r1', 'r2'], ['r3']]);
    expect(writes.every((w) => w.endsWith('}\n'))).toBe(true);
  });

  test('past 64 KiB waiting, the lines are written at once, and the window writes nothing more', async () => {
    const writes: string[] = [];
    const audit = new AuditLog((text) => writes.push(text), 20);
    const lineChars = JSON.stringify(record('r-000')).length + 1;
    const count = Math.ceil(AUDIT_FLUSH_CHARS / lineChars);
    for (let i = 0; i < count - 1; i++) audit.write(record(`r-${String(i).padStart(3, '0')}`));
    expect(writes).toHaveLength(0);
    audit.write(record('r-last'));
    expect(writes).toHaveLength(1);
    expect(writes[0].split('\n').filter(Boolean)).toHaveLength(count);
    await sleep(50);
    expect(writes).toHaveLength(1);
  });

  test('flush() writes what waits at once; with nothing waiting it writes nothing', () => {
    const writes: string[] = [];
    const audit = new AuditLog((text) => writes.push(text), 1000);
    audit.flush();
    audit.write(record('r1'));
    audit.flush();
    expect(writes).toHaveLength(1);
    audit.flush();
    expect(writes).toHaveLength(1);
  });

  test('flushMs 0 writes once per event-loop turn', async () => {
    const writes: string[] = [];
    const audit = new AuditLog((text) => writes.push(text), 0);
    audit.write(record('r1'));
    audit.write(record('r2'));
    expect(writes).toHaveLength(0);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toHaveLength(1);
  });

  test('a line waiting does not keep the process alive (the timer is unref-ed)', () => {
    const audit = new AuditLog(() => undefined, 1000);
    audit.write(record('r1'));
    const timer = (audit as unknown as { timer: NodeJS.Timeout }).timer;
    expect(timer.hasRef()).toBe(false);
    audit.flush();
  });
});

describe('audit.flushMs in the config', () => {
  const base = {
    providers: [{ name: 'llm', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1' }],
    models: [{ name: 'chat', targets: [{ provider: 'llm', model: 'm' }] }],
  };

  test(`defaults to ${DEFAULT_AUDIT_FLUSH_MS} ms`, () => {
    expect(parseGatewayConfig(base).audit).toEqual({ destination: 'stdout', flushMs: DEFAULT_AUDIT_FLUSH_MS });
  });

  test.each([[-1], [1001], [2.5], ['10']])('refuses %p, naming the field', (flushMs) => {
    let error: unknown;
    try {
      parseGatewayConfig({ ...base, audit: { flushMs } });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GatewayConfigError);
    expect((error as Error).message).toContain('audit.flushMs');
  });
});

describe('a running gateway', () => {
  let llm: FakeUpstream;
  beforeAll(async () => {
    llm = await startFakeUpstream((_req, res) => sendJsonResponse(res, 200, chatCompletion('Paris.')));
  });
  afterAll(() => llm.close());

  test('requests served inside one window share one write; close() writes what waits', async () => {
    const writes: string[] = [];
    const gateway = await startGateway(
      {
        providers: [{ name: 'llm', type: 'openai', baseUrl: `${llm.url}/v1` }],
        models: [{ name: 'chat', targets: [{ provider: 'llm', model: 'm' }] }],
        keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
        audit: { flushMs: 1000 },
      },
      { auditSink: (text) => writes.push(text), log: silentLogger },
    );
    const ids: string[] = [];
    try {
      for (let i = 0; i < 5; i++) {
        const response = await fetch(`${gateway.url}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${TEST_KEY}` },
          body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: `question ${i}` }] }),
        });
        expect(response.status).toBe(200);
        await response.text();
        ids.push(response.headers.get('x-request-id')!);
      }
      expect(writes).toEqual([]);
    } finally {
      await gateway.close();
    }
    expect(writes).toHaveLength(1);
    expect(
      writes[0]
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l).request_id),
    ).toEqual(ids);
  });
});
