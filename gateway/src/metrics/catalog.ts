/**
 * The one catalogue of every metric the gateway exposes: name, type, help, label names and
 * histogram buckets. Pure data with no imports, so the root workspace (dashboards, alert rules,
 * Prometheus tests) imports it by relative path and can only refer to metrics that exist.
 *
 * Names follow the OpenTelemetry GenAI semantic conventions where one exists (`gen_ai.*`, with dots
 * turned into underscores and the unit appended as Prometheus does); the gateway's own metrics are
 * `switchyard_*`. Names and label names are a contract: renaming one breaks dashboards and alerts.
 *
 * Label vocabulary:
 * - `gen_ai_operation_name`: chat | embeddings | infer
 * - `gen_ai_request_model` / `model`: the model name the client asked for (a `models[].name`)
 * - `gen_ai_provider_name` / `provider`: the configured provider name (`providers[].name`)
 * - `gen_ai_response_model` / `target_model`: the provider's model id that served the request
 * - `gen_ai_token_type`: input | output
 * - `error_type`: one of METRIC_ERROR_TYPES (`none` on success)
 * - `key_id`, `tenant`: the API key id and its tenant (`anonymous` / `default` when auth is off)
 */

/** The closed set of `error_type` label values (the error catalogue maps each code to one). */
export const METRIC_ERROR_TYPES = [
  'none',
  'authentication',
  'permission',
  'invalid_request',
  'not_found',
  'payload_too_large',
  'rate_limited',
  'budget_exceeded',
  'compliance_refused',
  'upstream_rate_limited',
  'upstream_overloaded',
  'upstream_server_error',
  'upstream_timeout',
  'upstream_connection',
  'upstream_bad_request',
  'upstream_auth',
  'upstream_content_filter',
  'upstream_invalid_response',
  'client_cancelled',
  'unavailable',
  'internal',
] as const;
export type MetricErrorType = (typeof METRIC_ERROR_TYPES)[number];

/** Values of `switchyard_circuit_state`. */
export const CIRCUIT_STATE_VALUES = { closed: 0, half_open: 1, open: 2 } as const;

export type MetricType = 'counter' | 'gauge' | 'histogram';

export interface MetricDefinition {
  readonly name: string;
  readonly type: MetricType;
  readonly help: string;
  readonly labelNames: readonly string[];
  /** Upper bounds in the metric's unit (histograms only). */
  readonly buckets?: readonly number[];
}

/** Latency of whole LLM operations: 10 ms to ~80 s, doubling (the OTel GenAI advice). */
const OPERATION_SECONDS = [0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92] as const;
/** Token counts per request: powers of four up to 64M (the OTel GenAI advice). */
const TOKEN_COUNTS = [1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144, 1048576, 4194304, 16777216, 67108864] as const;
/** Time to first token (the OTel GenAI advice). */
const FIRST_TOKEN_SECONDS = [0.001, 0.005, 0.01, 0.02, 0.04, 0.06, 0.08, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10] as const;
/** The gateway's own added latency: 25 µs to 100 ms. */
const OVERHEAD_SECONDS = [0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1] as const;

const GEN_AI_LABELS = ['gen_ai_operation_name', 'gen_ai_provider_name', 'gen_ai_request_model', 'gen_ai_response_model'] as const;

