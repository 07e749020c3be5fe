/** Starts a gateway for a test with audit lines and log lines captured. */
import { createHash } from 'node:crypto';
import type { GatewayConfigInput } from '../../src/config/schema';
import { createLogger, type Logger } from '../../src/log/logger';
import { type RunningGateway, startGateway, type StartGatewayOptions } from '../../src/start-gateway';

export const TEST_KEY = 'sk-test-team-a';
export const TEST_KEY_SHA256 = createHash('sha256').update(TEST_KEY).digest('hex');

export interface TestGateway extends RunningGateway {
  readonly audit: Array<Record<string, unknown>>;
  readonly logs: string[];
}

export async function startTestGateway(config: GatewayConfigInput, options: StartGatewayOptions = {}): Promise<TestGateway> {
  const audit: Array<Record<string, unknown>> = [];
  const logs: string[] = [];
  const log: Logger = options.log ?? createLogger('debug', (line) => logs.push(line));
  // Audit lines once per event-loop turn, so a test reads them after one setImmediate; the default
  // window is tested on its own (audit-batching.test.ts).
  const gateway = await startGateway(
    { ...config, audit: { flushMs: 0, ...config.audit } },
    {
      auditSink: (text) => {
        for (const line of text.split('\n')) if (line) audit.push(JSON.parse(line));
      },
      ...options,
      log,
    },
  );
  await gateway.ready; // exact token counts from the first request
  return Object.assign(gateway, { audit, logs });
}

/**
 * The compliance tests' routing: model `chat` prefers a public provider `cloud` and has a private
 * `in-cluster` fallback; `cloud-only` has no private target.
 */
export function cloudAndInClusterRoutes(cloudUrl: string, inClusterUrl: string): Pick<GatewayConfigInput, 'providers' | 'models'> {
  return {
    providers: [
      { name: 'cloud', type: 'openai', baseUrl: `${cloudUrl}/v1` },
      { name: 'in-cluster', type: 'openai', baseUrl: `${inClusterUrl}/v1`, private: true },
    ],
    models: [
      {
        name: 'chat',
        targets: [
          { provider: 'cloud', model: 'public-model' },
          { provider: 'in-cluster', model: 'private-model' },
        ],
      },
      { name: 'cloud-only', targets: [{ provider: 'cloud', model: 'public-model' }] },
    ],
  };
}
