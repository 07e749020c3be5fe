/**
 * The one catalogue of errors the gateway returns: a stable code per failure with its HTTP status,
 * OpenAI error `type` and metric `error_type`. Clients always receive the OpenAI error shape
 * `{ error: { message, type, param, code } }` (see gateway-error.ts); codes never change meaning.
 */
import type { MetricErrorType } from '../metrics/catalog';

export interface ErrorDefinition {
  readonly status: number;
  /** The OpenAI error `type`. */
  readonly type: string;
  readonly metricErrorType: MetricErrorType;
  /** False when an OpenAI SDK should not retry on its own (sent as `x-should-retry: false`). */
  readonly retryable?: boolean;
}

export const errorCatalog = {
  // Authentication and authorisation.
  missing_api_key: { status: 401, type: 'authentication_error', metricErrorType: 'authentication' },
  invalid_api_key: { status: 401, type: 'authentication_error', metricErrorType: 'authentication' },
  model_not_allowed: { status: 403, type: 'permission_error', metricErrorType: 'permission' },
  admin_required: { status: 403, type: 'permission_error', metricErrorType: 'permission' },
  // The request itself.
  route_not_found: { status: 404, type: 'invalid_request_error', metricErrorType: 'not_found' },
  method_not_allowed: { status: 405, type: 'invalid_request_error', metricErrorType: 'invalid_request' },
  model_not_found: { status: 404, type: 'invalid_request_error', metricErrorType: 'not_found' },
  invalid_json: { status: 400, type: 'invalid_request_error', metricErrorType: 'invalid_request' },
  invalid_request: { status: 400, type: 'invalid_request_error', metricErrorType: 'invalid_request' },
  unsupported_operation: { status: 400, type: 'invalid_request_error', metricErrorType: 'invalid_request' },
  payload_too_large: { status: 413, type: 'invalid_request_error', metricErrorType: 'payload_too_large' },
  // Compliance.
  compliance_blocked: { status: 403, type: 'permission_error', metricErrorType: 'compliance_refused', retryable: false },
  compliance_no_private_target: { status: 403, type: 'permission_error', metricErrorType: 'compliance_refused', retryable: false },
  compliance_private_unavailable: { status: 503, type: 'server_error', metricErrorType: 'compliance_refused' },
  // State layer (gateway/src/state): limits and budgets.
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error', metricErrorType: 'rate_limited' },
  budget_exceeded: { status: 429, type: 'insufficient_quota', metricErrorType: 'budget_exceeded', retryable: false },
  state_unavailable: { status: 503, type: 'server_error', metricErrorType: 'unavailable' },
  // Upstreams, after retries and fallbacks.
  upstream_rate_limited: { status: 429, type: 'rate_limit_error', metricErrorType: 'upstream_rate_limited' },
  upstream_overloaded: { status: 503, type: 'server_error', metricErrorType: 'upstream_overloaded' },
  upstream_server_error: { status: 502, type: 'server_error', metricErrorType: 'upstream_server_error' },
  upstream_timeout: { status: 504, type: 'server_error', metricErrorType: 'upstream_timeout' },
  upstream_connection_error: { status: 502, type: 'server_error', metricErrorType: 'upstream_connection' },
  upstream_bad_request: { status: 400, type: 'invalid_request_error', metricErrorType: 'upstream_bad_request', retryable: false },
  upstream_auth_failed: { status: 502, type: 'server_error', metricErrorType: 'upstream_auth', retryable: false },
  upstream_content_filter: { status: 400, type: 'invalid_request_error', metricErrorType: 'upstream_content_filter', retryable: false },
  upstream_invalid_response: { status: 502, type: 'server_error', metricErrorType: 'upstream_invalid_response' },
  no_target_available: { status: 503, type: 'server_error', metricErrorType: 'unavailable' },
  // The gateway itself.
  shutting_down: { status: 503, type: 'server_error', metricErrorType: 'unavailable' },
  internal_error: { status: 500, type: 'server_error', metricErrorType: 'internal' },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalog;
