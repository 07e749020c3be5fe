/**
 * POST /api/infer (the seed's generic inference contract): `{ model, payload }` is forwarded as-is
 * to the model service registered under that name (an `http` provider), and its 2xx answer is
 * returned as-is. Auth, compliance (the payload's strings are classified; sensitive payloads reach
 * only private services), guard, retries and fallback apply as for chat.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DATA_CLASS_HEADER, headerRaisesClass } from '../compliance/classifier';
import { jsonText } from '../compliance/request-text';
import type { CancelSignal } from '../http/cancellation';
import { compliantTargets, orderTargets } from '../routing/plan-targets';
import { sendWithFallback, UpstreamHttpError } from '../routing/send-with-fallback';
import { fallbackEnvironment, type GatewayContext } from './gateway-context';
import { modelNotFound } from './handle-chat';
import { parseInferRequest } from './parse-request';
import type { RequestRecord } from './request-record';
import { gatewayHeaders, sendWhole } from './respond';
import type { StageContext } from './stages';

export async function handleInfer(
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

  const request = parseInferRequest(body);
  record.model = request.model;
  const route = runtime.resolveModel(request.model);
  if (!route || route.kind !== 'infer') throw modelNotFound(request.model);
  runtime.auth.authorizeModel(caller, request.model);

  const classification = runtime.classifier.classify(() => jsonText(request.payload), headerRaisesClass(req.headers[DATA_CLASS_HEADER]));
  record.classification = classification;
  const allowed = compliantTargets(route, classification, runtime.config.compliance);

  const ctx: StageContext = {
    requestId: record.requestId,
    operation: 'infer',
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

  const plan = orderTargets(route, allowed, { tools: false, vision: false, estimatedInputTokens: 0, maxOutputTokens: 0 }, gw.health);
  record.complianceOutcome = 'routed';
  const waitStart = performance.now();
  const { target, value } = await sendWithFallback(
    plan,
    async (target) => {
      record.attempts++;
      const adapter = target.provider.adapter;
      const response = await gw.upstream.send(target.provider.endpoint, adapter.infer!.buildRequest(body, target.context), signal);
      const bytes = await gw.upstream.readBytes(response, signal);
      if (response.status >= 300)
        throw new UpstreamHttpError(adapter.parseError(response.status, response.headers, bytes.toString('utf8')));
      const type = response.headers['content-type'];
      return { status: response.status, contentType: (Array.isArray(type) ? type[0] : type) ?? 'application/octet-stream', bytes };
    },
    fallbackEnvironment(gw, runtime, request.model, classification, signal),
  );
  record.waitMs += performance.now() - waitStart;
  record.provider = target.provider.name;
  record.targetModel = target.upstreamModel;
  record.status = value.status;
  const headers = gatewayHeaders(record.requestId, classification, decision.headers);
  headers['x-switchyard-target'] = target.id;
  sendWhole(res, value.status, value.contentType, value.bytes, headers);
}
