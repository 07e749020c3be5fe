/**
 * Compliance never depends on Redis: with redis-server killed, a fail-open and a fail-closed
 * gateway still classify every request, send sensitive ones to private targets only, refuse them
 * when no private target can serve (never rerouting them out), and report the decision in the
 * headers and the audit log. The public upstream never sees a sensitive request.
 */
import type { GatewayConfigInput } from '../src/config/schema';
import { chatCompletion, type FakeUpstream, sendJsonResponse, sseBody, startFakeUpstream } from './support/fake-upstream';
import { describeWithRedis, type RedisServer, startRedisServer } from './support/redis-server';
import { cloudAndInClusterRoutes, startTestGateway, type TestGateway } from './support/test-gateway';
import { postChat, testKey, until } from './support/usage-upstream';

const SSN_TEXT = 'Patient SSN is 123-45-6789, please summarise the chart.';
const limited = testKey('outage-limited');
const unlimited = testKey('outage-unlimited');
const flush = () => new Promise((resolve) => setImmediate(resolve));

/** An OpenAI-compatible upstream naming itself in its answers; `failing` makes it answer 500. */
function upstreamNamed(name: string, state: { failing: boolean }) {
  return startFakeUpstream((req, res) => {
    if (state.failing) return sendJsonResponse(res, 500, { error: { message: 'boom', type: 'server_error' } });
    const body = req.json<{ stream?: boolean }>();
    const usage = { prompt_tokens: 3, completion_tokens: 2, total_tokens: 5 };
    if (body.stream) {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(
        sseBody([
          {
            id: 'u',
            object: 'chat.completion.chunk',
            created: 1,
            model: name,
            choices: [{ index: 0, delta: { role: 'assistant', content: `from ${name}` }, finish_reason: 'stop' }],
          },
          { id: 'u', object: 'chat.completion.chunk', created: 1, model: name, choices: [], usage },
        ]),
      );
      return;
    }
    sendJsonResponse(res, 200, chatCompletion(`from ${name}`, { prompt_tokens: 3, completion_tokens: 2 }, name));
  });
}

