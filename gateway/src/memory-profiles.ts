/**
 * How the gateway's Node process trades memory for CPU, chosen per deployment
 * (`gateway.memoryProfile` in the platform config; the benchmark measures both in one run). The
 * data lives in memory-profiles.json so that the benchmark (plain Node) and the chart read the
 * same flags.
 *
 * - `throughput` (default): Node's defaults. V8's young generation grows to two 16 MB semi-spaces
 *   and the old generation may grow to several times its live size between collections; glibc
 *   keeps an allocation arena per thread. Peak RSS under the benchmark's load: ~160 MB.
 * - `lean`: semi-spaces capped at 4 MB, a 256 MB heap limit (which also makes V8 grow the old
 *   generation by a small factor), two malloc arenas. Peak RSS ~100-110 MB, at the price of more
 *   frequent collections: ~10-20 % more CPU per request (BENCHMARKS.md has the numbers of the
 *   latest run). A heap that needs more than 256 MB fails with V8's out-of-memory error instead of
 *   growing, so the container's memory limit must leave room above it (`minMemoryLimitMiB`, checked
 *   at synth time).
 */
import profiles from './memory-profiles.json';

export type MemoryProfileName = 'throughput' | 'lean';

export interface MemoryProfile {
  /** Node options, set through NODE_OPTIONS (all are allowed there). */
  readonly nodeOptions: readonly string[];
  /**
   * Other environment variables read at process start: glibc's malloc tuning, and
   * SWITCHYARD_MEMORY_PROFILE, which names the code cache the bin runs the bundle with (V8 accepts
   * a cache only under the flags it was written with; the build writes one per profile).
   */
  readonly env: Readonly<Record<string, string>>;
  /** The V8 heap limit the options set, in MiB; undefined: Node's default. */
  readonly heapLimitMiB?: number;
  /**
   * The smallest container memory limit for the profile: its heap limit plus room for the node
   * binary's code pages (~45 MiB), native allocations and thread stacks (~50 MiB measured under
   * load), with margin. undefined: no floor beyond the platform's own.
   */
  readonly minMemoryLimitMiB?: number;
}

export const MEMORY_PROFILES: Readonly<Record<MemoryProfileName, MemoryProfile>> = profiles;

export const MEMORY_PROFILE_NAMES = Object.keys(MEMORY_PROFILES) as [MemoryProfileName, ...MemoryProfileName[]];

/** The container environment a profile needs: NODE_OPTIONS (when it sets any) and the rest. */
export function memoryProfileEnv(name: MemoryProfileName): Record<string, string> {
  const profile = MEMORY_PROFILES[name];
  return {
    ...(profile.nodeOptions.length > 0 ? { NODE_OPTIONS: profile.nodeOptions.join(' ') } : {}),
    ...profile.env,
  };
}

/** Why a profile has its memory-limit floor, for error messages. */
export function memoryProfileFloorReason(name: MemoryProfileName): string {
  const { heapLimitMiB } = MEMORY_PROFILES[name];
  return heapLimitMiB === undefined
    ? 'room for the process'
    : `its ${heapLimitMiB} MiB heap limit plus room for code pages and native memory`;
}