export const metricCatalog = {
  // --- OpenTelemetry GenAI-style metrics -------------------------------------------------------
  tokenUsage: {
    name: 'gen_ai_client_token_usage',
    type: 'histogram',
    help: 'Tokens used per request, by token type (input, output), as reported by the provider or estimated when it reported none.',
    labelNames: [...GEN_AI_LABELS, 'gen_ai_token_type'],
    buckets: TOKEN_COUNTS,
  },
  operationDuration: {
    name: 'gen_ai_client_operation_duration_seconds',
    type: 'histogram',
    help: 'Duration of a GenAI operation through the gateway, from request received to response end (all attempts included).',
    labelNames: [...GEN_AI_LABELS, 'error_type'],
    buckets: OPERATION_SECONDS,
  },
  timeToFirstToken: {
    name: 'gen_ai_server_time_to_first_token_seconds',
    type: 'histogram',
    help: 'Time from request received to the first streamed chunk sent to the client (streaming requests only).',
    labelNames: GEN_AI_LABELS,
    buckets: FIRST_TOKEN_SECONDS,
  },
  // --- Requests, routing and upstreams --------------------------------------------------------
  requests: {
    name: 'switchyard_requests_total',
    type: 'counter',
    help: 'Requests finished, by operation, client model, serving target, HTTP status and error type.',
    labelNames: ['operation', 'model', 'provider', 'target_model', 'status', 'error_type'],
  },
  inFlight: {
    name: 'switchyard_requests_in_flight',
    type: 'gauge',
    help: 'Requests being served right now.',
    labelNames: ['operation'],
  },
  overhead: {
    name: 'switchyard_gateway_overhead_seconds',
    type: 'histogram',
    help: 'Time the gateway itself adds to a request: total duration minus time spent waiting on upstreams.',
    labelNames: ['operation'],
    buckets: OVERHEAD_SECONDS,
  },
  upstreamAttempts: {
    name: 'switchyard_upstream_attempts_total',
    type: 'counter',
    help: 'Upstream attempts by target and outcome (success, or the normalised upstream error kind).',
    labelNames: ['provider', 'target_model', 'outcome'],
  },
  retries: {
    name: 'switchyard_retries_total',
    type: 'counter',
    help: 'Retries of the same target after a retryable upstream error.',
    labelNames: ['provider', 'target_model', 'reason'],
  },
  fallbacks: {
    name: 'switchyard_fallbacks_total',
    type: 'counter',
    help: 'Fallbacks from one target to the next, by client model and the error that caused them.',
    labelNames: ['model', 'from_provider', 'from_target_model', 'to_provider', 'to_target_model', 'reason'],
  },
  circuitState: {
    name: 'switchyard_circuit_state',
    type: 'gauge',
    help: 'Circuit breaker state per target: 0 closed, 1 half-open, 2 open.',
    labelNames: ['provider', 'target_model'],
  },
  circuitOpened: {
    name: 'switchyard_circuit_opened_total',
    type: 'counter',
    help: 'Times a target circuit opened after consecutive failures.',
    labelNames: ['provider', 'target_model'],
  },
  // --- Compliance -------------------------------------------------------------------------------
  complianceDecisions: {
    name: 'switchyard_compliance_decisions_total',
    type: 'counter',
    help: 'Compliance classifications by data class (standard, sensitive) and outcome (routed, refused).',
    labelNames: ['operation', 'data_class', 'outcome'],
  },
  complianceDetections: {
    name: 'switchyard_compliance_detections_total',
    type: 'counter',
    help: 'Detector hits by reason code (never the matched text); one request may count several reasons.',
    labelNames: ['reason'],
  },
  // --- Usage and cost ---------------------------------------------------------------------------
  tokens: {
    name: 'switchyard_tokens_total',
    type: 'counter',
    help: 'Tokens by API key, tenant, client model and token type (input, output).',
    labelNames: ['key_id', 'tenant', 'model', 'token_type'],
  },
  cost: {
    name: 'switchyard_cost_usd_total',
    type: 'counter',
    help: 'Spend in USD from the price table, by API key, tenant and client model.',
    labelNames: ['key_id', 'tenant', 'model'],
  },
  // --- State layer (rate limits, budgets, cache; incremented by gateway/src/state) ---------------
  rateLimitRejections: {
    name: 'switchyard_rate_limit_rejections_total',
    type: 'counter',
    help: "Requests refused by a rate limit, by API key, tenant, client model and limit (rpm, tpm: the key's; tenant_rpm, tenant_tpm; model_rpm, model_tpm).",
    labelNames: ['key_id', 'tenant', 'model', 'limit'],
  },
  budgetRejections: {
    name: 'switchyard_budget_rejections_total',
    type: 'counter',
    help: 'Requests refused because a monthly budget is spent, by API key, tenant and budget scope (key, tenant).',
    labelNames: ['key_id', 'tenant', 'scope'],
  },
  budgetRemaining: {
    name: 'switchyard_budget_remaining_usd',
    type: 'gauge',
    help: 'Budget left in the current month, by scope (key, tenant) and id.',
    labelNames: ['scope', 'id'],
  },
  cacheLookups: {
    name: 'switchyard_cache_lookups_total',
    type: 'counter',
    help: 'Response cache lookups by client model and result (hit, miss, bypass, error).',
    labelNames: ['model', 'result'],
  },
  stateErrors: {
    name: 'switchyard_state_errors_total',
    type: 'counter',
    help: 'State backend (Redis) errors by stage (rate_limit, budget, settle, cache, spend) and the action taken (fail_open, fail_closed, bypass, retry, dropped, error).',
    labelNames: ['stage', 'action'],
  },
  // --- Operation --------------------------------------------------------------------------------
  configReloads: {
    name: 'switchyard_config_reloads_total',
    type: 'counter',
    help: 'Config reloads by result (success, failure); on failure the previous config keeps running.',
    labelNames: ['result'],
  },
  configLastReloadSuccess: {
    name: 'switchyard_config_last_reload_successful',
    type: 'gauge',
    help: '1 when the last config (re)load succeeded, 0 when the newest file was refused and an older config runs.',
    labelNames: [],
  },
  buildInfo: {
    name: 'switchyard_build_info',
    type: 'gauge',
    help: 'Always 1; labels carry the gateway version and Node.js version.',
    labelNames: ['version', 'node_version'],
  },
  processCpu: {
    name: 'process_cpu_seconds_total',
    type: 'counter',
    help: 'Total user and system CPU time spent in seconds.',
    labelNames: [],
  },
  processResidentMemory: {
    name: 'process_resident_memory_bytes',
    type: 'gauge',
    help: 'Resident memory size in bytes.',
    labelNames: [],
  },
  processStartTime: {
    name: 'process_start_time_seconds',
    type: 'gauge',
    help: 'Start time of the process since the Unix epoch in seconds.',
    labelNames: [],
  },
  eventLoopDelayP99: {
    name: 'nodejs_eventloop_delay_p99_seconds',
    type: 'gauge',
    help: 'The 99th percentile of event loop delay since the previous scrape.',
    labelNames: [],
  },
} as const satisfies Record<string, MetricDefinition>;

export type MetricKey = keyof typeof metricCatalog;
