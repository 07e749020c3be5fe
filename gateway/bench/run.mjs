// `npm run bench` (in gateway/): Switchyard's gateway side by side with a direct call, a bare
// pass-through proxy and Portkey's gateway, all in front of the same mock upstream, measured in one
// run with the same load generator. Prints a table, writes JSON (bench/results/latest.json), and
// with --markdown rewrites the results section of BENCHMARKS.md.
//
//   node bench/run.mjs [--seconds 5] [--connections 1,10,64] [--long-requests 200000]
//                      [--server-warmup-seconds 10] [--cold-starts 5] [--no-portkey] [--no-redis] [--no-lean]
//                      [--ttfb-requests 2000] [--ttfb-series-requests 6000] [--ratio-rounds 5]
//                      [--max-steal 3] [--steal-attempts 4] [--quick] [--markdown]
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, tmpdir, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { profileEnvironment } from '../scripts/code-cache.mjs';
import { cpuTicks, stealPct, stealText, withLowSteal } from './cpu-steal.mjs';
import { firstByteLatency, load, loadUntil, wrkVersion } from './load.mjs';
import { freePort, httpRequest, startNode, stopAll } from './processes.mjs';
import { evaluateTargets, median, renderMarkdown, renderTable, run } from './report.mjs';
import { targetFor, writeSwitchyardConfig } from './targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const gatewayRoot = join(here, '..');
// The memory profiles the chart deploys (gateway.memoryProfile), with exactly their Node options
// and environment: the `switchyard-lean` row runs the lean profile, every other Switchyard row the
// default one (a pod that names no profile gets it).
const PROFILES = JSON.parse(readFileSync(join(gatewayRoot, 'src', 'memory-profiles.json'), 'utf8'));
const DEFAULT_PROFILE = Object.keys(PROFILES).find((name) => PROFILES[name].default);
if (!DEFAULT_PROFILE) throw new Error('src/memory-profiles.json names no default profile');
const { values: opts } = parseArgs({
  options: {
    seconds: { type: 'string', default: '5' },
    'warmup-seconds': { type: 'string', default: '1' },
    'server-warmup-seconds': { type: 'string', default: '10' },
    connections: { type: 'string', default: '1,10,64' },
    'long-requests': { type: 'string', default: '200000' },
    'cold-starts': { type: 'string', default: '5' },
    'ttfb-requests': { type: 'string', default: '2000' },
    'ttfb-series-requests': { type: 'string', default: '6000' },
    'ratio-rounds': { type: 'string', default: '5' },
    portkey: { type: 'boolean', default: true },
    redis: { type: 'boolean', default: true },
    lean: { type: 'boolean', default: true },
    build: { type: 'boolean', default: true },
    'max-steal': { type: 'string', default: '3' },
    'steal-attempts': { type: 'string', default: '4' },
    quick: { type: 'boolean', default: false },
    markdown: { type: 'boolean', default: false },
    out: { type: 'string', default: join(here, 'results', 'latest.json') },
  },
  allowNegative: true,
});
const quick = opts.quick;
const seconds = quick ? 1 : Number(opts.seconds);
const warmupSeconds = quick ? 1 : Number(opts['warmup-seconds']);
const serverWarmupSeconds = quick ? 2 : Number(opts['server-warmup-seconds']);
const connections = opts.connections.split(',').map(Number);
const longRequests = quick ? 20_000 : Number(opts['long-requests']);
const coldStarts = quick ? 2 : Number(opts['cold-starts']);
const ttfbRequests = quick ? 300 : Number(opts['ttfb-requests']);
const ttfbSeriesRequests = quick ? 300 : Number(opts['ttfb-series-requests']);
const ratioRounds = quick ? 1 : Number(opts['ratio-rounds']);
// A measured cell that ran while the hypervisor stole more than this share of CPU is run again.
const stealPolicy = { maxStealPct: Number(opts['max-steal']), attempts: quick ? 1 : Number(opts['steal-attempts']) };
const log = (line) => process.stderr.write(`${line}\n`);

