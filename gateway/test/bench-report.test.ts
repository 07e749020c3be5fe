/**
 * The benchmark's own logic (bench/*.mjs): the issue's targets read from a run's numbers, the
 * generated section of BENCHMARKS.md, and the raw-socket client that times the first streamed
 * event, run against the real mock upstream and the bare proxy. The bench scripts are ES modules
 * and Jest runs CommonJS here, so each check runs in a child `node` that imports them.
 */
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const BENCH = join(__dirname, '..', 'bench');
const LATEST = join(BENCH, 'results', 'latest.json');

interface Target {
  name: string;
  value: number | undefined;
  limit: number;
  unit: string;
  met: boolean;
  scale?: string;
}

/**
 * Runs `body` as an ES module that has the bench scripts imported and `input` defined; resolves with
 * what `body` returns, passed back as JSON. The child exits once it has written it (a socket the
 * client left open must not keep it alive).
 */
function inNode<T>(body: string, input: unknown): Promise<T> {
  const imports = ['report', 'load', 'targets', 'processes']
    .map((name) => `import * as ${name} from ${JSON.stringify(pathToFileURL(join(BENCH, `${name}.mjs`)).href)};`)
    .join('\n');
  const code = `${imports}\nconst input = JSON.parse(${JSON.stringify(JSON.stringify(input))});\nconst output = await (async () => { ${body} })();\nprocess.stdout.write(JSON.stringify(output), () => process.exit(0));`;
  return new Promise((resolve, reject) => {
    execFile(process.execPath, ['--input-type=module', '-e', code], { maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${error.message}\n${stderr}`));
      else resolve(JSON.parse(stdout) as T);
    });
  });
}

/** The parts of a run's JSON (bench/results/latest.json) these tests read or change. */
interface Result {
  machine: { date: string; cpu: string };
  runs: Array<{ target: string; stream: boolean; connections: number; rps: number; p50Ms: number; p99Ms: number }>;
  firstByte: Array<{ target: string; connections: number; p50Ms: number; p99Ms: number }>;
  throughputSeries?: { rps: Record<string, number[]> };
  firstByteSeries?: { p50Ms: Record<string, number[]> };
  memory: Record<string, { rssMb: number; peakRssMb: number }>;
  longRun: { peakRssMb: number; growthPct: number };
  coldStart: { switchyard: { medianMs: number } };
  targets?: Target[];
}

const latest = (): Result => JSON.parse(readFileSync(LATEST, 'utf8')) as Result;
const targets = (result: Result) => inNode<Target[]>('return report.evaluateTargets(input);', result);
const named = (list: Target[], start: string) => {
  const found = list.find((t) => t.name.startsWith(start));
  if (!found) throw new Error(`no target named ${start}: ${list.map((t) => t.name).join(', ')}`);
  return found;
};

/** One cell of the first-byte runs (the committed run has every cell). */
const firstByteCell = (result: Result, target: string, connections: number) =>
  result.firstByte.find((r) => r.target === target && r.connections === connections)!;

/** Sets one cell of the load runs (the committed run has every cell). */
function setCell(result: Result, target: string, connections: number, values: Record<string, number>) {
  const cell = result.runs.find((r) => r.target === target && r.stream === false && r.connections === connections);
  if (!cell) throw new Error(`no cell ${target} c=${connections}`);
  Object.assign(cell, values);
}

describe('the benchmark report', () => {
  it('reads throughput and first byte from the medians of the alternating series, and latency from the cells at 10 connections', async () => {
    const result = latest();
    // Medians differ from means on purpose: a report that averaged would read other numbers.
    result.throughputSeries!.rps = {
      'bare-proxy': [9000, 20000, 8000, 12000, 8500],
      switchyard: [5000, 9000, 12000, 8800, 9500],
      portkey: [100, 900, 2000, 880, 870],
    };
    result.firstByteSeries!.p50Ms = {
      direct: [0.2, 0.5, 0.3, 0.9, 0.4],
      'bare-proxy': [0.8, 1.1, 0.9, 2.5, 1.0],
      switchyard: [1.3, 1.2, 4.0, 1.25, 1.5],
    };
    setCell(result, 'direct', 10, { p50Ms: 0.5, p99Ms: 1.0 });
    setCell(result, 'switchyard', 10, { p50Ms: 0.75, p99Ms: 2.6 });
    setCell(result, 'bare-proxy', 10, { p50Ms: 0.6, p99Ms: 1.9 });
    const list = await targets(result);

    const throughput = named(list, 'throughput vs Portkey');
    expect(throughput.value).toBeCloseTo(9000 / 880, 6);
    expect(throughput.met).toBe(true);
    expect(throughput.scale).toBe("10x Portkey is 8800 req/s, 98 % of the bare proxy's 9000");

    const p50 = named(list, 'added median latency');
    expect(p50.value).toBeCloseTo(0.25, 6);
    expect(p50.met).toBe(true);
    const p99 = named(list, 'added p99 latency');
    expect(p99.value).toBeCloseTo(1.6, 6);
    expect(p99.met).toBe(false);
    expect(p99.scale).toMatch(/^the bare proxy adds 0\.900 ms; at 1 connection Switchyard adds \d\.\d{3} ms$/);

    const ttfb = named(list, 'added time to first streamed byte');
    expect(ttfb.value).toBeCloseTo(1.3 - 0.4, 6);
    expect(ttfb.met).toBe(true);
    // The same run's bare proxy, and Switchyard at 1 connection from the single cells.
    const one = (target: string) => firstByteCell(result, target, 1).p50Ms;
    expect(ttfb.scale).toBe(
      `the bare proxy adds 0.600 ms; at 1 connection Switchyard adds ${(one('switchyard') - one('direct')).toFixed(3)} ms`,
    );
  });

  it('falls back to the single cells at 10 connections when a run has no series', async () => {
    const result = latest();
    delete result.throughputSeries;
    delete result.firstByteSeries;
    setCell(result, 'switchyard', 10, { rps: 5000 });
    setCell(result, 'portkey', 10, { rps: 1000 });
    firstByteCell(result, 'direct', 10).p50Ms = 0.5;
    firstByteCell(result, 'switchyard', 10).p50Ms = 1.7;
    const list = await targets(result);
    const throughput = named(list, 'throughput vs Portkey');
    expect(throughput.name).not.toMatch(/alternating/);
    expect(throughput.value).toBeCloseTo(5, 6);
    expect(throughput.met).toBe(false);
    const ttfb = named(list, 'added time to first streamed byte');
    expect(ttfb.value).toBeCloseTo(1.2, 6);
    expect(ttfb.met).toBe(false);
  });

  it('reads memory, growth and cold start against their limits, with the long run counted in the peak', async () => {
    const result = latest();
    result.memory.switchyard.peakRssMb = 90;
    result.longRun.peakRssMb = 121;
    result.longRun.growthPct = 10.5;
    result.coldStart.switchyard.medianMs = 299;
    const list = await targets(result);
    expect(named(list, 'peak RSS under load, default')).toMatchObject({ value: 121, met: false });
    expect(named(list, 'RSS growth')).toMatchObject({ value: 10.5, met: false });
    expect(named(list, 'cold start')).toMatchObject({ value: 299, met: true });
  });

  it('rewrites only the generated section of BENCHMARKS.md', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bench-md-'));
    try {
      const file = join(dir, 'BENCHMARKS.md');
      const committed = readFileSync(join(__dirname, '..', 'BENCHMARKS.md'), 'utf8');
      const begin = committed.indexOf('<!-- bench:begin');
      const end = committed.indexOf('<!-- bench:end -->') + '<!-- bench:end -->'.length;
      expect(begin).toBeGreaterThan(-1);
      const before = '# Before\n\nhand-written\n\n';
      const after = '\n\n## After\n\nalso hand-written\n';
      writeFileSync(file, `${before}${committed.slice(begin, end)}${after}`);
      const result = latest();
      result.coldStart.switchyard.medianMs = 301;
      await inNode(
        'input.result.targets = report.evaluateTargets(input.result); report.renderMarkdown(input.result, input.file); return true;',
        {
          result,
          file,
        },
      );
      const text = readFileSync(file, 'utf8');
      expect(text.startsWith(`${before}<!-- bench:begin`)).toBe(true);
      expect(text.endsWith(`<!-- bench:end -->${after}`)).toBe(true);
      expect(text.match(/<!-- bench:begin/g)).toHaveLength(1);
      expect(text).toContain('| cold start to first served request (median) | 301.00 ms | <= 300 ms | **missed** |');
      expect(text).toContain(`Run of ${result.machine.date.slice(0, 10)} on ${result.machine.cpu}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the first-byte client, against the mock upstream and the bare proxy', () => {
  it('times every streamed request to its first event, directly and through the proxy', async () => {
    // Started the way run.mjs starts them (bench/processes.mjs), each probed until it answers.
    const measured = await inNode<Array<{ requests: number; p50Ms: number; p99Ms: number }>>(
      `const answers = (port) => async () => (await processes.httpRequest('http://127.0.0.1:' + port + '/v1/models')).status === 200;
       const mockPort = await processes.freePort();
       await processes.startNode('mock', [input.bench + '/mock-upstream.mjs', '--port', String(mockPort)], { probe: answers(mockPort) });
       const barePort = await processes.freePort();
       await processes.startNode('bare-proxy', [input.bench + '/bare-proxy.mjs', '--port', String(barePort), '--upstream', 'http://127.0.0.1:' + mockPort], { probe: answers(barePort) });
       try {
         const out = [];
         for (const [kind, port] of [['direct', mockPort], ['bare-proxy', barePort]])
           out.push(await load.firstByteLatency({ id: kind, ...targets.targetFor(kind, port, { stream: true, mockPort }) }, { connections: 3, requests: 300 }));
         return out;
       } finally {
         await processes.stopAll();
       }`,
      { bench: BENCH },
    );
    for (const r of measured) {
      expect(r.requests).toBe(300);
      expect(r.p50Ms).toBeGreaterThan(0);
      expect(r.p99Ms).toBeGreaterThanOrEqual(r.p50Ms);
    }
  });

  it('rejects a stream that is not answered 200', async () => {
    // A server that streams an error: the client must not count it as a first event.
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(500, { 'content-type': 'text/event-stream' });
        res.end('data: {"error":{"message":"no"}}\n\n');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const message = await inNode<string>(
        `try {
           await load.firstByteLatency({ id: 'failing', ...targets.targetFor('direct', input.port, { stream: true, mockPort: input.port }) }, { connections: 1, requests: 1 });
           return 'resolved';
         } catch (error) { return String(error.message); }`,
        { port },
      );
      expect(message).toMatch(/^failing: streamed request answered HTTP\/1\.1 500/);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });
});