for (const mode of ['fail-open', 'fail-closed'] as const) {
  describeWithRedis(`compliance with redis-server down (${mode})`, () => {
    let redis: RedisServer;
    let cloud: FakeUpstream;
    let inCluster: FakeUpstream;
    const privateState = { failing: false };
    let gateway: TestGateway;

    const config = (): GatewayConfigInput => ({
      ...cloudAndInClusterRoutes(cloud.url, inCluster.url),
      keys: [
        { id: 'outage-limited', sha256: limited.sha256, tenant: 'a', models: ['*'], rpm: 1000, monthlyBudgetUsd: 100 },
        { id: 'outage-unlimited', sha256: unlimited.sha256, tenant: 'b', models: ['*'] },
      ],
      cache: { ttlSeconds: 60 },
      state: { redis: { url: redis.url, keyPrefix: `${mode}:`, commandTimeoutMs: 200 }, onRedisError: mode },
      routing: { attemptsPerTarget: 1 },
    });

    /** The public upstream's requests that carried the sensitive text (must stay 0). */
    const leaked = () => cloud.requests.filter((r) => r.body.includes('123-45-6789')).length;

    beforeAll(async () => {
      redis = await startRedisServer();
      cloud = await upstreamNamed('cloud', { failing: false });
      inCluster = await upstreamNamed('in-cluster', privateState);
      gateway = await startTestGateway(config());
      // Redis is in use before the outage: limits answer with their headers.
      const before = await postChat(gateway.url, limited.key, {});
      expect(before.headers.get('x-ratelimit-remaining-requests')).toBe('999');
      await redis.kill();
      // The outage is seen: fail-open serves without limits, fail-closed refuses limited keys.
      await until('the outage to be seen', async () => {
        const reply = await postChat(gateway.url, limited.key, {});
        if (mode === 'fail-open') return reply.status === 200 && !reply.headers.has('x-ratelimit-remaining-requests') ? true : undefined;
        return reply.status === 503 && reply.body.error?.code === 'state_unavailable' ? true : undefined;
      });
    });
    afterEach(() => {
      privateState.failing = false;
    });
    afterAll(async () => {
      await gateway?.close();
      await Promise.all([cloud?.close(), inCluster?.close()]);
      await redis?.stop();
    });

    test('a standard request still takes the first target', async () => {
      const reply = await postChat(gateway.url, unlimited.key, { messages: [{ role: 'user', content: 'Write a haiku about the sea.' }] });
      expect(reply.status).toBe(200);
      expect(reply.headers.get('x-switchyard-data-class')).toBe('standard');
      expect(reply.headers.get('x-switchyard-target')).toBe('cloud/public-model');
    });

    test('a sensitive request is classified and served by the private target only', async () => {
      const cloudBefore = cloud.requests.length;
      const reply = await postChat(gateway.url, unlimited.key, { messages: [{ role: 'user', content: SSN_TEXT }] });
      expect(reply.status).toBe(200);
      expect(reply.body.choices?.[0].message.content).toBe('from in-cluster');
      expect(reply.headers.get('x-switchyard-data-class')).toBe('sensitive');
      expect(reply.headers.get('x-switchyard-classification-reasons')).toBe('us_ssn');
      expect(reply.headers.get('x-switchyard-target')).toBe('in-cluster/private-model');
      expect(reply.headers.get('x-cache')).toBeNull();
      expect(cloud.requests.length).toBe(cloudBefore);
      await flush();
      expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
        key_id: 'outage-unlimited',
        data_class: 'sensitive',
        reasons: ['us_ssn'],
        provider: 'in-cluster',
        status: 200,
      });
    });

    test('a streamed sensitive request, and one raised by header, reach the private target only', async () => {
      const streamed = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${unlimited.key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ model: 'chat', stream: true, messages: [{ role: 'user', content: SSN_TEXT }] }),
      });
      expect(streamed.status).toBe(200);
      expect(streamed.headers.get('x-switchyard-target')).toBe('in-cluster/private-model');
      expect(await streamed.text()).toContain('from in-cluster');
      const raised = await postChat(
        gateway.url,
        unlimited.key,
        { messages: [{ role: 'user', content: 'Nothing to detect here.' }] },
        { 'x-switchyard-data-class': 'sensitive' },
      );
      expect(raised.status).toBe(200);
      expect(raised.headers.get('x-switchyard-data-class')).toBe('sensitive');
      expect(raised.headers.get('x-switchyard-target')).toBe('in-cluster/private-model');
      expect(cloud.requests.some((r) => r.body.includes('Nothing to detect here.'))).toBe(false);
    });

    test('with the private target failing, a sensitive request is refused, never rerouted to the cloud', async () => {
      privateState.failing = true;
      const cloudBefore = cloud.requests.length;
      const reply = await postChat(gateway.url, unlimited.key, { messages: [{ role: 'user', content: SSN_TEXT }] });
      expect(reply.status).toBe(503);
      expect(reply.body.error?.code).toBe('compliance_private_unavailable');
      expect(cloud.requests.length).toBe(cloudBefore);
    });

    test('a model with no private target refuses a sensitive request', async () => {
      const cloudBefore = cloud.requests.length;
      const reply = await postChat(gateway.url, unlimited.key, { model: 'cloud-only', messages: [{ role: 'user', content: SSN_TEXT }] });
      expect(reply.status).toBe(403);
      expect(reply.body.error?.code).toBe('compliance_no_private_target');
      expect(cloud.requests.length).toBe(cloudBefore);
    });

    test(
      mode === 'fail-open'
        ? 'a key with limits is served without them, and its sensitive request still goes private only'
        : 'a key with limits is refused with state_unavailable before any upstream is asked, its data class still reported',
      async () => {
        const before = { cloud: cloud.requests.length, inCluster: inCluster.requests.length };
        const reply = await postChat(gateway.url, limited.key, { messages: [{ role: 'user', content: SSN_TEXT }] });
        expect(reply.headers.has('x-ratelimit-remaining-requests')).toBe(false);
        if (mode === 'fail-open') {
          expect(reply.status).toBe(200);
          expect(reply.headers.get('x-switchyard-target')).toBe('in-cluster/private-model');
          expect(cloud.requests.length).toBe(before.cloud);
        } else {
          expect(reply.status).toBe(503);
          expect(reply.body.error?.code).toBe('state_unavailable');
          expect(reply.headers.get('retry-after')).toBe('1');
          expect({ cloud: cloud.requests.length, inCluster: inCluster.requests.length }).toEqual(before);
          await flush();
          expect(gateway.audit[gateway.audit.length - 1]).toMatchObject({
            key_id: 'outage-limited',
            data_class: 'sensitive',
            reasons: ['us_ssn'],
            status: 503,
            error_code: 'state_unavailable',
          });
        }
      },
    );

    test('the public upstream never received the sensitive text, and the decisions were counted', async () => {
      expect(leaked()).toBe(0);
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_compliance_decisions_total\{operation="chat",data_class="sensitive",outcome="routed"\} [1-9]/);
      expect(metrics).toMatch(/switchyard_compliance_decisions_total\{operation="chat",data_class="sensitive",outcome="refused"\} [1-9]/);
      expect(metrics).toMatch(/switchyard_state_errors_total\{stage="rate_limit",action="fail_(open|closed)"\} [1-9]/);
    });
  });
}
