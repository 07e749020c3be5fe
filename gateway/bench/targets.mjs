// What the benchmark measures: the same chat request, non-streaming or streamed, sent to the mock
// directly, through a bare pass-through proxy, through Switchyard's gateway and through Portkey's.
import { createHash } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const API_KEY = 'sk-switchyard-bench-0123456789abcdef';

const messages = [
  { role: 'system', content: 'You are a concise assistant.' },
  { role: 'user', content: 'What is the capital of France? Answer in one sentence.' },
];

/** Compact JSON bodies (the mock recognises `"stream":true` by substring). */
export function requestBody(model, stream) {
  return JSON.stringify(
    stream
      ? { model, messages, max_tokens: 32, stream: true, stream_options: { include_usage: true } }
      : { model, messages, max_tokens: 32 },
  );
}

/**
 * Switchyard's config for the benchmark: every per-request feature on. Auth (a hashed key), rate
 * limits per key, tenant and model (requests and tokens per minute, so every request is tokenized
 * and reserved; `tokenLimits: false` drops the token limits, for the cold-start comparison), a
 * monthly budget with spend tracking, compliance classification, metrics, and one
 * audit line per request to a file. Limits are high enough never to reject.
 */
export function writeSwitchyardConfig(dir, mockPort, { redisUrl, tokenLimits = true } = {}) {
  const sha256 = createHash('sha256').update(API_KEY).digest('hex');
  const tpm = tokenLimits ? { tpm: 1e12 } : {};
  const config = {
    providers: [{ name: 'mock', type: 'openai', baseUrl: `http://127.0.0.1:${mockPort}/v1`, apiKeyEnv: 'BENCH_UPSTREAM_KEY' }],
    models: [{ name: 'bench', targets: [{ provider: 'mock', model: 'gpt-4o-mini' }], rpm: 1e9, ...tpm }],
    keys: [{ id: 'bench', sha256, tenant: 'bench', models: ['*'], rpm: 1e9, ...tpm, monthlyBudgetUsd: 1e9 }],
    tenants: [{ id: 'bench', rpm: 1e9, ...tpm, monthlyBudgetUsd: 1e9 }],
    prices: [{ model: 'gpt-4o-mini', inputUsdPerMillion: 0.15, outputUsdPerMillion: 0.6 }],
    audit: { destination: 'stdout' },
    ...(redisUrl ? { state: { redis: { url: redisUrl } } } : {}),
  };
  const file = join(dir, `switchyard${redisUrl ? '-redis' : ''}${tokenLimits ? '' : '-no-tpm'}.json`);
  writeFileSync(file, JSON.stringify(config, null, 2));
  return file;
}

/** The request as each server under test expects it. */
export function targetFor(kind, port, { stream, mockPort }) {
  const url = `http://127.0.0.1:${port}/v1/chat/completions`;
  switch (kind) {
    case 'direct':
    case 'bare-proxy':
      return { url, headers: { authorization: `Bearer ${API_KEY}` }, body: requestBody('gpt-4o-mini', stream) };
    case 'switchyard':
    case 'switchyard-lean':
    case 'switchyard-no-tpm':
    case 'switchyard-redis':
      return { url, headers: { authorization: `Bearer ${API_KEY}` }, body: requestBody('bench', stream) };
    case 'portkey':
      return {
        url,
        headers: {
          authorization: `Bearer ${API_KEY}`,
          'x-portkey-provider': 'openai',
          'x-portkey-custom-host': `http://127.0.0.1:${mockPort}/v1`,
        },
        body: requestBody('gpt-4o-mini', stream),
      };
    default:
      throw new Error(`unknown target ${kind}`);
  }
}
