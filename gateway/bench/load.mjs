// The load generators. wrk (C, microsecond latencies) when installed; otherwise autocannon, whose
// latency histogram has whole-millisecond resolution (so sub-millisecond added latency cannot be
// read from it). Time to first streamed byte is measured by a small raw-socket client of our own,
// because neither tool reports it.
import { execFile, execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';

export function wrkVersion() {
  try {
    return execFileSync('wrk', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] })
      .split('\n')[0]
      .trim();
  } catch (error) {
    // wrk prints its version with exit code 1
    const text = `${error.stdout ?? ''}${error.stderr ?? ''}`;
    return /^wrk /.test(text) ? text.split('\n')[0].trim() : undefined;
  }
}

const lua = (value) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A wrk script for one target: the request and a JSON summary line. */
function wrkScript(target) {
  const headers = Object.entries({ 'content-type': 'application/json', ...target.headers })
    .map(([k, v]) => `wrk.headers[${lua(k)}] = ${lua(v)}`)
    .join('\n');
  return `wrk.method = "POST"
${headers}
wrk.body = ${lua(target.body)}
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCH {"requests":%d,"durationUs":%d,"non2xx":%d,"socketErrors":%d,"p50Us":%.1f,"p90Us":%.1f,"p99Us":%.1f,"meanUs":%.1f,"maxUs":%.1f}\\n',
    summary.requests, summary.duration, e.status, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(90), latency:percentile(99), latency.mean, latency.max))
end
`;
}

function runWrk(target, { connections, seconds, dir }) {
  const script = join(dir, `${target.id}.lua`);
  writeFileSync(script, wrkScript(target));
  // One wrk thread: on a small machine a second thread only takes CPU from the servers measured.
  const args = ['-t1', `-c${connections}`, `-d${Math.max(1, Math.round(seconds))}s`, '--timeout', '10s', '-s', script, target.url];
  return new Promise((resolve, reject) => {
    execFile('wrk', args, { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const line = stdout.split('\n').find((l) => l.startsWith('BENCH '));
      if (!line) return reject(new Error(`wrk failed for ${target.id}: ${error?.message ?? ''}\n${stdout}\n${stderr}`));
      const r = JSON.parse(line.slice(6));
      resolve({
        requests: r.requests,
        rps: r.requests / (r.durationUs / 1e6),
        p50Ms: r.p50Us / 1000,
        p90Ms: r.p90Us / 1000,
        p99Ms: r.p99Us / 1000,
        meanMs: r.meanUs / 1000,
        errors: r.non2xx + r.socketErrors,
      });
    });
  });
}

async function runAutocannon(target, { connections, seconds }) {
  const { default: autocannon } = await import('autocannon');
  const result = await autocannon({
    url: target.url,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...target.headers },
    body: target.body,
    connections,
    duration: seconds,
  });
  return {
    requests: result.requests.total,
    rps: result.requests.total / (result.duration || seconds),
    p50Ms: result.latency.p50,
    p90Ms: result.latency.p90,
    p99Ms: result.latency.p99,
    meanMs: result.latency.mean,
    errors: result.errors + result.non2xx + result.timeouts,
  };
}

/** Load at a fixed concurrency for `seconds`. */
export function load(generator, target, options) {
  return generator === 'wrk' ? runWrk(target, options) : runAutocannon(target, options);
}

/** Load in runs of `seconds` until at least `requests` responses (wrk has no request count). */
export async function loadUntil(generator, target, { requests, seconds = 10, ...options }) {
  const total = { requests: 0, errors: 0, runs: 0 };
  while (total.requests < requests) {
    const r = await load(generator, target, { ...options, seconds });
    total.requests += r.requests;
    total.errors += r.errors;
    total.runs++;
  }
  return total;
}

/**
 * Time to the first byte of the first SSE event (`data:` in the body, not the headers), over
 * `requests` streamed requests on `connections` keep-alive sockets (fewer when `maxSeconds` runs
 * out first). Each socket sends one request, reads until the chunked body's terminator, and sends
 * the next.
 */
export async function firstByteLatency(target, { connections, requests, maxSeconds = Infinity }) {
  const deadline = performance.now() + maxSeconds * 1000;
  const { hostname, port, pathname } = new URL(target.url);
  const head = Object.entries({
    host: `${hostname}:${port}`,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(target.body),
    ...target.headers,
  })
    .map(([k, v]) => `${k}: ${v}\r\n`)
    .join('');
  const wire = Buffer.from(`POST ${pathname} HTTP/1.1\r\n${head}\r\n${target.body}`);
  const firstByte = [];
  let issued = 0;
  const worker = () =>
    new Promise((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port), noDelay: true });
      let sentAt = 0;
      let seenFirst = false;
      let received = '';
      const send = () => {
        if (issued >= requests || performance.now() > deadline) {
          socket.end();
          return resolve();
        }
        issued++;
        seenFirst = false;
        received = '';
        sentAt = performance.now();
        socket.write(wire);
      };
      socket.on('connect', send);
      socket.on('error', reject);
      socket.on('data', (part) => {
        received += part.toString('latin1');
        if (!seenFirst) {
          const bodyStart = received.indexOf('\r\n\r\n');
          if (bodyStart !== -1 && received.indexOf('data:', bodyStart) !== -1) {
            firstByte.push(performance.now() - sentAt);
            seenFirst = true;
          }
        }
        if (received.endsWith('\r\n0\r\n\r\n')) {
          if (!/^HTTP\/1\.1 200/.test(received))
            return reject(new Error(`${target.id}: streamed request answered ${received.slice(0, 200)}`));
          send();
        }
      });
    });
  await Promise.all(Array.from({ length: connections }, worker));
  firstByte.sort((a, b) => a - b);
  const at = (q) => firstByte[Math.min(firstByte.length - 1, Math.floor(q * firstByte.length))];
  return { requests: firstByte.length, p50Ms: at(0.5), p99Ms: at(0.99) };
}
