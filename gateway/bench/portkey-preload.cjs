// Preloaded into Portkey's gateway (node --require) for the streaming runs. Portkey 1.15.2 returns
// the upstream fetch Response with its own headers, which undici marks immutable, and then sets
// headers on it: every streamed request fails with HTTP 500 "TypeError: immutable". Rebuilding each
// fetch Response with a fresh, mutable Headers object is the known workaround; it costs one object
// per request, so Portkey's numbers are, if anything, slightly flattered by it.
'use strict';
const upstreamFetch = globalThis.fetch;
globalThis.fetch = async function fetchWithMutableHeaders(...args) {
  const response = await upstreamFetch.apply(this, args);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers: new Headers(response.headers) });
};
