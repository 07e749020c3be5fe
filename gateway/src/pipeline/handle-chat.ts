/**
 * The hot path: POST /v1/chat/completions (and the seed's POST /chat), top to bottom.
 *
 *   1 auth -> 2 parse -> 3 classify -> 4 guard.admit + 5 cache.get (together) -> 6 route -> 7 respond
 *   (stream or JSON) -> 8 usage and cost -> 9 cache.put -> [record.finish: guard.settle, metrics, audit]
 *
 * Errors are thrown as GatewayError and written by the server (serve-request.ts), which also
 * finishes the record; once a stream has started, errors become an error frame instead.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chatText } from '../compliance/request-text';
import { DATA_CLASS_HEADER, headerRaisesClass } from '../compliance/classifier';
import type { TargetRuntime } from '../config/gateway-runtime';
import { GatewayError } from '../errors/gateway-error';
import type { CancelSignal } from '../http/cancellation';
import { UpstreamCancelledError, toTransportError } from '../http/upstream-client';
import { type ChatStreamParser, type StreamChunk, type StreamContext, UpstreamStreamError } from '../providers/contract';
import type { ChatCompletionRequest } from '../providers/openai-types';
import { toOpenAIUsage } from '../providers/openai/openai-usage';
import { compliantTargets, orderTargets } from '../routing/plan-targets';
import { sendWithFallback, UpstreamHttpError } from '../routing/send-with-fallback';
import { costUsd } from '../usage/cost';
import { estimateInputTokens, estimateOutputTokens, usageOrEstimate } from '../usage/estimate-usage';
import { ChatStreamWriter } from './chat-stream-writer';
import { CompletionAssembler, completionToChunks } from './completion-chunks';
import { fallbackEnvironment, type GatewayContext } from './gateway-context';
import { parseChatRequest, parseSimpleChatRequest } from './parse-request';
import { CLIENT_CLOSED_STATUS, type RequestRecord } from './request-record';
import { gatewayHeaders, sendJson } from './respond';
import type { CachedCompletion, StageContext } from './stages';

/** The API shape: OpenAI chat completions, or the seed's `{ prompt, model }` -> `{ model, response }`. */
export type ChatShape = 'openai' | 'simple';

/** An upstream stream opened and read up to its first chunk (failures before it may still fall back). */
interface OpenedStream {
  readonly parser: ChatStreamParser;
  readonly body: AsyncIterator<Uint8Array>;
  readonly destroy: () => void;
  readonly first: StreamChunk[];
  readonly ended: boolean;
}

export function modelNotFound(model: string): GatewayError {
  return new GatewayError('model_not_found', `The model \`${model}\` does not exist or you do not have access to it.`, 'model');
}

