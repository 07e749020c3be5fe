/** Writing responses: JSON bodies, OpenAI-shaped errors, and the headers the gateway adds. */
import type { ServerResponse } from 'node:http';
import type { Classification } from '../compliance/classification';
import { DATA_CLASS_HEADER } from '../compliance/classifier';
import type { GatewayError } from '../errors/gateway-error';
import { endAtTurnEnd } from './turn-end-writes';

export const REQUEST_ID_HEADER = 'x-request-id';
export const REASONS_HEADER = 'x-switchyard-classification-reasons';

/**
 * Headers every routed response carries: the request id, the data class and its reason codes
 * (never matched text), plus what the guard added (rate-limit headers).
 */
export function gatewayHeaders(
  requestId: string,
  classification: Classification,
  extra?: Readonly<Record<string, string>>,
): Record<string, string> {
  const headers: Record<string, string> = { [REQUEST_ID_HEADER]: requestId, [DATA_CLASS_HEADER]: classification.dataClass };
  if (classification.reasons.length > 0) headers[REASONS_HEADER] = classification.reasons.join(',');
  if (extra) Object.assign(headers, extra);
  return headers;
}

/**
 * `headers` then `fixed` as the flat [name, value, ...] list Node's writeHead takes, a name in
 * `fixed` replacing the same name in `headers`: cheaper than spreading the gateway's dozen headers
 * into a new object for every response.
 */
export function headerList(headers: Readonly<Record<string, string>> | undefined, fixed: Readonly<Record<string, string>>): string[] {
  const list: string[] = [];
  if (headers) for (const name in headers) if (!(name in fixed)) list.push(name, headers[name]);
  for (const name in fixed) list.push(name, fixed[name]);
  return list;
}

/** Writes a whole answer: headers and body leave in one write, at the end of the turn (turn-end-writes.ts). */
export function sendWhole(
  res: ServerResponse,
  status: number,
  contentType: string,
  body: string | Uint8Array,
  headers?: Readonly<Record<string, string>>,
): void {
  const length = typeof body === 'string' ? Buffer.byteLength(body) : body.byteLength;
  res.writeHead(status, headerList(headers, { 'content-type': contentType, 'content-length': String(length) }));
  endAtTurnEnd(res, body);
}

/** Writes a whole JSON answer (sendWhole). */
export function sendJson(res: ServerResponse, status: number, body: string, headers?: Readonly<Record<string, string>>): void {
  sendWhole(res, status, 'application/json', body, headers);
}

/** Writes a GatewayError in the OpenAI error shape (no stack, no internals). */
export function sendError(res: ServerResponse, error: GatewayError, headers?: Readonly<Record<string, string>>): void {
  const extra: Record<string, string> = { ...headers, ...error.headers };
  if (error.definition.retryable === false) extra['x-should-retry'] = 'false';
  sendJson(res, error.status, JSON.stringify(error.toBody()), extra);
}
