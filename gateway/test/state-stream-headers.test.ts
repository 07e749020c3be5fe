/**
 * OpenAI's rate-limit headers on streamed responses, from Redis and from memory: a stream's
 * response headers carry `x-ratelimit-*` for requests and tokens (read with the official openai
 * client), the token reservation before the call and its settlement when the stream ends show in
 * the next stream's headers, a stream replayed from the cache carries them too, and the refusal
 * once the limit is spent is a 429 with them.
 */
import OpenAI from 'openai';
import type { GatewayConfigInput } from '../src/config/schema';
import type { FakeUpstream } from './support/fake-upstream';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { startTestGateway, type TestGateway } from './support/test-gateway';
import { startUsageUpstream, testKey } from './support/usage-upstream';

const key = testKey('stream-headers');
const RPM = 3;
const TPM = 6000;
const MAX_TOKENS = 100;
/** `[{ role: "user", content: "hi" }]` as reserved: 3 + 3 per message + 1 token for "hi". */
const HI_PROMPT_TOKENS = 7;
const USAGE = { promptTokens: 12, completionTokens: 8 };
const RESET = /^(\d+ms|\d+(\.\d+)?s|\d+m\d+(\.\d+)?s)$/;

type State = GatewayConfigInput['state'];

function suite(
  describeIt: (name: string, body: () => void) => void,
  name: string,
  state: () => Promise<{ state: State; stop(): Promise<void> }>,
) {
  describeIt(`rate-limit headers on streamed responses (${name})`, () => {
    let upstream: FakeUpstream;
    let gateway: TestGateway;
    let client: OpenAI;
    let stopState: () => Promise<void>;

    beforeAll(async () => {
      const started = await state();
      stopState = () => started.stop();
      upstream = await startUsageUpstream(() => ({ content: 'streamed tokens here', ...USAGE }));
      gateway = await startTestGateway({
        providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
        models: [{ name: 'chat', targets: [{ provider: 'up', model: 'm' }] }],
        keys: [{ id: 'stream-headers', sha256: key.sha256, tenant: 'a', models: ['*'], rpm: RPM, tpm: TPM }],
        cache: { ttlSeconds: 60 },
        state: started.state,
        audit: { destination: 'off' },
      });
      client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.key, maxRetries: 0 });
    });
    afterAll(async () => {
      await gateway?.close();
      await upstream?.close();
      await stopState?.();
    });

    /** One streamed completion read to its end; its response headers and text. */
    async function stream(headers: Record<string, string> = {}) {
      const { data, response } = await client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], max_tokens: MAX_TOKENS, stream: true }, { headers })
        .withResponse();
      let text = '';
      for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
      return { headers: response.headers, text };
    }
    const limits = (headers: Headers) => ({
      contentType: headers.get('content-type'),
      limitRequests: headers.get('x-ratelimit-limit-requests'),
      remainingRequests: headers.get('x-ratelimit-remaining-requests'),
      limitTokens: headers.get('x-ratelimit-limit-tokens'),
      resetRequests: RESET.test(headers.get('x-ratelimit-reset-requests') ?? ''),
      resetTokens: RESET.test(headers.get('x-ratelimit-reset-tokens') ?? ''),
    });

    test('the first stream carries every x-ratelimit header, with its reservation taken', async () => {
      const first = await stream({ 'x-switchyard-cache': 'no-store' });
      expect(first.text).toBe('streamed tokens here');
      expect(limits(first.headers)).toEqual({
        contentType: 'text/event-stream; charset=utf-8',
        limitRequests: String(RPM),
        remainingRequests: String(RPM - 1),
        limitTokens: String(TPM),
        resetRequests: true,
        resetTokens: true,
      });
      expect(Number(first.headers.get('x-ratelimit-remaining-tokens'))).toBe(TPM - (HI_PROMPT_TOKENS + MAX_TOKENS));
    });

    test("the next stream's headers show the first one settled to its real usage", async () => {
      const second = await stream();
      expect(limits(second.headers)).toMatchObject({ contentType: 'text/event-stream; charset=utf-8', remainingRequests: String(RPM - 2) });
      expect(second.headers.get('x-cache')).toBe('MISS');
      // First stream: its reservation replaced by its usage; this one: its reservation. Refill: 100 tokens/s.
      const settled = TPM - (USAGE.promptTokens + USAGE.completionTokens) - (HI_PROMPT_TOKENS + MAX_TOKENS);
      const remaining = Number(second.headers.get('x-ratelimit-remaining-tokens'));
      expect(remaining).toBeGreaterThanOrEqual(settled);
      expect(remaining).toBeLessThan(settled + 60);
    });

    test('a stream replayed from the cache carries the headers too, and still counts against rpm', async () => {
      const hit = await stream();
      expect(hit.text).toBe('streamed tokens here');
      expect(hit.headers.get('x-cache')).toBe('HIT');
      expect(limits(hit.headers)).toMatchObject({
        contentType: 'text/event-stream; charset=utf-8',
        limitRequests: String(RPM),
        remainingRequests: '0',
        limitTokens: String(TPM),
        resetRequests: true,
        resetTokens: true,
      });
      expect(upstream.requests).toHaveLength(2);
    });

    test('once the requests are spent, a stream is refused with a 429 carrying the headers', async () => {
      const refused = await client.chat.completions
        .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true })
        .catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      const headers = (refused as InstanceType<typeof OpenAI.RateLimitError>).headers;
      expect(headers.get('x-ratelimit-limit-requests')).toBe(String(RPM));
      expect(headers.get('x-ratelimit-remaining-requests')).toBe('0');
      expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
      expect(upstream.requests).toHaveLength(2);
    });
  });
}

suite(describe, 'in memory', async () => ({ state: undefined, stop: async () => undefined }));
suite(describeWithRedis, 'Redis', async () => {
  const redis: RedisServer = await startRedisServer();
  return { state: { redis: { url: redis.url, keyPrefix: 'stream-headers:' } }, stop: () => redis.stop() };
});
