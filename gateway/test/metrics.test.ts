/**
 * GET /metrics: every metric in the catalogue is exposed under its catalogued name and type, the
 * exposition is valid (checked by Prometheus's own promtool when installed), and request traffic
 * moves the series dashboards read.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { metricCatalog } from '../src/metrics/catalog';
import { chatCompletion, type FakeUpstream, sendJsonResponse, startFakeUpstream } from './support/fake-upstream';
import { startTestGateway, TEST_KEY, TEST_KEY_SHA256, type TestGateway } from './support/test-gateway';

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream((_req, res) =>
    sendJsonResponse(res, 200, chatCompletion('ok', { prompt_tokens: 1000, completion_tokens: 500 })),
  );
  gateway = await startTestGateway({
    providers: [{ name: 'up', type: 'openai', baseUrl: `${upstream.url}/v1` }],
    models: [{ name: 'chat', targets: [{ provider: 'up', model: 'gpt-up' }] }],
    keys: [{ id: 'team-a', sha256: TEST_KEY_SHA256, tenant: 'a', models: ['*'] }],
    prices: [{ model: 'gpt-up', inputUsdPerMillion: 2, outputUsdPerMillion: 8 }],
  });
  await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${TEST_KEY}` },
    body: JSON.stringify({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }),
  });
  await fetch(`${gateway.url}/v1/chat/completions`, { method: 'POST', headers: { authorization: 'Bearer wrong' }, body: '{}' });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

const scrape = async () => {
  const response = await fetch(`${gateway.url}/metrics`);
  expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
  return response.text();
};

test('every catalogued metric is exposed with its type and help', async () => {
  const text = await scrape();
  for (const definition of Object.values(metricCatalog)) {
    expect(text).toContain(`# TYPE ${definition.name} ${definition.type}\n`);
    expect(text).toContain(`# HELP ${definition.name} `);
  }
});

test('a served request moves tokens, cost, duration, overhead and request counters', async () => {
  const text = await scrape();
  expect(text).toContain(
    'switchyard_requests_total{operation="chat",model="chat",provider="up",target_model="gpt-up",status="200",error_type="none"} 1',
  );
  expect(text).toContain(
    'switchyard_requests_total{operation="chat",model="none",provider="none",target_model="none",status="401",error_type="authentication"} 1',
  );
  expect(text).toContain('switchyard_tokens_total{key_id="team-a",tenant="a",model="chat",token_type="output"} 500');
  // 1000 input tokens at $2/M + 500 output tokens at $8/M = $0.006
  expect(text).toContain('switchyard_cost_usd_total{key_id="team-a",tenant="a",model="chat"} 0.006');
  expect(text).toContain(
    'gen_ai_client_token_usage_bucket{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="chat",gen_ai_response_model="gpt-up",gen_ai_token_type="input",le="1024"} 1',
  );
  expect(text).toMatch(
    /gen_ai_client_operation_duration_seconds_count\{gen_ai_operation_name="chat",gen_ai_provider_name="up",gen_ai_request_model="chat",gen_ai_response_model="gpt-up",error_type="none"\} 1/,
  );
  expect(text).toMatch(/switchyard_gateway_overhead_seconds_count\{operation="chat"\} 2/);
  expect(text).toMatch(/process_resident_memory_bytes \d+/);
});

test('promtool accepts the exposition', async () => {
  const found = spawnSync('promtool', ['--version'], { stdio: 'ignore' });
  if (found.error) {
    console.warn('skipped: promtool is not installed (Debian package "prometheus")');
    return;
  }
  const text = await scrape();
  // promtool exits non-zero on format errors; lint warnings about naming would also print here.
  const output = execFileSync('promtool', ['check', 'metrics'], { input: text, encoding: 'utf8' });
  expect(output).toBe('');
});