function onPath(binary) {
  try {
    execFileSync('sh', ['-c', `command -v ${binary}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

function machine(generator) {
  const cpu = cpus();
  return {
    cpu: cpu[0]?.model.trim() ?? 'unknown',
    cores: cpu.length,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    kernel: release(),
    node: process.version,
    loadGenerator: generator === 'wrk' ? wrkVersion() : 'autocannon 8 (latency resolution 1 ms)',
    date: new Date().toISOString(),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'switchyard-bench-'));
const mockPort = await freePort();
const gatewayBin = join(gatewayRoot, 'dist', 'gateway.js');
const portkeyBin = join(gatewayRoot, '..', 'node_modules', '@portkey-ai', 'gateway', 'build', 'start-server.js');

/** A chat completion that must come back 200: the readiness probe and the cold-start clock. */
const servesChat = (kind, port) => async () => {
  const t = targetFor(kind, port, { stream: false, mockPort });
  const res = await httpRequest(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: t.body });
  return res.status === 200;
};

async function startRedis() {
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
    stdio: 'ignore',
  });
  for (let i = 0; i < 500; i++) {
    try {
      execFileSync('redis-cli', ['-p', String(port), 'ping'], { stdio: 'ignore' });
      return { url: `redis://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
    } catch {
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  throw new Error('redis-server did not start');
}

async function startServer(kind, { redisUrl } = {}) {
  const port = await freePort();
  const env = { BENCH_UPSTREAM_KEY: 'sk-upstream-bench' };
  switch (kind) {
    case 'bare-proxy':
      return {
        port,
        proc: await startNode(kind, [join(here, 'bare-proxy.mjs'), '--port', String(port), '--upstream', `http://127.0.0.1:${mockPort}`], {
          probe: servesChat(kind, port),
        }),
      };
    case 'switchyard':
    case 'switchyard-lean':
    case 'switchyard-no-tpm':
    case 'switchyard-redis': {
      const config = writeSwitchyardConfig(dir, mockPort, { redisUrl, tokenLimits: kind !== 'switchyard-no-tpm' });
      const args = [gatewayBin, '--config', config, '--port', String(port), '--log-level', 'warn'];
      // As the chart sets them: NODE_OPTIONS and the profile's environment.
      Object.assign(env, profileEnvironment(PROFILES[kind === 'switchyard-lean' ? 'lean' : DEFAULT_PROFILE]));
      // Served first; ready (GET /readyz 200) once the tokenizer has loaded in the background.
      const readyProbe = async () => (await httpRequest(`http://127.0.0.1:${port}/readyz`)).status === 200;
      return {
        port,
        proc: await startNode(kind, args, { env, stdoutFile: join(dir, `${kind}-audit.log`), probe: servesChat(kind, port), readyProbe }),
      };
    }
    case 'portkey':
      return {
        port,
        proc: await startNode(kind, ['--require', join(here, 'portkey-preload.cjs'), portkeyBin, `--port=${port}`, '--headless'], {
          env: { NODE_ENV: 'production' },
          probe: servesChat(kind, port),
        }),
      };
    default:
      throw new Error(kind);
  }
}

/** Each server answers a streamed request with a well-formed stream before it is measured. */
async function checkStream(kind, port) {
  const t = targetFor(kind, port, { stream: true, mockPort });
  const res = await httpRequest(t.url, { method: 'POST', headers: { 'content-type': 'application/json', ...t.headers }, body: t.body });
  if (res.status !== 200 || !res.body.includes('Paris') || !res.body.trimEnd().endsWith('data: [DONE]'))
    throw new Error(`${kind}: streamed request answered ${res.status}: ${res.body.slice(0, 300)}`);
}

const stealNote = (r) => (r.stealPct === undefined ? '' : `  steal ${stealText(r)}`);

async function main() {
  const runStart = cpuTicks();
  const generator = onPath('wrk') ? 'wrk' : 'autocannon';
  if (generator !== 'wrk') log('wrk is not installed (apt-get install wrk): using autocannon, whose latencies are whole milliseconds');
  if (opts.build) execFileSync(process.execPath, [join(gatewayRoot, 'scripts', 'build.mjs')], { stdio: ['ignore', 'ignore', 'inherit'] });
  const result = {
    machine: machine(generator),
    settings: {
      seconds,
      warmupSeconds,
      serverWarmupSeconds,
      connections,
      longRequests,
      coldStarts,
      ttfbRequests,
      ttfbSeriesRequests,
      ratioRounds,
      ...stealPolicy,
      defaultMemoryProfile: DEFAULT_PROFILE,
    },
    runs: [],
    firstByte: [],
    memory: {},
    longRun: undefined,
    throughputSeries: undefined,
    coldStart: {},
  };

  await startNode('mock', [join(here, 'mock-upstream.mjs'), '--port', String(mockPort)], {
    probe: async () => (await httpRequest(`http://127.0.0.1:${mockPort}/v1/models`)).status === 200,
  });
  const servers = new Map([['direct', { port: mockPort }]]);
  servers.set('bare-proxy', await startServer('bare-proxy'));
  servers.set('switchyard', await startServer('switchyard'));
  if (opts.lean) servers.set('switchyard-lean', await startServer('switchyard-lean'));
  let redis;
  if (opts.redis && onPath('redis-server') && onPath('redis-cli')) {
    redis = await startRedis();
    servers.set('switchyard-redis', await startServer('switchyard-redis', { redisUrl: redis.url }));
  } else if (opts.redis) log('redis-server not found: skipping the switchyard-redis row');
  if (opts.portkey) servers.set('portkey', await startServer('portkey'));
  for (const [kind, { port }] of servers) await checkStream(kind, port);
  log(`servers up: ${[...servers.keys()].join(', ')}; load generator ${generator}`);

  // Every server first runs under load until its JIT has settled: on this kind of machine each
  // Node server here takes several seconds (tens of thousands of requests) to reach its steady
  // speed, Portkey longest. Measured cells then compare servers as they run in production.
  for (const [kind, { port }] of servers) {
    for (const stream of [false, true]) {
      const target = { id: `${kind}-warmup-${stream ? 'stream' : 'json'}`, ...targetFor(kind, port, { stream, mockPort }) };
      await load(generator, target, { connections: 10, seconds: stream ? serverWarmupSeconds / 2 : serverWarmupSeconds, dir });
    }
  }

  for (const stream of [false, true]) {
    for (const c of connections) {
      for (const [kind, { port }] of servers) {
        const target = { id: `${kind}-${stream ? 'stream' : 'json'}`, ...targetFor(kind, port, { stream, mockPort }) };
        await load(generator, target, { connections: c, seconds: warmupSeconds, dir });
        const r = await withLowSteal(() => load(generator, target, { connections: c, seconds, dir }), stealPolicy);
        result.runs.push({ target: kind, stream, connections: c, ...r });
        log(
          `${kind.padEnd(17)} ${stream ? 'stream' : 'json  '} c=${String(c).padEnd(3)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms${stealNote(r)}${r.errors ? `  ERRORS ${r.errors}` : ''}`,
        );
      }
    }
  }

  for (const c of [1, 10]) {
    for (const [kind, { port }] of servers) {
      const target = { id: kind, ...targetFor(kind, port, { stream: true, mockPort }) };
      // Warm-up of this path (the client's and the server's): up to 1,000 requests or 3 s. Cells
      // repeated on one server came out 1.4x (Switchyard) to 2.6x (bare proxy) slower the first time.
      await firstByteLatency(target, { connections: c, requests: Math.min(1000, ttfbRequests), maxSeconds: 3 });
      const r = await withLowSteal(() => firstByteLatency(target, { connections: c, requests: ttfbRequests }), stealPolicy);
      result.firstByte.push({ target: kind, connections: c, ...r });
      log(
        `first byte ${kind.padEnd(17)} c=${String(c).padEnd(3)} p50 ${r.p50Ms.toFixed(3)} ms  p99 ${r.p99Ms.toFixed(3)} ms${stealNote(r)}`,
      );
    }
  }
  // The throughput target, measured again: alternating cells at 10 connections, non-streaming, the
  // bare proxy, Switchyard and Portkey in turn, compared by their medians. One 5 s cell of Portkey's
  // is a noisy denominator: its throughput moves between consecutive 5 s windows by up to 1.7x
  // (880-1,497 req/s over 70 s here), so a single cell's ratio says as much about Portkey's window
  // as about Switchyard.
  const seriesKinds = ['bare-proxy', 'switchyard', ...(servers.has('portkey') ? ['portkey'] : [])];
  const series = Object.fromEntries(seriesKinds.map((kind) => [kind, []]));
  for (let round = 0; round < ratioRounds; round++) {
    for (const kind of round % 2 ? [...seriesKinds].reverse() : seriesKinds) {
      const target = { id: `series-${kind}`, ...targetFor(kind, servers.get(kind).port, { stream: false, mockPort }) };
      const r = await withLowSteal(() => load(generator, target, { connections: 10, seconds, dir }), stealPolicy);
      series[kind].push(r.rps);
    }
  }
  result.throughputSeries = { connections: 10, seconds, rounds: ratioRounds, rps: series };
  log(
    `throughput series (10 connections, ${ratioRounds} alternating cells of ${seconds} s): ${seriesKinds.map((k) => `${k} ${series[k].map((x) => x.toFixed(0)).join('/')}`).join('; ')}`,
  );

  // The first-byte target, measured again the same way: alternating cells of streamed requests at
  // 10 connections, each after a short warm-up, compared by the median of the cells' medians. One
  // cell of 2,000 streams lasts ~0.3 s here, so a single one reads whatever phase the process is in
  // (a default-profile and a lean process, or the same process twice, differed by up to 0.5 ms).
  const ttfbKinds = ['direct', 'bare-proxy', 'switchyard'];
  const ttfbSeries = Object.fromEntries(ttfbKinds.map((kind) => [kind, []]));
  for (let round = 0; round < ratioRounds; round++) {
    for (const kind of round % 2 ? [...ttfbKinds].reverse() : ttfbKinds) {
      const target = { id: `ttfb-series-${kind}`, ...targetFor(kind, servers.get(kind).port, { stream: true, mockPort }) };
      await firstByteLatency(target, { connections: 10, requests: Math.min(1000, ttfbSeriesRequests), maxSeconds: 3 });
      const r = await withLowSteal(() => firstByteLatency(target, { connections: 10, requests: ttfbSeriesRequests }), stealPolicy);
      ttfbSeries[kind].push(r.p50Ms);
    }
  }
  result.firstByteSeries = { connections: 10, requests: ttfbSeriesRequests, rounds: ratioRounds, p50Ms: ttfbSeries };
  log(
    `first-byte series (10 connections, ${ratioRounds} alternating cells of ${ttfbSeriesRequests} streams), p50 ms: ${ttfbKinds.map((k) => `${k} ${ttfbSeries[k].map((x) => x.toFixed(3)).join('/')}`).join('; ')}`,
  );

  for (const [kind, { proc }] of servers) if (proc) result.memory[kind] = proc.memory();

  // RSS growth: after a warm-up, a long run of requests at 10 connections.
  const sy = servers.get('switchyard');
  const longTarget = { id: 'switchyard-long', ...targetFor('switchyard', sy.port, { stream: false, mockPort }) };
  await loadUntil(generator, longTarget, { connections: 10, requests: Math.min(20_000, longRequests), seconds: 2, dir });
  const before = sy.proc.memory();
  const long = await loadUntil(generator, longTarget, { connections: 10, requests: longRequests, seconds: 5, dir });
  const after = sy.proc.memory();
  result.longRun = {
    requests: long.requests,
    errors: long.errors,
    rssBeforeMb: before.rssMb,
    rssAfterMb: after.rssMb,
    growthPct: (100 * (after.rssMb - before.rssMb)) / before.rssMb,
    peakRssMb: after.peakRssMb,
  };
  log(`long run: ${long.requests} requests, RSS ${before.rssMb.toFixed(1)} -> ${after.rssMb.toFixed(1)} MB`);

  // Scaling out: two gateway processes sharing one Redis (as two pods behind a Service would),
  // each loaded with half the connections at once, against one process with all of them.
  if (redis) {
    const second = await startServer('switchyard-redis', { redisUrl: redis.url });
    const one = run(result, 'switchyard-redis', false, 10);
    const halves = await Promise.all(
      [servers.get('switchyard-redis').port, second.port].map((port, i) =>
        load(
          generator,
          { id: `scale-${i}`, ...targetFor('switchyard-redis', port, { stream: false, mockPort }) },
          { connections: 5, seconds, dir },
        ),
      ),
    );
    await second.proc.stop();
    const rps = halves.reduce((sum, r) => sum + r.rps, 0);
    result.scaling = { oneProcessRps: one?.rps, twoProcessesRps: rps, ratio: one ? rps / one.rps : undefined, cores: result.machine.cores };
    log(`scaling: one process ${one?.rps.toFixed(0)} req/s, two processes ${rps.toFixed(0)} req/s`);
  }

  // Cold start: a fresh process, from spawn to the first chat completion served, one at a time;
  // for Switchyard also to GET /readyz 200 (Kubernetes sends traffic from then on). The kinds take
  // turns, start by start, so that a slow phase of the host falls on all of them alike rather than
  // on the five starts of one kind.
  for (const { proc } of servers.values()) if (proc) await proc.stop();
  const coldKinds = ['switchyard', 'switchyard-no-tpm', ...(opts.lean ? ['switchyard-lean'] : []), ...(opts.portkey ? ['portkey'] : [])];
  const starts = Object.fromEntries(coldKinds.map((kind) => [kind, { served: [], ready: [] }]));
  const coldTicks = cpuTicks();
  for (let i = 0; i < coldStarts; i++)
    for (const kind of coldKinds) {
      const { proc } = await startServer(kind);
      starts[kind].served.push(proc.readyMs);
      if (proc.readyForTrafficMs !== undefined) starts[kind].ready.push(proc.readyForTrafficMs);
      await proc.stop();
    }
  const coldSteal = stealPct(coldTicks, cpuTicks());
  for (const kind of coldKinds) {
    const { served, ready } = starts[kind];
    const cold = { runs: served, medianMs: median(served), ...(ready.length ? { readyMedianMs: median(ready) } : {}), stealPct: coldSteal };
    result.coldStart[kind] = cold;
    log(
      `cold start ${kind}: first served ${cold.medianMs.toFixed(0)} ms${cold.readyMedianMs === undefined ? '' : `, ready ${cold.readyMedianMs.toFixed(0)} ms`}`,
    );
  }
  redis?.stop();

  result.machine.stealPct = stealPct(runStart, cpuTicks());
  result.targets = evaluateTargets(result);
  mkdirSync(dirname(opts.out), { recursive: true });
  writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  process.stdout.write(renderTable(result));
  if (opts.markdown) renderMarkdown(result, join(gatewayRoot, 'BENCHMARKS.md'));
  log(`results: ${opts.out}`);
  return result.targets.every((t) => t.met);
}

try {
  const met = await main();
  process.exitCode = met ? 0 : 1;
} finally {
  await stopAll();
  rmSync(dir, { recursive: true, force: true });
}
