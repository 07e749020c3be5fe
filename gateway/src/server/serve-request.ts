/**
 * The HTTP entry point: one route table built at startup, and the error boundary around every
 * pipeline handler. It reads the body (413 past the limit), gives the handler a Cancellation that
 * fires when the client goes away, writes any error in the OpenAI shape, and always finishes the
 * request record (guard settle, metrics, audit). Every API request writes one audit line: model
 * calls through their RequestRecord, the lists, extra routes and 404/405 refusals through an
 * AccessRecord; the health, readiness and metrics probes write none.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AccessRecord } from '../audit/access-record';
import type { Caller } from '../auth/caller';
import { GatewayError, toGatewayError } from '../errors/gateway-error';
import { Cancellation, type CancelSignal } from '../http/cancellation';
import { UpstreamCancelledError } from '../http/upstream-client';
import type { GaugeChild } from '../metrics/registry';
import type { GatewayContext } from '../pipeline/gateway-context';
import { handleChat } from '../pipeline/handle-chat';
import { handleEmbeddings } from '../pipeline/handle-embeddings';
import { handleInfer } from '../pipeline/handle-infer';
import { RequestRecord } from '../pipeline/request-record';
import { REQUEST_ID_HEADER, sendError, sendJson } from '../pipeline/respond';
import type { ExtraRoute, Operation } from '../pipeline/stages';
import { afterTurnWrites, endsAtTurnEnd } from '../pipeline/turn-end-writes';
import { readBody } from './read-body';
import { health, listModels, listProviders, metrics, readiness } from './info-routes';

type PipelineHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  body: Buffer,
  gw: GatewayContext,
  record: RequestRecord,
  signal: CancelSignal,
) => Promise<void>;

type Route =
  | { readonly kind: 'pipeline'; readonly operation: Operation; readonly handle: PipelineHandler }
  /** Read-only API endpoints: any valid key; one audit line each. */
  | {
      readonly kind: 'info';
      readonly operation: string;
      readonly handle: (res: ServerResponse, gw: GatewayContext, caller: Caller) => void;
    }
  /** Health, readiness and metrics probes: no auth, no audit line (they run every few seconds). */
  | { readonly kind: 'probe'; readonly handle: (res: ServerResponse, gw: GatewayContext) => void }
  | { readonly kind: 'extra'; readonly route: ExtraRoute };

/** Tracks requests in flight so shutdown can wait for them. */
export interface InFlight {
  count: number;
  draining: boolean;
  /** Startup work still running in the background (PipelineStages.warming). */
  starting: boolean;
  onIdle?: () => void;
}

const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function buildRoutes(extra: readonly ExtraRoute[], inFlight: InFlight): Map<string, Route> {
  const routes = new Map<string, Route>([
    [
      'POST /v1/chat/completions',
      { kind: 'pipeline', operation: 'chat', handle: (q, s, b, g, r, sig) => handleChat(q, s, b, g, r, sig, 'openai') },
    ],
    ['POST /chat', { kind: 'pipeline', operation: 'chat', handle: (q, s, b, g, r, sig) => handleChat(q, s, b, g, r, sig, 'simple') }],
    ['POST /v1/embeddings', { kind: 'pipeline', operation: 'embeddings', handle: handleEmbeddings }],
    ['POST /api/infer', { kind: 'pipeline', operation: 'infer', handle: handleInfer }],
    ['GET /v1/models', { kind: 'info', operation: 'models', handle: listModels }],
    ['GET /providers', { kind: 'info', operation: 'providers', handle: listProviders }],
    ['GET /metrics', { kind: 'probe', handle: (s, g) => metrics(s, g) }],
    ['GET /health', { kind: 'probe', handle: (s) => health(s) }],
    ['GET /healthz', { kind: 'probe', handle: (s) => health(s) }],
    ['GET /readyz', { kind: 'probe', handle: (s) => readiness(s, inFlight) }],
  ]);
  for (const route of extra) routes.set(`${route.method} ${route.path}`, { kind: 'extra', route });
  return routes;
}

