/**
 * The HTTP entry point: one route table built at startup, and the error boundary around every
 * pipeline handler. It reads the body (413 past the limit), gives the handler an AbortSignal that
 * fires when the client goes away, writes any error in the OpenAI shape, and always finishes the
 * request record (guard settle, metrics, audit).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import { UpstreamCancelledError } from '../http/upstream-client';
import type { GaugeChild } from '../metrics/registry';
import type { GatewayContext } from '../pipeline/gateway-context';
import { handleChat } from '../pipeline/handle-chat';
import { handleEmbeddings } from '../pipeline/handle-embeddings';
import { handleInfer } from '../pipeline/handle-infer';
import { RequestRecord } from '../pipeline/request-record';
import { REQUEST_ID_HEADER, sendError, sendJson } from '../pipeline/respond';
import type { ExtraRoute, Operation } from '../pipeline/stages';
import { readBody } from './read-body';
import { health, listModels, listProviders, metrics, readiness } from './info-routes';

type PipelineHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer, gw: GatewayContext, record: RequestRecord, signal: AbortSignal) => Promise<void>;

type Route =
  | { readonly kind: 'pipeline'; readonly operation: Operation; readonly handle: PipelineHandler }
  | { readonly kind: 'info'; readonly handle: (req: IncomingMessage, res: ServerResponse, gw: GatewayContext) => void }
  | { readonly kind: 'extra'; readonly route: ExtraRoute };

/** Tracks requests in flight so shutdown can wait for them. */
export interface InFlight {
  count: number;
  draining: boolean;
  onIdle?: () => void;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function buildRoutes(extra: readonly ExtraRoute[], inFlight: InFlight): Map<string, Route> {
  const routes = new Map<string, Route>([
    ['POST /v1/chat/completions', { kind: 'pipeline', operation: 'chat', handle: (q, s, b, g, r, sig) => handleChat(q, s, b, g, r, sig, 'openai') }],
    ['POST /chat', { kind: 'pipeline', operation: 'chat', handle: (q, s, b, g, r, sig) => handleChat(q, s, b, g, r, sig, 'simple') }],
    ['POST /v1/embeddings', { kind: 'pipeline', operation: 'embeddings', handle: handleEmbeddings }],
    ['POST /api/infer', { kind: 'pipeline', operation: 'infer', handle: handleInfer }],
    ['GET /v1/models', { kind: 'info', handle: listModels }],
    ['GET /providers', { kind: 'info', handle: listProviders }],
    ['GET /metrics', { kind: 'info', handle: (_q, s, g) => metrics(s, g) }],
    ['GET /health', { kind: 'info', handle: (_q, s) => health(s) }],
    ['GET /healthz', { kind: 'info', handle: (_q, s) => health(s) }],
    ['GET /readyz', { kind: 'info', handle: (_q, s) => readiness(s, inFlight.draining) }],
  ]);
  for (const route of extra) routes.set(`${route.method} ${route.path}`, { kind: 'extra', route });
  return routes;
}

export function createRequestListener(gw: GatewayContext, inFlight: InFlight): (req: IncomingMessage, res: ServerResponse) => void {
  const routes = buildRoutes(gw.stages.routes ?? [], inFlight);
  const paths = new Map<string, string[]>();
  for (const key of routes.keys()) {
    const [method, path] = key.split(' ');
    paths.set(path, [...(paths.get(path) ?? []), method]);
  }
  const inFlightGauges = new Map<Operation, GaugeChild>(
    (['chat', 'embeddings', 'infer'] as const).map((op) => [op, gw.metrics.gauge('inFlight').labels(op)]),
  );

  return (req, res) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const route = routes.get(`${req.method} ${path}`);
    if (inFlight.draining) res.shouldKeepAlive = false;
    if (!route) {
      const allowed = paths.get(path);
      if (allowed) sendError(res, new GatewayError('method_not_allowed', `${req.method} is not allowed on ${path}; use ${allowed.join(' or ')}.`), { allow: allowed.join(', ') });
      else sendError(res, new GatewayError('route_not_found', `No route ${req.method} ${path}.`));
      return;
    }
    if (route.kind === 'info') {
      try {
        route.handle(req, res, gw);
      } catch (error) {
        sendError(res, toGatewayError(error));
      }
      return;
    }
    if (route.kind === 'extra') {
      void serveExtra(req, res, gw, route.route);
      return;
    }
    const incomingId = req.headers[REQUEST_ID_HEADER];
    const requestId = typeof incomingId === 'string' && SAFE_REQUEST_ID.test(incomingId) ? incomingId : randomUUID();
    const gauge = inFlightGauges.get(route.operation)!;
    inFlight.count++;
    gauge.inc();
    void servePipeline(req, res, gw, route, new RequestRecord(requestId, route.operation)).finally(() => {
      gauge.dec();
      if (--inFlight.count === 0 && inFlight.onIdle) inFlight.onIdle();
    });
  };
}

async function servePipeline(req: IncomingMessage, res: ServerResponse, gw: GatewayContext, route: Extract<Route, { kind: 'pipeline' }>, record: RequestRecord): Promise<void> {
  const controller = new AbortController();
  const onClose = () => {
    if (!res.writableFinished) controller.abort();
  };
  res.once('close', onClose);
  try {
    const body = await readBody(req, gw.runtime.config.limits.maxBodyBytes);
    await route.handle(req, res, body, gw, record, controller.signal);
  } catch (error) {
    if (error instanceof UpstreamCancelledError || controller.signal.aborted) record.cancelled();
    else {
      const failure = toGatewayError(error);
      if (!(error instanceof GatewayError)) gw.log.error('request failed inside the gateway', { requestId: record.requestId, error: error instanceof Error ? error.message : String(error) });
      record.fail(failure);
      if (!res.headersSent) {
        if (failure.code === 'payload_too_large') res.shouldKeepAlive = false;
        sendError(res, failure, { [REQUEST_ID_HEADER]: record.requestId });
      } else if (!res.writableEnded) res.destroy();
    }
  } finally {
    res.off('close', onClose);
    record.finish(gw);
  }
}

async function serveExtra(req: IncomingMessage, res: ServerResponse, gw: GatewayContext, route: ExtraRoute): Promise<void> {
  try {
    const caller = gw.runtime.auth.authenticate(req.headers.authorization);
    if (route.access === 'admin' && !caller.admin) throw new GatewayError('admin_required', `${route.path} needs an admin key; key "${caller.keyId}" is not one.`);
    const { status, body } = await route.handle(req, caller);
    sendJson(res, status, JSON.stringify(body));
  } catch (error) {
    if (!(error instanceof GatewayError)) gw.log.error('extra route failed', { path: route.path, error: error instanceof Error ? error.message : String(error) });
    if (!res.headersSent) sendError(res, toGatewayError(error));
  }
}
