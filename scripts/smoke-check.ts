/**
 * The post-deploy check behind `npm run smoke`: lists the models a key may use through the
 * gateway (GET /v1/models), sends each one short chat, and reports per model which target served
 * it (the gateway's `x-switchyard-target` header), the HTTP status and the latency. Models are
 * tried one after another, so a GPU-bound model server is never asked for all of them at once.
 * A model that refuses the chat as a bad request (400: an embedding model such as
 * nomic-embed-text, which OpenWebUI's RAG uses) is asked for one embedding instead, and passes
 * when that answers.
 */

/** The response header the gateway names the target that answered in (`provider/model`). */
export const TARGET_HEADER = 'x-switchyard-target';

export interface SmokeOptions {
  /** The edge (or gateway) base URL, e.g. https://ai.example.com; /v1/... is appended. */
  readonly url: string;
  readonly apiKey: string;
  /** Longest one request may take. */
  readonly timeoutMs: number;
  /** The user message of each chat. */
  readonly prompt: string;
  /** Only these models (all listed ones when empty). */
  readonly models: readonly string[];
}

export interface SmokeResult {
  readonly model: string;
  /** What was asked of the model: a chat, or (after the chat was refused with 400) an embedding. */
  readonly check: 'chat' | 'embeddings';
  /** provider/model that served the chat, or '-' when the gateway routed nowhere. */
  readonly target: string;
  readonly ok: boolean;
  /** HTTP status, or the network error's name when there was no response. */
  readonly status: string;
  readonly latencyMs: number;
  /** Why it failed: the OpenAI-style error code and message, or the network error. */
  readonly detail?: string;
}

/** A failure of the check itself (the model list could not be read). */
export class SmokeError extends Error {}

interface OpenAiError {
  error?: { code?: string | null; message?: string };
}

function endpoint(base: string, path: string): string {
  return `${base.replace(/\/+$/, '')}${path}`;
}

/** "401 invalid_api_key: The API key is not valid." from an error response body, as far as it parses. */
function describeError(status: number, body: string): string {
  try {
    const { error } = JSON.parse(body) as OpenAiError;
    if (error?.message) return `${status} ${error.code ?? 'error'}: ${error.message}`;
  } catch {
    // Not JSON (a proxy's HTML page, for instance): fall through to the raw start of the body.
  }
  return `${status}: ${body.slice(0, 120).replace(/\s+/g, ' ').trim() || '(empty body)'}`;
}

function networkError(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  if (error instanceof Error && error.name === 'TimeoutError') return 'timed out';
  return cause?.code ?? cause?.message ?? (error as Error).message;
}

/** The model ids the key may use. */
export async function listModels(options: SmokeOptions): Promise<string[]> {
  let response: Response;
  try {
    response = await fetch(endpoint(options.url, '/v1/models'), {
      headers: { authorization: `Bearer ${options.apiKey}` },
      signal: AbortSignal.timeout(options.timeoutMs),
    });
  } catch (error) {
    throw new SmokeError(`listing models at ${endpoint(options.url, '/v1/models')} failed: ${networkError(error)}`);
  }
  const body = await response.text();
  if (!response.ok) throw new SmokeError(`listing models failed: ${describeError(response.status, body)}`);
  const parsed = JSON.parse(body) as { data?: Array<{ id?: unknown }> };
  if (!Array.isArray(parsed.data)) throw new SmokeError('listing models failed: the response has no "data" list (is the URL the gateway?)');
  return parsed.data.map((m) => String(m.id));
}

/**
 * One request for `check` to `path`; `answered` says whether a 2xx body holds a real answer, or
 * why not.
 */
async function requestOnce(
  options: SmokeOptions,
  model: string,
  check: SmokeResult['check'],
  path: string,
  request: object,
  answered: (body: unknown) => string | undefined,
): Promise<SmokeResult> {
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await fetch(endpoint(options.url, path), {
      method: 'POST',
      headers: { authorization: `Bearer ${options.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model, ...request }),
      signal: AbortSignal.timeout(options.timeoutMs),
    });
    const body = await response.text();
    const result = {
      model,
      check,
      target: response.headers.get(TARGET_HEADER) ?? '-',
      status: String(response.status),
      latencyMs: latency(),
    };
    if (!response.ok) return { ...result, ok: false, detail: describeError(response.status, body) };
    const problem = answered(JSON.parse(body));
    return problem ? { ...result, ok: false, detail: problem } : { ...result, ok: true };
  } catch (error) {
    return { model, check, target: '-', ok: false, status: 'error', latencyMs: latency(), detail: networkError(error) };
  }
}

/** One short chat with `model`. */
export function chatOnce(options: SmokeOptions, model: string): Promise<SmokeResult> {
  const request = { messages: [{ role: 'user', content: options.prompt }], max_tokens: 16, stream: false };
  return requestOnce(options, model, 'chat', '/v1/chat/completions', request, (body) => {
    const choices = (body as { choices?: unknown[] }).choices;
    return Array.isArray(choices) && choices.length > 0 ? undefined : 'the answer has no choices';
  });
}

/** One embedding of the prompt with `model`. */
export function embedOnce(options: SmokeOptions, model: string): Promise<SmokeResult> {
  return requestOnce(options, model, 'embeddings', '/v1/embeddings', { input: options.prompt }, (body) => {
    const vector = (body as { data?: Array<{ embedding?: unknown }> }).data?.[0]?.embedding;
    return Array.isArray(vector) && vector.length > 0 ? undefined : 'the answer has no embedding';
  });
}

/** A chat with `model`; when the chat is refused as a bad request, one embedding instead (the chat's failure stands if that fails too). */
export async function checkModel(options: SmokeOptions, model: string): Promise<SmokeResult> {
  const chat = await chatOnce(options, model);
  if (chat.ok || chat.status !== '400') return chat;
  const embedding = await embedOnce(options, model);
  return embedding.ok ? embedding : chat;
}

/** Lists the models and chats with each, in order. */
export async function smokeCheck(options: SmokeOptions): Promise<SmokeResult[]> {
  const listed = await listModels(options);
  const unknown = options.models.filter((m) => !listed.includes(m));
  if (unknown.length > 0)
    throw new SmokeError(
      `model(s) ${unknown.map((m) => JSON.stringify(m)).join(', ')} not listed for this key; listed: ${listed.join(', ') || '(none)'}`,
    );
  const models = options.models.length > 0 ? [...options.models] : listed;
  if (models.length === 0) throw new SmokeError('the gateway lists no models for this key');
  const results: SmokeResult[] = [];
  for (const model of models) results.push(await checkModel(options, model));
  return results;
}

/** The results as an aligned text table, failures explained below it. */
export function formatSmokeTable(results: readonly SmokeResult[]): string {
  const rows = [
    ['MODEL', 'TARGET', 'STATUS', 'LATENCY'],
    ...results.map((r) => [
      r.model,
      r.target,
      `${r.ok ? 'ok' : 'FAIL'} ${r.status}${r.check === 'embeddings' ? ' (embeddings)' : ''}`,
      `${r.latencyMs} ms`,
    ]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  const lines = rows.map((row) =>
    row.map((cell, c) => (c === row.length - 1 ? cell.padStart(widths[c]) : cell.padEnd(widths[c]))).join('  '),
  );
  const failures = results.filter((r) => !r.ok).map((r) => `${r.model}: ${r.detail ?? r.status}`);
  const summary = `${results.length - failures.length} of ${results.length} model(s) answered`;
  return [...lines, '', summary, ...failures].join('\n');
}
