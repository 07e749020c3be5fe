/**
 * ioredis, imported only dynamically when `state.redis` is set; the build bundles it into a file
 * of its own (scripts/build.mjs: dist/gateway-redis.js) that in-memory gateways never read.
 */
export { default as Redis } from 'ioredis';
