/**
 * The read-only endpoints: health, readiness, metrics (probes: no auth, no audit line), the model
 * list and the provider list (given the authenticated caller; serve-request.ts audits them).
 */
import type { ServerResponse } from 'node:http';
import type { Caller } from '../auth/caller';
import { PROMETHEUS_CONTENT_TYPE } from '../metrics/registry';
import type { GatewayContext } from '../pipeline/gateway-context';
import { sendJson, sendWhole } from '../pipeline/respond';

const OK = JSON.stringify({ status: 'ok' });

export function health(res: ServerResponse): void {
  sendJson(res, 200, OK);
}

export function readiness(res: ServerResponse, state: { readonly draining: boolean; readonly starting: boolean }): void {
  if (state.draining) sendJson(res, 503, JSON.stringify({ status: 'draining' }));
  else if (state.starting) sendJson(res, 503, JSON.stringify({ status: 'starting' }));
  else sendJson(res, 200, OK);
}

export function metrics(res: ServerResponse, gw: GatewayContext): void {
  const body = gw.metrics.render();
  sendWhole(res, 200, PROMETHEUS_CONTENT_TYPE, body);
}

/** GET /v1/models: the models the caller's key may use (401 without a valid key). */
export function listModels(res: ServerResponse, gw: GatewayContext, caller: Caller): void {
  const runtime = gw.runtime;
  const data = runtime.listedModels
    .filter((route) => route.kind === 'chat' && caller.allowsModel(route.name))
    .map((route) => ({ id: route.name, object: 'model', created: 0, owned_by: 'switchyard' }));
  sendJson(res, 200, JSON.stringify({ object: 'list', data }));
}

/** GET /providers (the seed's contract): names, types, private flags and model names; never URLs' secrets or keys. */
export function listProviders(res: ServerResponse, gw: GatewayContext): void {
  const runtime = gw.runtime;
  const providers = [...runtime.providers.values()].map((provider) => ({
    name: provider.name,
    type: provider.type,
    private: provider.private,
    models: runtime.config.models.filter((m) => m.targets.some((t) => t.provider === provider.name)).map((m) => m.name),
    circuits: runtime.config.models
      .flatMap((m) => m.targets.filter((t) => t.provider === provider.name && t.model).map((t) => t.model!))
      .filter((model, i, all) => all.indexOf(model) === i)
      .map((model) => ({ model, state: gw.health.get(provider.name, model).breaker.state })),
  }));
  sendJson(res, 200, JSON.stringify({ providers }));
}
