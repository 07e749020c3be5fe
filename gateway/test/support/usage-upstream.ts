/**
 * Helpers for the state-layer tests: an OpenAI-compatible upstream whose answers report a chosen
 * usage (whole and streamed, the stream split at random byte boundaries), extra API keys, and
 * small request helpers.
 */
import { createHash } from 'node:crypto';
import { type FakeUpstream, seededRandom, sendJsonResponse, sseBody, startFakeUpstream, writeInPieces } from './fake-upstream';

export interface UsageAnswer {
  /** Content of the answer; streamed as one chunk per word. */
  content: string;
  promptTokens: number;
  completionTokens: number;
}

const chunk = (choices: unknown[], extra: Record<string, unknown> = {}) => ({
  id: 'up',
  object: 'chat.completion.chunk',
  created: 1,
  model: 'up-model',
  choices,
  ...extra,
});

/** Starts an upstream answering every chat request with `answer()` (called per request). */
export async function startUsageUpstream(answer: () => UsageAnswer): Promise<FakeUpstream> {
  let seed = 1;
  return startFakeUpstream(async (req, res) => {
    const body = req.json<{ stream?: boolean }>();
    const { content, promptTokens, completionTokens } = answer();
    const usage = { prompt_tokens: promptTokens, completion_tokens: completionTokens, total_tokens: promptTokens + completionTokens };
    if (!body.stream) {
      sendJsonResponse(res, 200, {
        id: 'up',
        object: 'chat.completion',
        created: 1,
        model: 'up-model',
        choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
        usage,
      });
      return;
    }
    res.writeHead(200, { 'content-type': 'text/event-stream' });
    const words = content.split(/(?= )/);
    const chunks = [
      ...words.map((w) => chunk([{ index: 0, delta: { content: w }, finish_reason: null }])),
      chunk([{ index: 0, delta: {}, finish_reason: 'stop' }]),
      chunk([], { usage }),
    ];
    await writeInPieces(res, sseBody(chunks), seededRandom(seed++));
    res.end();
  });
}

export interface TestKey {
  readonly key: string;
  readonly sha256: string;
}

export function testKey(name: string): TestKey {
  const key = `sk-${name}`;
  return { key, sha256: createHash('sha256').update(key).digest('hex') };
}

export interface ChatReply {
  readonly status: number;
  readonly headers: Headers;
  readonly body: {
    choices?: Array<{ message: { content: string } }>;
    usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number };
    error?: { code: string; message: string; param: string | null; type: string };
  };
}

export async function postChat(
  url: string,
  key: string,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<ChatReply> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], ...body }),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: response.headers.get('content-type')?.includes('json') ? JSON.parse(text) : { raw: text },
  };
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns a value (not undefined), or fails naming `what`. */
export async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(25);
  }
}
