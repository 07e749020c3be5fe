/**
 * What makes two chat requests the same for the response cache: the tenant, the resolved route
 * (the model entry's targets, strategy and providers, so editing a route stops serving old
 * answers), the data class, and every field of the body except those that cannot change the
 * answer. Unknown fields count, so a new OpenAI parameter causes misses, never wrong hits.
 * Fields compare as the client sent them (same values, same key order: what SDKs send anyway).
 *
 * Per request, `x-switchyard-cache` or `Cache-Control` opts out:
 *   x-switchyard-cache: no-store  (or Cache-Control: no-store)  neither read nor write the cache
 *   x-switchyard-cache: refresh   (or Cache-Control: no-cache)  skip the lookup, store the answer
 */
import { createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { GatewayConfig } from '../config/schema';
import { GatewayError } from '../errors/gateway-error';
import type { ChatCompletionRequest } from '../providers/openai-types';

export const CACHE_HEADER = 'x-switchyard-cache';

export type CacheDirective = 'use' | 'no-store' | 'refresh';

/** Body fields that never change the answer: delivery, tracking and storage options. */
const IGNORED_FIELDS = new Set([
  'stream',
  'stream_options',
  'user',
  'metadata',
  'store',
  'safety_identifier',
  'prompt_cache_key',
  'prompt_cache_retention',
]);

export function cacheDirective(headers: IncomingHttpHeaders): CacheDirective {
  const own = headers[CACHE_HEADER];
  if (own !== undefined) {
    const value = (Array.isArray(own) ? own.join(',') : own).trim().toLowerCase();
    if (value === 'no-store' || value === 'refresh') return value;
    throw new GatewayError(
      'invalid_request',
      `Invalid header '${CACHE_HEADER}': got ${JSON.stringify(own)}; expected "no-store" (do not read or write the cache) or "refresh" (skip the lookup, store the answer).`,
      CACHE_HEADER,
    );
  }
  const control = headers['cache-control'];
  if (control) {
    const directives = control
      .toLowerCase()
      .split(',')
      .map((d) => d.trim());
    if (directives.includes('no-store')) return 'no-store';
    if (directives.includes('no-cache')) return 'refresh';
  }
  return 'use';
}

/** A short digest per model entry of what its answers depend on; rebuilt on every config load. */
export class RouteFingerprints {
  private readonly byModel = new Map<string, string>();

  constructor(config: GatewayConfig) {
    const providers = new Map(config.providers.map((p) => [p.name, p]));
    for (const model of config.models) {
      const targets = model.targets.map((t) => {
        const provider = providers.get(t.provider);
        return [t.provider, provider?.type, provider?.baseUrl ?? provider?.region, t.model ?? null];
      });
      this.byModel.set(
        model.name,
        createHash('sha256')
          .update(JSON.stringify([model.strategy, targets]))
          .digest('base64url')
          .slice(0, 16),
      );
    }
  }

  /** The fingerprint of the entry routing `model` (its own, or the catch-all's). */
  for(model: string): string | undefined {
    return this.byModel.get(model) ?? this.byModel.get('*');
  }
}

export function cacheKey(tenant: string, fingerprint: string, dataClass: string, request: ChatCompletionRequest): string {
  const relevant: Record<string, unknown> = {};
  for (const field in request) if (!IGNORED_FIELDS.has(field)) relevant[field] = request[field];
  const digest = createHash('sha256').update(`${fingerprint}\n${dataClass}\n`).update(JSON.stringify(relevant)).digest('hex');
  return `cache:${tenant}:${digest}`;
}
