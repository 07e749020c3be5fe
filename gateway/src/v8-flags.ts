/**
 * V8 flags the shipped bin (bin.ts) sets on its own process before it compiles the gateway bundle,
 * for every memory profile. Node refuses these in NODE_OPTIONS, so neither the chart nor a user
 * has to pass them: `node dist/gateway.js` runs with them.
 *
 * `--no-allocation-site-pretenuring`: V8 watches how many objects from each allocation site
 * survive a young-generation GC and, past a threshold, allocates that site's objects straight in
 * the old generation. Under the gateway's load this feeds on itself: pretenured objects that die
 * young still point at young ones, which then survive scavenges and are promoted, which pretenures
 * more sites. Measured at 10 connections (--trace-gc-nvp, BENCHMARKS.md, sixth round): 2.7 KB
 * promoted per request and a mark-compact every ~2,000 requests, against 0.2 KB and almost none
 * with the flag; CPU per request fell 16 % and p99 latency by more than half. A minimal proxy
 * (node:http in, this gateway's UpstreamClient out) fell into the same state in 5 runs of 9 and
 * lost 20-25 % of its throughput there, and in none of 4 with the flag: it is V8's heuristic
 * tipping, not an object of ours that lives too long (a heap snapshot under load holds only the
 * requests in flight). The gateway's long-lived data is built once at startup, not on a hot path,
 * so it has nothing to gain from pretenuring.
 * Node 24 (the image's runtime) knows the flag and behaved the same: 3.0 KB promoted per request
 * without it, 0.2 KB with it.
 *
 * `--no-maglev`: Maglev, V8's mid-tier optimising compiler, is on by default from Node 22 (V8
 * 12) and off in Node 20. In the image's Node 24 it left the main malloc arena at 22-26 MB after
 * the benchmark's load, against 11 MB without it (`/proc/<pid>/smaps`, `[heap]`), and peak RSS
 * at 133-135 MB against 120 MB; functions still reach TurboFan, and CPU per request showed no
 * cost in A/B runs (BENCHMARKS.md, seventh round). On Node 20 the flag changes nothing.
 *
 * V8 ties a code cache to its flags: the build writes the caches through this bin, so they carry
 * these flags, and the bin reads them after setting the flags.
 */
import { setFlagsFromString } from 'node:v8';

export const GATEWAY_V8_FLAGS: readonly string[] = ['--no-allocation-site-pretenuring', '--no-maglev'];

export function applyGatewayV8Flags(): void {
  for (const flag of GATEWAY_V8_FLAGS) setFlagsFromString(flag);
}
