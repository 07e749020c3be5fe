/**
 * node:http2 as the bundle's undici sees it (scripts/build.mjs points undici's HTTP/2 client here).
 * That client reads ten of the module's constants when it loads, so every gateway start loaded
 * HTTP/2 and TLS (~8 ms of a ~260 ms cold start on a slow host) although no upstream connection
 * ever speaks HTTP/2: the Agent keeps undici's default of HTTP/1.1. The constants are HTTP/2's own
 * header names and error codes (RFC 9113), tested equal to node:http2's for every name undici
 * reads; `connect` loads the real module on first use.
 */
import type * as Http2 from 'node:http2';

export const constants = {
  HTTP2_HEADER_AUTHORITY: ':authority',
  HTTP2_HEADER_METHOD: ':method',
  HTTP2_HEADER_PATH: ':path',
  HTTP2_HEADER_SCHEME: ':scheme',
  HTTP2_HEADER_CONTENT_LENGTH: 'content-length',
  HTTP2_HEADER_EXPECT: 'expect',
  HTTP2_HEADER_STATUS: ':status',
  HTTP2_HEADER_PROTOCOL: ':protocol',
  NGHTTP2_REFUSED_STREAM: 7,
  NGHTTP2_CANCEL: 8,
} as const;

export function connect(...args: Parameters<typeof Http2.connect>): ReturnType<typeof Http2.connect> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded only when HTTP/2 is used
  return (require('node:http2') as typeof Http2).connect(...args);
}
