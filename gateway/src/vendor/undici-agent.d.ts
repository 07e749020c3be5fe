// undici's Agent by its own file: the package index also loads fetch, WebSocket, the cache and
// mock layers (~700 KiB the bundle would parse at every start). undici has no "exports" map, so
// the path is public to Node's resolver; its types are the index's.
declare module 'undici/lib/dispatcher/agent' {
  import { Agent } from 'undici';
  export = Agent;
}
