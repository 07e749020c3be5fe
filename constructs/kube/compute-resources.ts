/**
 * CPU and memory a container requests and may use at most. Required on every Switchyard container:
 * the scheduler places pods by their requests, and limits keep one workload from starving the node.
 */
import { QUANTITY, quantityToNumber } from '../../config/primitives';
import { Quantity, type ResourceRequirements } from './k8s';

export { quantityToNumber };

export interface ComputeResources {
  /** CPU the scheduler reserves, e.g. 250m. */
  readonly cpuRequest: string;
  /** CPU the container is throttled at, e.g. 1. */
  readonly cpuLimit: string;
  /** Memory the scheduler reserves, e.g. 256Mi. */
  readonly memoryRequest: string;
  /** Memory at which the container is OOM-killed, e.g. 512Mi. */
  readonly memoryLimit: string;
  /**
   * Extended resources such as `nvidia.com/gpu` or `amd.com/gpu`, set as both request and limit
   * (Kubernetes requires them to be equal).
   * @default - none
   */
  readonly extended?: Readonly<Record<string, number>>;
}

/** Requests and limits as the Kubernetes API takes them. */
export function resourceRequirements(resources: ComputeResources): ResourceRequirements {
  const extended = Object.fromEntries(Object.entries(resources.extended ?? {}).map(([name, count]) => [name, Quantity.fromNumber(count)]));
  return {
    requests: { cpu: Quantity.fromString(resources.cpuRequest), memory: Quantity.fromString(resources.memoryRequest), ...extended },
    limits: { cpu: Quantity.fromString(resources.cpuLimit), memory: Quantity.fromString(resources.memoryLimit), ...extended },
  };
}

/** What is wrong with the resources, naming the field and value. */
export function resourceProblems(container: string, resources: ComputeResources): string[] {
  const problems: string[] = [];
  const fields = ['cpuRequest', 'cpuLimit', 'memoryRequest', 'memoryLimit'] as const;
  for (const field of fields)
    if (!QUANTITY.test(resources[field]))
      problems.push(
        `container ${container}: resources.${field} is ${JSON.stringify(resources[field])}; expected a quantity such as 500m, 2 or 512Mi`,
      );
  if (problems.length > 0) return problems;
  for (const [request, limit] of [
    ['cpuRequest', 'cpuLimit'],
    ['memoryRequest', 'memoryLimit'],
  ] as const)
    if (quantityToNumber(resources[request]) > quantityToNumber(resources[limit]))
      problems.push(
        `container ${container}: resources.${request} (${resources[request]}) is above resources.${limit} (${resources[limit]})`,
      );
  for (const [name, count] of Object.entries(resources.extended ?? {}))
    if (!Number.isInteger(count) || count < 1)
      problems.push(`container ${container}: resources.extended["${name}"] is ${count}; expected a whole number of at least 1`);
  return problems;
}
