/**
 * The openai adapter replays real OpenAI traffic (../shared/fixtures/openai-recorded): a fake
 * upstream serves each recorded response, split at random byte boundaries, and the gateway's output
 * must equal the recording once the fields the gateway owns (id, created, model) are normalised.
 */
import { cassettesFor, contentType, type Interaction, sseData } from './support/cassettes';
import { type FakeUpstream, seededRandom, startFakeUpstream, writeInPieces } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

const UPSTREAM_KEY = 'sk-upstream-secret';
const SEEDS = [1, 7, 42];

let upstream: FakeUpstream;
let current: { interaction: Interaction; seed: number };

beforeAll(async () => {
  upstream = await startFakeUpstream(async (_req, res) => {
    const { interaction, seed } = current;
    res.writeHead(interaction.response.code, { 'content-type': contentType(interaction) });
    await writeInPieces(res, interaction.response.body, seededRandom(seed), 23);
    res.end();
  });
});
afterAll(() => upstream.close());

async function gatewayFor(interaction: Interaction): Promise<TestGateway> {
  const upstreamModel = JSON.parse(interaction.request.body).model as string;
  return startTestGateway(
    {
      providers: [{ name: 'openai', type: 'openai', baseUrl: `${upstream.url}/v1`, apiKeyEnv: 'TEST_OPENAI_KEY' }],
      models: [
        { name: 'chat', targets: [{ provider: 'openai', model: upstreamModel }] },
        { name: 'embed', targets: [{ provider: 'openai', model: upstreamModel }] },
      ],
      keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
      routing: { attemptsPerTarget: 1 },
    },
    { env: { TEST_OPENAI_KEY: UPSTREAM_KEY } },
  );
}

async function post(gateway: TestGateway, path: string, body: unknown): Promise<{ status: number; text: string; headers: Headers }> {
  const response = await fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

function normalised(chunk: Record<string, unknown>): Record<string, unknown> {
  return { ...chunk, id: 'ID', created: 0, model: 'MODEL' };
}

describe.each(cassettesFor('/v1/chat/completions').map((c) => [c.name, c] as const))('chat cassette %s', (_name, interaction) => {
  const recordedRequest = JSON.parse(interaction.request.body) as Record<string, unknown>;
  const stream = recordedRequest.stream === true;
  const locallyInvalid = Array.isArray(recordedRequest.messages) && recordedRequest.messages.length === 0;

  test.each(SEEDS)('replays faithfully (split seed %i)', async (seed) => {
    current = { interaction, seed };
    const gateway = await gatewayFor(interaction);
    const seenBefore = upstream.requests.length;
    try {
      const { status, text } = await post(gateway, '/v1/chat/completions', { ...recordedRequest, model: 'chat' });

      if (locallyInvalid) {
        // The gateway refuses what OpenAI would refuse, in OpenAI's shape, without calling upstream.
        const recordedError = JSON.parse(interaction.response.body).error;
        expect(status).toBe(interaction.response.code);
        expect(JSON.parse(text).error).toMatchObject({ type: recordedError.type, param: recordedError.param, code: 'invalid_request' });
        expect(upstream.requests.length).toBe(seenBefore);
        return;
      }

      // Upstream got the client's request with the target model, the gateway's key, usage asked for.
      const seen = upstream.requests[upstream.requests.length - 1];
      expect(seen.path).toBe('/v1/chat/completions');
      expect(seen.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
      expect(seen.json()).toEqual(stream ? { ...recordedRequest, stream_options: { include_usage: true } } : recordedRequest);

      if (interaction.response.code >= 400) {
        const recordedError = JSON.parse(interaction.response.body).error;
        expect(status).toBe(400);
        expect(JSON.parse(text).error).toEqual({
          type: 'invalid_request_error',
          code: 'upstream_bad_request',
          param: null,
          message: `The provider refused the request: ${recordedError.message}`,
        });
        return;
      }

      expect(status).toBe(200);
      if (!stream) {
        const got = JSON.parse(text);
        expect(got).toEqual({ ...JSON.parse(interaction.response.body), id: got.id, created: got.created, model: 'chat' });
        expect(got.id).toMatch(/^chatcmpl-/);
        return;
      }
      // Same chunks in the same order; the stream ends with [DONE] and, unasked, carries no usage.
      const recorded = sseData(interaction.response.body).map(normalised);
      const chunks = sseData(text);
      expect(chunks.map(normalised)).toEqual(recorded);
      expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
      expect(chunks.every((c) => c.model === 'chat' && !('usage' in c))).toBe(true);
      expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
    } finally {
      await gateway.close();
    }
  });

  if (stream) {
    test('adds exactly one usage chunk before [DONE] when asked, counted even though upstream sent none', async () => {
      current = { interaction, seed: 3 };
      const gateway = await gatewayFor(interaction);
      try {
        const { text } = await post(gateway, '/v1/chat/completions', {
          ...recordedRequest,
          model: 'chat',
          stream_options: { include_usage: true },
        });
        const chunks = sseData(text);
        const usageChunks = chunks.filter((c) => c.usage);
        expect(usageChunks).toHaveLength(1);
        expect(chunks[chunks.length - 1]).toBe(usageChunks[0]);
        expect(usageChunks[0].choices).toEqual([]);
        const usage = usageChunks[0].usage as { prompt_tokens: number; completion_tokens: number; total_tokens: number };
        expect(usage.completion_tokens).toBeGreaterThan(0);
        expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
        expect(chunks[chunks.length - 2].choices).toEqual([expect.objectContaining({ finish_reason: 'stop' })]);
        await new Promise((resolve) => setImmediate(resolve));
        expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({ usage_estimated: true, output_tokens: usage.completion_tokens });
      } finally {
        await gateway.close();
      }
    });
  }
});

describe.each(cassettesFor('/v1/embeddings').map((c) => [c.name, c] as const))('embeddings cassette %s', (_name, interaction) => {
  const recordedRequest = JSON.parse(interaction.request.body) as Record<string, unknown>;

  test('replays faithfully', async () => {
    current = { interaction, seed: 11 };
    const gateway = await gatewayFor(interaction);
    const seenBefore = upstream.requests.length;
    try {
      const { status, text } = await post(gateway, '/v1/embeddings', { ...recordedRequest, model: 'embed' });
      const got = JSON.parse(text);
      if (typeof recordedRequest.dimensions === 'number' && recordedRequest.dimensions < 1) {
        // Both `dimensions` and `encoding_format` are invalid here; the gateway names the first it checks.
        expect(status).toBe(400);
        expect(got.error).toEqual({
          type: 'invalid_request_error',
          param: 'encoding_format',
          code: 'invalid_request',
          message: "Invalid 'encoding_format': expected float or base64.",
        });
        expect(upstream.requests.length).toBe(seenBefore);
        return;
      }
      expect(upstream.requests[upstream.requests.length - 1].json()).toEqual(recordedRequest);
      if (interaction.response.code >= 400) {
        expect(status).toBe(400);
        expect(got.error.code).toBe('upstream_bad_request');
        expect(got.error.message).toContain(JSON.parse(interaction.response.body).error.message);
        return;
      }
      expect(status).toBe(200);
      expect(got).toEqual({ ...JSON.parse(interaction.response.body), model: 'embed' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
        operation: 'embeddings',
        input_tokens: got.usage.prompt_tokens,
        usage_estimated: false,
      });
    } finally {
      await gateway.close();
    }
  });
});
