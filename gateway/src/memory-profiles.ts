/**
 * How the gateway's Node process trades memory for CPU, chosen per deployment
 * (`gateway.memoryProfile` in the platform config; the benchmark runs each in the same run). The
 * data lives in memory-profiles.json so that the benchmark (plain Node), the build (a code cache
 * per profile) and the chart read the same flags.
 *
 * Every profile pins its heap flags. Left alone, V8 sizes its heap from the memory it sees: on a
 * 24 GiB host a 4 GiB heap limit and two 16 MB semi-spaces (peak RSS ~150-160 MB under the
 * benchmark's load), but in a container Node reads the cgroup limit, and under the chart's default
 * 384Mi it runs with a 259 MB heap limit and 1 MB semi-spaces, a young generation so small that
 * it collects several times as often. Pinned flags make the pod behave as the benchmark measured.
 *
 * - `standard` (default): 8 MB semi-spaces, a 256 MB heap limit (V8 then grows the old generation
 *   by a small factor between collections instead of up to 4x its live size) and two malloc arenas
 *   instead of one per thread. Peak RSS ~105-110 MB under the benchmark's load.
 * - `lean`: the same with 4 MB semi-spaces: a few MB less at the peak, for collections twice as
 *   often (BENCHMARKS.md has the numbers of the latest run).
 *
 * A heap that needs more than its limit fails with V8's out-of-memory error instead of growing, so
 * the container's memory limit must leave room above it (`minMemoryLimitMiB`, checked at synth
 * time).
 */
import profiles from './memory-profiles.json';

export type MemoryProfileName = 'standard' | 'lean';

export interface MemoryProfile {
  /** The profile a deployment gets when it names none (exactly one has it). */
  readonly default?: boolean;
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

function defaultProfile(): MemoryProfileName {
  const name = MEMORY_PROFILE_NAMES.find((n) => MEMORY_PROFILES[n].default);
  if (name === undefined) throw new Error('memory-profiles.json: no profile has "default": true');
  return name;
}

/** The profile of a deployment that names none. */
export const DEFAULT_MEMORY_PROFILE: MemoryProfileName = defaultProfile();

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