/** The client's request id when it is safe to echo and log, else a new one. */
function requestIdOf(req: IncomingMessage): string {
  const incoming = req.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
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
    const method = req.method ?? 'GET';
    const route = routes.get(`${method} ${path}`);
    if (inFlight.draining) res.shouldKeepAlive = false;
    if (!route) {
      const allowed = paths.get(path);
      const record = new AccessRecord(requestIdOf(req), 'none', method, allowed ? path : null);
      const error = allowed
        ? new GatewayError('method_not_allowed', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}.`)
        : new GatewayError('route_not_found', `No route ${method} ${path}.`);
      record.fail(error);
      sendError(res, error, { [REQUEST_ID_HEADER]: record.requestId, ...(allowed ? { allow: allowed.join(', ') } : {}) });
      record.finish(gw.audit, res.statusCode);
      return;
    }
    if (route.kind === 'probe') {
      try {
        route.handle(res, gw);
      } catch (error) {
        sendError(res, toGatewayError(error));
      }
      return;
    }
    if (route.kind === 'info') {
      const record = new AccessRecord(requestIdOf(req), route.operation, method, path);
      res.setHeader(REQUEST_ID_HEADER, record.requestId);
      try {
        record.caller = gw.runtime.auth.authenticateRequest(req);
        route.handle(res, gw, record.caller);
      } catch (error) {
        const failure = toGatewayError(error);
        record.fail(failure);
        sendError(res, failure);
      }
      record.finish(gw.audit, res.statusCode);
      return;
    }
    if (route.kind === 'extra') {
      void serveExtra(req, res, gw, route.route, new AccessRecord(requestIdOf(req), route.route.operation, method, path));
      return;
    }
    const gauge = inFlightGauges.get(route.operation)!;
    inFlight.count++;
    gauge.inc();
    void servePipeline(req, res, gw, route, new RequestRecord(requestIdOf(req), route.operation, method, path)).finally(() => {
      gauge.dec();
      if (--inFlight.count === 0 && inFlight.onIdle) inFlight.onIdle();
    });
  };
}

async function servePipeline(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  route: Extract<Route, { kind: 'pipeline' }>,
  record: RequestRecord,
): Promise<void> {
  const cancellation = new Cancellation();
  const onClose = () => {
    if (!res.writableFinished) cancellation.abort();
  };
  res.once('close', onClose);
  try {
    const body = await readBody(req, gw.runtime.config.limits.maxBodyBytes);
    await route.handle(req, res, body, gw, record, cancellation);
  } catch (error) {
    if (error instanceof UpstreamCancelledError || cancellation.aborted) record.cancelled();
    else {
      const failure = toGatewayError(error);
      if (!(error instanceof GatewayError))
        gw.log.error('request failed inside the gateway', {
          requestId: record.requestId,
          error: error instanceof Error ? error.message : String(error),
        });
      record.fail(failure);
      if (!res.headersSent) {
        if (failure.code === 'payload_too_large') res.shouldKeepAlive = false;
        sendError(res, failure, { [REQUEST_ID_HEADER]: record.requestId });
      } else if (!res.writableEnded && !endsAtTurnEnd(res)) res.destroy();
    }
  } finally {
    res.off('close', onClose);
    // Metrics, the audit line and settling limits wait until this turn's answers are written.
    const endedAt = performance.now();
    afterTurnWrites(() => {
      try {
        record.finish(gw, endedAt);
      } catch (error) {
        gw.log.error('finishing the request record failed', {
          requestId: record.requestId,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    });
  }
}

async function serveExtra(
  req: IncomingMessage,
  res: ServerResponse,
  gw: GatewayContext,
  route: ExtraRoute,
  record: AccessRecord,
): Promise<void> {
  res.setHeader(REQUEST_ID_HEADER, record.requestId);
  try {
    const caller = gw.runtime.auth.authenticateRequest(req);
    record.caller = caller;
    if (route.access === 'admin' && !caller.admin)
      throw new GatewayError('admin_required', `${route.path} needs an admin key; key "${caller.keyId}" is not one.`);
    const { status, body } = await route.handle(req, caller);
    sendJson(res, status, JSON.stringify(body));
  } catch (error) {
    if (!(error instanceof GatewayError))
      gw.log.error('extra route failed', { path: route.path, error: error instanceof Error ? error.message : String(error) });
    const failure = toGatewayError(error);
    record.fail(failure);
    if (!res.headersSent) sendError(res, failure);
  } finally {
    record.finish(gw.audit, res.statusCode);
  }
}
