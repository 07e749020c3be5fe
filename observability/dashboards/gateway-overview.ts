/**
 * Gateway overview: traffic, latency, errors, tokens, cost, cache, limits, fallbacks and compliance,
 * all from the gateway's catalogued metrics (and the recording rules built on them).
 */
import type { Dashboard } from '@grafana/grafana-foundation-sdk/dashboard';
import { metricCatalog as m } from '../../gateway/src/metrics/catalog';
import { RECORDED } from '../recording-rules';
import { platformDashboard, row, stat, timeseries } from './panels';

export const GATEWAY_OVERVIEW_UID = 'switchyard-gateway';

const RATE = '$__rate_interval';

export function gatewayOverviewDashboard(): Dashboard {
  return platformDashboard(
    GATEWAY_OVERVIEW_UID,
    'Switchyard / Gateway overview',
    'Traffic, latency, errors, tokens and cost through the Switchyard gateway.',
  )
    .withRow(row('Now'))
    .withPanel(stat('Requests/s', 'reqps', { expr: `sum(rate(${m.requests.name}[${RATE}]))`, legend: 'requests/s' }))
    .withPanel(
      stat(
        'Server error ratio',
        'percentunit',
        { expr: `sum(rate(${m.requests.name}{status=~"5.."}[${RATE}])) / sum(rate(${m.requests.name}[${RATE}]))`, legend: '5xx' },
        { redAbove: 0.05 },
      ),
    )
    .withPanel(stat('In flight', 'short', { expr: `sum(${m.inFlight.name})`, legend: 'in flight' }))
    .withPanel(stat('Spend, last 24h', 'currencyUSD', { expr: `sum(increase(${m.cost.name}[24h]))`, legend: 'USD' }))
    .withRow(row('Traffic and latency'))
    .withPanel(
      timeseries('Requests/s by model and backend', 'reqps', [
        { expr: `sum by (model, provider) (rate(${m.requests.name}[${RATE}]))`, legend: '{{model}} via {{provider}}' },
      ]),
    )
    .withPanel(
      timeseries('Latency per model (p50, p95, p99)', 's', [
        { expr: RECORDED.latencyP50, legend: 'p50 {{gen_ai_request_model}}' },
        { expr: RECORDED.latencyP95, legend: 'p95 {{gen_ai_request_model}}' },
        { expr: RECORDED.latencyP99, legend: 'p99 {{gen_ai_request_model}}' },
      ]),
    )
    .withPanel(
      timeseries(
        'Time to first token (streams)',
        's',
        [
          { expr: RECORDED.timeToFirstTokenP50, legend: 'p50 {{gen_ai_request_model}}' },
          { expr: RECORDED.timeToFirstTokenP95, legend: 'p95 {{gen_ai_request_model}}' },
        ],
        { description: 'From request received to the first streamed chunk sent to the client.' },
      ),
    )
    .withPanel(
      timeseries(
        'Gateway overhead (p99)',
        's',
        [{ expr: `histogram_quantile(0.99, sum by (le, operation) (rate(${m.overhead.name}_bucket[${RATE}])))`, legend: '{{operation}}' }],
        {
          description: 'Time the gateway itself adds: total duration minus time waiting on upstreams.',
        },
      ),
    )
    .withRow(row('Errors and upstreams'))
    .withPanel(
      timeseries(
        'Errors by type',
        'reqps',
        [{ expr: `sum by (error_type) (rate(${m.requests.name}{error_type!="none"}[${RATE}]))`, legend: '{{error_type}}' }],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries('Upstream failure ratio', 'percentunit', [
        { expr: RECORDED.upstreamErrorRatio, legend: '{{provider}} / {{target_model}}' },
      ]),
    )
    .withPanel(
      timeseries('Fallbacks', 'reqps', [
        {
          expr: `sum by (model, from_provider, to_provider, reason) (rate(${m.fallbacks.name}[${RATE}]))`,
          legend: '{{model}}: {{from_provider}} → {{to_provider}} ({{reason}})',
        },
      ]),
    )
    .withPanel(
      timeseries('Circuit state (0 closed, 1 half-open, 2 open)', 'none', [
        { expr: `max by (provider, target_model) (${m.circuitState.name})`, legend: '{{provider}} / {{target_model}}' },
      ]),
    )
    .withRow(row('Tokens and cost'))
    .withPanel(
      timeseries('Tokens/s by model', 'short', [{ expr: RECORDED.tokensRate, legend: '{{model}} {{token_type}}' }], { stacked: true }),
    )
    .withPanel(
      timeseries('Cost per hour by tenant and key', 'currencyUSD', [{ expr: RECORDED.costPerHour, legend: '{{tenant}} / {{key_id}}' }], {
        stacked: true,
      }),
    )
    .withPanel(
      timeseries('Budget remaining', 'currencyUSD', [
        { expr: `min by (scope, id) (${m.budgetRemaining.name})`, legend: '{{scope}} {{id}}' },
      ]),
    )
    .withPanel(
      timeseries('Budget rejections', 'reqps', [
        {
          expr: `sum by (tenant, key_id, scope) (rate(${m.budgetRejections.name}[${RATE}]))`,
          legend: '{{tenant}} / {{key_id}} ({{scope}})',
        },
      ]),
    )
    .withRow(row('Cache, limits and compliance'))
    .withPanel(timeseries('Cache hit ratio', 'percentunit', [{ expr: RECORDED.cacheHitRatio, legend: '{{model}}' }]))
    .withPanel(
      timeseries('Rate-limit rejections', 'reqps', [
        {
          expr: `sum by (tenant, key_id, limit) (rate(${m.rateLimitRejections.name}[${RATE}]))`,
          legend: '{{tenant}} / {{key_id}} ({{limit}})',
        },
      ]),
    )
    .withPanel(
      timeseries(
        'Compliance decisions',
        'reqps',
        [{ expr: `sum by (data_class, outcome) (rate(${m.complianceDecisions.name}[${RATE}]))`, legend: '{{data_class}} {{outcome}}' }],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries(
        'Compliance detections by reason',
        'reqps',
        [{ expr: `sum by (reason) (rate(${m.complianceDetections.name}[${RATE}]))`, legend: '{{reason}}' }],
        { stacked: true },
      ),
    )
    .withPanel(
      timeseries('State backend (Redis) errors', 'reqps', [
        { expr: `sum by (stage, action) (rate(${m.stateErrors.name}[${RATE}]))`, legend: '{{stage}} ({{action}})' },
      ]),
    )
    .build();
}
