/**
 * undici's Agent by its own file: the package index also loads fetch, WebSocket, the cache and
 * mock layers (~700 KiB the bundle would parse at every start). undici has no "exports" map, so
 * the path is open to Node's resolver; it has no types of its own, so the index's are used.
 */
import type { Agent as AgentClass } from 'undici';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- a typed deep path needs require
export const Agent: typeof AgentClass = require('undici/lib/dispatcher/agent');
export type Agent = AgentClass;
