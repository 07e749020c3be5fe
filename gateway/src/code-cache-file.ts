/**
 * Which code cache the bin (bin.ts) runs the bundle with. The names match what
 * scripts/code-cache.mjs writes: `gateway-main.js.cache` under Node's default flags, and
 * `gateway-main.js.<profile>.cache` for a memory profile (memory-profiles.json) that sets heap
 * flags and names itself in SWITCHYARD_MEMORY_PROFILE (V8 accepts a cache only under the flags it
 * was written with).
 */
export const MAIN_FILE = 'gateway-main.js';

/** The cache file for this environment; a profile name that is not a plain word gets the default's. */
export function codeCacheFile(env: Readonly<Record<string, string | undefined>>): string {
  const profile = env.SWITCHYARD_MEMORY_PROFILE;
  return profile && /^[a-z]+$/.test(profile) ? `${MAIN_FILE}.${profile}.cache` : `${MAIN_FILE}.cache`;
}
