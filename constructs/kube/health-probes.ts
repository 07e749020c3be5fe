/**
 * Startup, readiness and liveness probes on a container's real health check: an HTTP path where
 * the program serves one, a TCP connect or a command where it does not.
 *
 * - startup: gives a slow start (loading models, replaying a log) its own budget, during which the
 *   other two are held back; so liveness can stay strict without killing a starting container.
 * - readiness: takes the pod out of its Services while it fails.
 * - liveness: restarts the container after three failures in a row.
 */
import { IntOrString, type Probe } from './k8s';

/** What a probe does. */
export type ProbeCheck =
  | { readonly httpGet: { readonly path: string; readonly port: number | string } }
  | { readonly tcpPort: number | string }
  | { readonly exec: readonly string[] };

export interface HealthProbes {
  /** The check that says the container can take traffic. */
  readonly readiness: ProbeCheck;
  /**
   * The check that says the container is alive (should not be restarted).
   * @default - the readiness check
   */
  readonly liveness?: ProbeCheck;
  /**
   * The check that says the container has started.
   * @default - the liveness check
   */
  readonly startup?: ProbeCheck;
  /**
   * How long the container may take to start before it is restarted.
   * @default 300
   */
  readonly startupBudgetSeconds?: number;
  /**
   * How long one check may take.
   * @default 5
   */
  readonly timeoutSeconds?: number;
}

const STARTUP_PERIOD_SECONDS = 5;

function port(value: number | string): IntOrString {
  return typeof value === 'number' ? IntOrString.fromNumber(value) : IntOrString.fromString(value);
}

function action(check: ProbeCheck): Pick<Probe, 'httpGet' | 'tcpSocket' | 'exec'> {
  if ('httpGet' in check) return { httpGet: { path: check.httpGet.path, port: port(check.httpGet.port), scheme: 'HTTP' } };
  if ('tcpPort' in check) return { tcpSocket: { port: port(check.tcpPort) } };
  return { exec: { command: [...check.exec] } };
}

/** The three probes of a container. */
export function containerProbes(health: HealthProbes): { startupProbe: Probe; readinessProbe: Probe; livenessProbe: Probe } {
  const liveness = health.liveness ?? health.readiness;
  const startup = health.startup ?? liveness;
  const timeoutSeconds = health.timeoutSeconds ?? 5;
  const budget = health.startupBudgetSeconds ?? 300;
  return {
    startupProbe: {
      ...action(startup),
      periodSeconds: STARTUP_PERIOD_SECONDS,
      timeoutSeconds,
      failureThreshold: Math.ceil(budget / STARTUP_PERIOD_SECONDS),
    },
    readinessProbe: { ...action(health.readiness), periodSeconds: 10, timeoutSeconds, failureThreshold: 3, successThreshold: 1 },
    livenessProbe: { ...action(liveness), periodSeconds: 20, timeoutSeconds, failureThreshold: 3 },
  };
}
