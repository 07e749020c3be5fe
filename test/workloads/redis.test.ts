import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { DATA_SECRETS } from '../../constructs/data/data-secrets';
import { Redis } from '../../constructs/data/redis';
import { tempDir } from '../support/paths';
import { resolveContainer } from './kubelet-env';
import { ingressSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';
import { emptyChart, find, synthObjects } from './synth-scope';

function redisOf(persistence: 'none' | 'snapshot' | 'append-only') {
  const chart = emptyChart();
  new Redis(chart, 'Redis', {
    instance: 'switchyard',
    namespace: 'ai-data',
    passwordSecret: DATA_SECRETS.redisPassword,
    persistence,
    storage: { size: '5Gi', storageClassName: 'gp3' },
  });
  return synthObjects(chart);
}

describe('Redis', () => {
  const objects = objectsOf('aws');
  const pod = podSpecOf(objects, 'StatefulSet', 'redis');
  const container = pod.containers[0];

  it('runs the official image as an unprivileged high UID, read-only, with no token', () => {
    expect(container.image).toBe('docker.io/library/redis:8.6.5');
    expect(pod.securityContext).toMatchObject({ runAsUser: 65532, runAsGroup: 65532, fsGroup: 65532, runAsNonRoot: true });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('takes its password from the redis-auth Secret, by reference only', () => {
    expect(container.env).toEqual([
      { name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'redis-auth', key: 'password', optional: false } } },
      { name: 'REDISCLI_AUTH', value: '$(REDIS_PASSWORD)' },
    ]);
    expect(container.args).toEqual(expect.arrayContaining(['--requirepass', '$(REDIS_PASSWORD)']));
  });

  it('probes with an authenticated PING and sets requests and limits', () => {
    expect(container.readinessProbe.exec.command).toEqual(['sh', '-c', 'redis-cli -h 127.0.0.1 -p 6379 ping | grep -qx PONG']);
    expect(container.livenessProbe.exec).toEqual(container.readinessProbe.exec);
    expect(container.startupProbe.failureThreshold).toBe(120);
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '1', memory: '512Mi' } });
  });

  it('persists by config: append-only and snapshot on a claim, none in an emptyDir', () => {
    const aof = find(redisOf('append-only'), 'StatefulSet', 'redis');
    expect(aof.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--appendonly', 'yes', '--appendfsync', 'everysec']));
    expect(aof.spec.volumeClaimTemplates.map((c: { metadata: { name: string } }) => c.metadata.name)).toEqual(['data']);
    const snapshot = find(redisOf('snapshot'), 'StatefulSet', 'redis');
    expect(snapshot.spec.template.spec.containers[0].args).toEqual(
      expect.arrayContaining(['--appendonly', 'no', '--save', '3600 1 300 100 60 10000']),
    );
    const none = find(redisOf('none'), 'StatefulSet', 'redis');
    expect(none.spec.volumeClaimTemplates).toEqual([]);
    expect(none.spec.template.spec.volumes).toEqual([{ name: 'data', emptyDir: { sizeLimit: '64Mi' } }]);
    expect(none.spec.template.spec.containers[0].args).toEqual(expect.arrayContaining(['--save', '', '--appendonly', 'no']));
  });

  it('is reachable on 6379 only from the gateway and the Redis exporter (metrics), nothing else', () => {
    expect(policy(objects, 'ai-data', 'redis-from-gateway').spec).toEqual({
      podSelector: { matchLabels: selector('redis') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [podPeer('ai-gateway', 'gateway')], ports: [{ protocol: 'TCP', port: 6379 }] }],
    });
    expect(policy(objects, 'ai-data', 'redis-from-redis-exporter').spec.ingress).toEqual([
      { from: [podPeer('ai-data', 'redis-exporter')], ports: [{ protocol: 'TCP', port: 6379 }] },
    ]);
    expect(ingressSources(objects, 'ai-data', 'redis')).toEqual(['ai-data/redis-exporter -> 6379', 'ai-gateway/gateway -> 6379']);
  });
});

/** A TCP port nobody listens on right now. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

function hasBinary(name: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${name}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

const haveRedis = hasBinary('redis-server') && hasBinary('redis-cli');
if (!haveRedis) console.warn('skipping the real redis-server test: redis-server or redis-cli is not installed');

(haveRedis ? describe : describe.skip)('Redis, the synthesized command run against a real redis-server', () => {
  const password = 'c0ffee'.repeat(8);
  let server: ChildProcess;
  let port: number;
  let env: Record<string, string>;
  let probe: string[];

  beforeAll(async () => {
    const container = find(redisOf('append-only'), 'StatefulSet', 'redis').spec.template.spec.containers[0];
    const resolved = resolveContainer(container, { 'redis-auth': { password } });
    port = await freePort();
    const dir = tempDir();
    // The pod's exact argv, with its port and /data swapped for a free port and a temp dir.
    const argv = resolved.argv.map((arg, i, all) => (all[i - 1] === '--dir' ? dir : all[i - 1] === '--port' ? String(port) : arg));
    server = spawn(argv[0], [...argv.slice(1), '--bind', '127.0.0.1'], { stdio: 'ignore' });
    env = { ...resolved.env, PATH: process.env.PATH ?? '/usr/bin:/bin' };
    probe = container.readinessProbe.exec.command.map((part: string) => part.replace('-p 6379', `-p ${port}`));
    for (let i = 0; i < 50; i++) {
      try {
        execFileSync('redis-cli', ['-p', String(port), '-a', password, '--no-auth-warning', 'ping'], { stdio: 'pipe' });
        return;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  });
  afterAll(() => server?.kill());

  const cli = (args: string[], extraEnv: Record<string, string> = {}) =>
    execFileSync('redis-cli', ['-p', String(port), ...args], { env: { PATH: process.env.PATH, ...extraEnv }, encoding: 'utf8' }).trim();

  it('refuses clients without the password', () => {
    expect(cli(['ping'])).toMatch(/NOAUTH/);
  });

  it('passes its own readiness probe (REDISCLI_AUTH expanded from the Secret)', () => {
    expect(() => execFileSync(probe[0], probe.slice(1), { env, stdio: 'pipe' })).not.toThrow();
    expect(() => execFileSync(probe[0], probe.slice(1), { env: { PATH: env.PATH }, stdio: 'pipe' })).toThrow();
  });

  it('runs with append-only persistence and memory capped at three quarters of the limit', () => {
    const auth = { REDISCLI_AUTH: password };
    expect(cli(['config', 'get', 'appendonly'], auth)).toBe('appendonly\nyes');
    expect(cli(['config', 'get', 'maxmemory'], auth)).toBe(`maxmemory\n${Math.floor(512 * 2 ** 20 * 0.75)}`);
    expect(cli(['config', 'get', 'maxmemory-policy'], auth)).toBe('maxmemory-policy\nvolatile-lru');
  });
});
