// Processes under test: free ports, spawning a server and waiting until it answers, memory read
// from /proc, and stopping everything the benchmark started.
import { spawn } from 'node:child_process';
import { openSync, closeSync, readFileSync } from 'node:fs';
import { request } from 'node:http';
import { createServer } from 'node:net';

const started = new Set();

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

/** One HTTP request; resolves with status and body text, rejects on connection errors. */
export function httpRequest(url, { method = 'GET', headers = {}, body } = {}) {
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: { ...headers, connection: 'close' }, agent: false }, (res) => {
      const parts = [];
      res.on('data', (part) => parts.push(part));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts).toString() }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * Spawns `node ...args`; stdout goes to `stdoutFile` (the gateway's audit log) or is dropped, stderr
 * is kept for errors. Resolves once `probe()` succeeds, with the time from spawn to that moment
 * (`readyMs`), and then, when given, once `readyProbe()` does (`readyForTrafficMs`).
 */
export async function startNode(name, args, { env = {}, stdoutFile, probe, readyProbe, timeoutMs = 20_000 }) {
  const out = stdoutFile ? openSync(stdoutFile, 'a') : 'ignore';
  const spawnedAt = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', out, 'pipe'] });
  if (typeof out === 'number') closeSync(out);
  started.add(child);
  let stderr = '';
  child.stderr.on('data', (part) => {
    if (stderr.length < 20_000) stderr += part;
  });
  let exited;
  child.once('exit', (code, signal) => {
    started.delete(child);
    exited = `${name} exited (code ${code}, signal ${signal})\n${stderr.slice(-4000)}`;
  });
  const waitFor = async (check) => {
    for (;;) {
      if (exited) throw new Error(exited);
      if (performance.now() - spawnedAt > timeoutMs)
        throw new Error(`${name} did not answer within ${timeoutMs} ms\n${stderr.slice(-4000)}`);
      try {
        if (await check()) return performance.now() - spawnedAt;
      } catch {
        // not listening yet
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
  };
  const readyMs = await waitFor(probe);
  const readyForTrafficMs = readyProbe ? await waitFor(readyProbe) : undefined;
  return {
    name,
    pid: child.pid,
    readyMs,
    readyForTrafficMs,
    stderr: () => stderr,
    memory: () => processMemory(child.pid),
    stop: () => stopChild(child),
  };
}

function stopChild(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/** Resident set size now and at its peak (VmHWM), in MB, from /proc (Linux). */
export function processMemory(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakRssMb: kb('VmHWM') / 1024 };
}

export async function stopAll() {
  await Promise.all([...started].map(stopChild));
}
process.on('exit', () => {
  for (const child of started) child.kill('SIGKILL');
});