export async function handleChat(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  gw: GatewayContext,
  record: RequestRecord,
  signal: CancelSignal,
  shape: ChatShape,
): Promise<void> {
  const runtime = gw.runtime;

  // 1. Auth: who is calling (401 before anything else is read).
  const caller = runtime.auth.authenticateRequest(req);
  record.caller = caller;

  // 2. Parse and validate; resolve the model; check the key's allow-list.
  const request = shape === 'simple' ? parseSimpleChatRequest(body) : parseChatRequest(body);
  record.model = request.model;
  const stream = shape === 'openai' && request.stream === true;
  record.stream = stream;
  const route = runtime.resolveModel(request.model);
  if (!route || route.kind !== 'chat') throw modelNotFound(request.model);
  runtime.auth.authorizeModel(caller, request.model);

  // 3. Classify the content; compliance decides which targets may see it.
  let promptChars = 0;
  const classification = runtime.classifier.classify(() => {
    const text = chatText(request);
    promptChars = text.length;
    return text;
  }, headerRaisesClass(req.headers[DATA_CLASS_HEADER]));
  record.classification = classification;
  const allowed = compliantTargets(route, classification, runtime.config.compliance);

  // 4-5. Guard (rate limits, budgets) and cache lookup, sent together: one round trip to Redis.
  const ctx: StageContext = {
    requestId: record.requestId,
    operation: 'chat',
    caller,
    model: request.model,
    body: request,
    stream,
    classification,
    headers: req.headers,
    receivedAt: record.receivedAt,
  };
  const cacheKey = shape === 'openai' ? gw.stages.cache.keyFor(ctx) : undefined;
  const lookup = cacheKey === undefined ? undefined : lookUpCache(gw, cacheKey, ctx);
  // A guard that decides synchronously (in-memory state) is not awaited: no promise per request.
  const admitting = gw.stages.guard.admit(ctx);
  const decision = admitting instanceof Promise ? await admitting : admitting;
  if (!decision.admitted) throw decision.error;
  record.admission = { ctx, decision };
  const headers = gatewayHeaders(record.requestId, classification, decision.headers);
  const identity: StreamContext = {
    id: `chatcmpl-${record.requestId}`,
    created: Math.floor(record.receivedAt / 1000),
    model: request.model,
  };
  if (lookup) {
    const hit = await lookup;
    headers['x-cache'] = hit ? 'HIT' : 'MISS';
    if (hit) return replayCached(res, hit, identity, request, headers, record, stream);
  }

  // 6. Route: targets in strategy order, retries, fallbacks, circuit breakers.
  const plan = orderTargets(
    route,
    allowed,
    {
      tools: (request.tools?.length ?? 0) > 0,
      vision: request.messages.some((m) => Array.isArray(m.content) && m.content.some((p) => p.type === 'image_url')),
      estimatedInputTokens: estimateInputTokens(promptChars, request.messages.length),
      maxOutputTokens: request.max_completion_tokens ?? request.max_tokens ?? 0,
    },
    gw.health,
  );
  const env = fallbackEnvironment(gw, runtime, request.model, classification, signal);
  record.complianceOutcome = 'routed';
  const estimateUsage = (outChars: number, chunks: number) => ({
    inputTokens: estimateInputTokens(promptChars, request.messages.length),
    outputTokens: estimateOutputTokens(outChars, chunks),
  });

  // 7-9, streaming: headers go out with the first chunk; from then on errors become an error frame.
  if (stream) {
    const waitStart = performance.now();
    const served = await sendWithFallback(plan, (target) => openStream(gw, target, request, identity, signal, record), env);
    record.waitMs += performance.now() - waitStart;
    const { target, value: opened } = served;
    serveTarget(record, target);
    headers['x-switchyard-target'] = target.id;
    headers['x-switchyard-overhead-ms'] = record.overheadMs().toFixed(3);
    const writer = new ChatStreamWriter(res, identity, request.stream_options?.include_usage === true);
    const assembler = cacheKey !== undefined ? new CompletionAssembler() : undefined;
    writer.start(headers);
    let failure: GatewayError | undefined;
    try {
      await pipeStream(opened, writer, assembler, record, signal);
    } catch (error) {
      if (error instanceof UpstreamCancelledError || signal.aborted) record.cancelled();
      else {
        failure =
          error instanceof UpstreamStreamError
            ? new GatewayError('upstream_server_error', `The provider failed mid-stream: ${error.error.message}.`)
            : toStreamFailure(error);
        record.fail(failure);
      }
    }
    const complete = failure === undefined && record.status !== CLIENT_CLOSED_STATUS;
    const { usage, estimated } = usageOrEstimate(
      opened.parser.usage(),
      () => estimateUsage(writer.charsWritten, writer.chunksWritten),
      complete,
    );
    record.usage = usage;
    record.usageEstimated = estimated;
    record.costUsd = costUsd(usage, target.price);
    if (failure) writer.fail(failure);
    else if (record.status !== CLIENT_CLOSED_STATUS) {
      writer.finish(toOpenAIUsage(usage));
      if (assembler && cacheKey !== undefined)
        storeInCache(gw, cacheKey, ctx, {
          completion: assembler.completion(identity),
          usage,
          provider: target.provider.name,
          targetModel: target.upstreamModel,
        });
    }
    return;
  }

  // 7-9, whole answer.
  const waitStart = performance.now();
  const served = await sendWithFallback(plan, (target) => completeOnce(gw, target, request, identity, signal, record), env);
  record.waitMs += performance.now() - waitStart;
  const { target, value: parsed } = served;
  serveTarget(record, target);
  const { usage, estimated } = usageOrEstimate(parsed.usage, () => estimateUsage(0, 0));
  record.usage = usage;
  record.usageEstimated = estimated;
  record.costUsd = costUsd(usage, target.price);
  const completion = parsed.completion;
  completion.usage ??= toOpenAIUsage(usage);
  if (cacheKey !== undefined)
    storeInCache(gw, cacheKey, ctx, { completion, usage, provider: target.provider.name, targetModel: target.upstreamModel });
  headers['x-switchyard-target'] = target.id;
  headers['x-switchyard-overhead-ms'] = record.overheadMs().toFixed(3);
  const answer = shape === 'simple' ? { model: request.model, response: completion.choices[0]?.message.content ?? '' } : completion;
  sendJson(res, 200, JSON.stringify(answer), headers);
}

function serveTarget(record: RequestRecord, target: TargetRuntime): void {
  record.provider = target.provider.name;
  record.targetModel = target.upstreamModel;
}

/** One non-streaming attempt on one target. */
async function completeOnce(
  gw: GatewayContext,
  target: TargetRuntime,
  request: ChatCompletionRequest,
  identity: StreamContext,
  signal: CancelSignal,
  record: RequestRecord,
) {
  record.attempts++;
  const adapter = target.provider.adapter;
  const response = await gw.upstream.send(target.provider.endpoint, adapter.buildChatRequest(request, target.context), signal);
  const text = await gw.upstream.readText(response, signal);
  if (response.status >= 300) throw new UpstreamHttpError(adapter.parseError(response.status, response.headers, text));
  return adapter.parseChatResponse(text, identity);
}

