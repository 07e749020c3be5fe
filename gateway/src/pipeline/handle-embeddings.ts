/**
 * POST /v1/embeddings: auth -> parse -> classify -> guard -> route (targets with an embeddings API)
 * -> adapter -> JSON -> usage. Same stages as chat, without streaming or cache.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DATA_CLASS_HEADER, headerRaisesClass } from '../compliance/classifier';
import { embeddingsText } from '../compliance/request-text';
import { GatewayError } from '../errors/gateway-error';
import type { CancelSignal } from '../http/cancellation';
import { compliantTargets, orderTargets } from '../routing/plan-targets';
import { sendWithFallback, UpstreamHttpError } from '../routing/send-with-fallback';
import { costUsd } from '../usage/cost';
import { estimateInputTokens, usageOrEstimate } from '../usage/estimate-usage';
import { fallbackEnvironment, type GatewayContext } from './gateway-context';
import { modelNotFound } from './handle-chat';
import { parseEmbeddingsRequest } from './parse-request';
import type { RequestRecord } from './request-record';
import { gatewayHeaders, sendJson } from './respond';
import type { StageContext } from './stages';

export async function handleEmbeddings(
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  gw: GatewayContext,
  record: RequestRecord,
  signal: CancelSignal,
): Promise<void> {
  const runtime = gw.runtime;
  const caller = runtime.auth.authenticateRequest(req);
  record.caller = caller;

  const request = parseEmbeddingsRequest(body);
  record.model = request.model;
  const route = runtime.resolveModel(request.model);
  if (!route || route.kind !== 'chat') throw modelNotFound(request.model);
  runtime.auth.authorizeModel(caller, request.model);
  const withEmbeddings = route.targets.filter((t) => t.provider.adapter.embeddings);
  if (withEmbeddings.length === 0)
    throw new GatewayError('unsupported_operation', `Model "${request.model}" has no target that serves embeddings.`, 'model');

  let inputChars = 0;
  const classification = runtime.classifier.classify(() => {
    const text = embeddingsText(request);
    inputChars = text.length;
    return text;
  }, headerRaisesClass(req.headers[DATA_CLASS_HEADER]));
  record.classification = classification;
  const allowed = compliantTargets({ ...route, targets: withEmbeddings }, classification, runtime.config.compliance);

  const ctx: StageContext = {
    requestId: record.requestId,
    operation: 'embeddings',
    caller,
    model: request.model,
    body: request,
    stream: false,
    classification,
    headers: req.headers,
    receivedAt: record.receivedAt,
  };
  const decision = await gw.stages.guard.admit(ctx);
  if (!decision.admitted) throw decision.error;
  record.admission = { ctx, decision };

  const plan = orderTargets(
    route,
    allowed,
    { tools: false, vision: false, estimatedInputTokens: estimateInputTokens(inputChars, 0), maxOutputTokens: 0 },
    gw.health,
  );
  record.complianceOutcome = 'routed';
  const waitStart = performance.now();
  const { target, value } = await sendWithFallback(
    plan,
    async (target) => {
      record.attempts++;
      const codec = target.provider.adapter.embeddings!;
      const response = await gw.upstream.send(target.provider.endpoint, codec.buildRequest(request, target.context), signal);
      const text = await gw.upstream.readText(response, signal);
      if (response.status >= 300) throw new UpstreamHttpError(target.provider.adapter.parseError(response.status, response.headers, text));
      return codec.parseResponse(text, request.model, request);
    },
    fallbackEnvironment(gw, runtime, request.model, classification, signal),
  );
  record.waitMs += performance.now() - waitStart;
  record.provider = target.provider.name;
  record.targetModel = target.upstreamModel;
  const { usage, estimated } = usageOrEstimate(value.usage, () => ({ inputTokens: estimateInputTokens(inputChars, 0), outputTokens: 0 }));
  record.usage = usage;
  record.usageEstimated = estimated;
  record.costUsd = costUsd(usage, target.price);
  const headers = gatewayHeaders(record.requestId, classification, decision.headers);
  headers['x-switchyard-target'] = target.id;
  headers['x-switchyard-overhead-ms'] = record.overheadMs().toFixed(3);
  sendJson(res, 200, JSON.stringify(value.response), headers);
}