/** One streaming attempt: opens the upstream stream and reads up to its first chunk. */
async function openStream(
  gw: GatewayContext,
  target: TargetRuntime,
  request: ChatCompletionRequest,
  identity: StreamContext,
  signal: CancelSignal,
  record: RequestRecord,
): Promise<OpenedStream> {
  record.attempts++;
  const adapter = target.provider.adapter;
  const response = await gw.upstream.send(target.provider.endpoint, adapter.buildChatRequest(request, target.context), signal);
  if (response.status >= 300) {
    const text = await gw.upstream.readText(response, signal);
    throw new UpstreamHttpError(adapter.parseError(response.status, response.headers, text));
  }
  const parser = adapter.createChatStreamParser(identity);
  const pieces: AsyncIterable<Uint8Array> = parser.frames ? parser.frames(response.body) : response.body;
  const body = pieces[Symbol.asyncIterator]();
  const destroy = () => response.body.destroy();
  try {
    for (;;) {
      const next = await body.next();
      if (next.done) return { parser, body, destroy, first: parser.end(), ended: true };
      const first = parser.push(next.value);
      if (first.length > 0) {
        record.firstChunkAt = performance.now();
        return { parser, body, destroy, first, ended: false };
      }
    }
  } catch (error) {
    destroy();
    throw error instanceof UpstreamStreamError ? error : toTransportError(error, signal, 'body');
  }
}

/** Pumps the rest of an opened stream to the client, honouring backpressure. */
async function pipeStream(
  opened: OpenedStream,
  writer: ChatStreamWriter,
  assembler: CompletionAssembler | undefined,
  record: RequestRecord,
  signal: CancelSignal,
): Promise<void> {
  const { parser, body } = opened;
  let chunks = opened.first;
  let ended = opened.ended;
  try {
    for (;;) {
      if (chunks.length > 0) {
        assembler?.add(chunks);
        const drained = writer.write(chunks);
        if (drained) {
          const t = performance.now();
          await drained;
          record.waitMs += performance.now() - t;
        }
      }
      if (ended) return;
      if (signal.aborted) throw new UpstreamCancelledError();
      const t = performance.now();
      let next: IteratorResult<Uint8Array>;
      try {
        next = await body.next();
      } catch (error) {
        throw error instanceof UpstreamStreamError ? error : toTransportError(error, signal, 'body');
      }
      record.waitMs += performance.now() - t;
      if (next.done) {
        chunks = parser.end();
        ended = true;
      } else chunks = parser.push(next.value);
    }
  } catch (error) {
    opened.destroy();
    throw error;
  }
}

/** A mid-stream failure as the error frame sent to the client. */
function toStreamFailure(error: unknown): GatewayError {
  const upstream = (error as { error?: { kind?: string; message?: string } }).error;
  if (upstream?.kind === 'timeout') return new GatewayError('upstream_timeout', `The provider stopped mid-stream: ${upstream.message}.`);
  if (upstream?.message) return new GatewayError('upstream_connection_error', `The provider stream broke: ${upstream.message}.`);
  return new GatewayError('internal_error', 'The gateway failed while streaming the response.');
}

/**
 * Starts a cache lookup that never rejects (a failed lookup is a miss), so it may run beside
 * admit(). Called synchronously, so both commands leave in the same write to Redis.
 */
function lookUpCache(gw: GatewayContext, key: string, ctx: StageContext): Promise<CachedCompletion | undefined> {
  const failed = (error: unknown) => {
    gw.log.warn('cache lookup failed', { requestId: ctx.requestId, error: String(error) });
    return undefined;
  };
  try {
    return Promise.resolve(gw.stages.cache.get(key, ctx)).catch(failed);
  } catch (error) {
    return Promise.resolve(failed(error));
  }
}

function storeInCache(gw: GatewayContext, key: string, ctx: StageContext, value: CachedCompletion): void {
  try {
    const stored = gw.stages.cache.put(key, value, ctx);
    if (stored) stored.catch((error: unknown) => gw.log.warn('cache put failed', { requestId: ctx.requestId, error: String(error) }));
  } catch (error) {
    gw.log.warn('cache put failed', { requestId: ctx.requestId, error: String(error) });
  }
}

/** Serves a cached answer as JSON or as a well-formed stream; no upstream tokens are spent. */
function replayCached(
  res: ServerResponse,
  hit: CachedCompletion,
  identity: StreamContext,
  request: ChatCompletionRequest,
  headers: Record<string, string>,
  record: RequestRecord,
  stream: boolean,
): void {
  record.cacheHit = true;
  record.provider = hit.provider;
  record.targetModel = hit.targetModel;
  record.usage = hit.usage;
  headers['x-switchyard-target'] = `${hit.provider}/${hit.targetModel}`;
  if (!stream) {
    const completion = {
      ...hit.completion,
      id: identity.id,
      created: identity.created,
      model: identity.model,
      usage: toOpenAIUsage(hit.usage),
    };
    sendJson(res, 200, JSON.stringify(completion), headers);
    return;
  }
  const writer = new ChatStreamWriter(res, identity, request.stream_options?.include_usage === true);
  writer.start(headers);
  record.firstChunkAt = performance.now();
  void writer.write(completionToChunks(hit.completion, identity));
  writer.finish(toOpenAIUsage(hit.usage));
}
