/**
 * Cross-field rules of the gcp profile, as a table (joined into CONFIG_RULES): what GKE and
 * Compute Engine would otherwise reject at apply time, minutes into a deploy, or what would
 * weaken the cluster. Each rule has a "fails when ..." test in test/config/gcp-rules.test.ts.
 */
import type { ConfigProblem } from './config-error';
import { formatValue } from './config-error';
import type { GcpPlatformConfig, PlatformConfig } from './platform-config';
import type { ConfigRule } from './validate-platform-config';
import { parseIpv4Cidr } from './primitives';

/**
 * The accelerators each GPU machine series carries (Compute Engine GPU machine types). A2, A3,
 * A4 and G2 machines come with a fixed GPU model; N1 takes one attached from the list.
 */
export const GCP_ACCELERATORS_BY_SERIES: Readonly<Record<string, readonly string[]>> = {
  'g2-standard': ['nvidia-l4'],
  'a2-highgpu': ['nvidia-tesla-a100'],
  'a2-megagpu': ['nvidia-tesla-a100'],
  'a2-ultragpu': ['nvidia-a100-80gb'],
  'a3-highgpu': ['nvidia-h100-80gb'],
  'a3-edgegpu': ['nvidia-h100-80gb'],
  'a3-megagpu': ['nvidia-h100-mega-80gb'],
  'a3-ultragpu': ['nvidia-h200-141gb'],
  'a4-highgpu': ['nvidia-b200'],
  n1: ['nvidia-tesla-t4', 'nvidia-tesla-v100', 'nvidia-tesla-p100', 'nvidia-tesla-p4'],
};

/** GPUs per G2 machine type, by vCPU count (g2-standard-<vcpus>). */
const G2_GPUS_BY_VCPUS: Readonly<Record<string, number>> = { '4': 1, '8': 1, '12': 1, '16': 1, '32': 1, '24': 2, '48': 4, '96': 8 };

/** `g2-standard-8` -> `g2-standard`; `n1-standard-4` -> `n1` (N1 attaches any of its GPUs). */
function machineSeries(machineType: string): string {
  const family = machineType.split('-')[0];
  return family === 'n1' ? 'n1' : machineType.split('-').slice(0, 2).join('-');
}

/** The GPU count a machine type carries, or undefined when it is not fixed (N1) or unknown. */
export function fixedGpuCount(machineType: string): number | undefined {
  if (machineType.startsWith('g2-standard-')) return G2_GPUS_BY_VCPUS[machineType.slice('g2-standard-'.length)];
  const match = /^a[234]-[a-z]+gpu-(\d+)g$/.exec(machineType);
  return match ? Number(match[1]) : undefined;
}

function gcp(config: PlatformConfig): GcpPlatformConfig | undefined {
  return config.profile === 'gcp' ? config : undefined;
}

export const GCP_CONFIG_RULES: readonly ConfigRule[] = [
  {
    description: 'on gcp the name starts with a letter: it prefixes service account IDs and the cluster name, which must',
    check: (config) =>
      gcp(config) && !/^[a-z]/.test(config.name)
        ? [
            {
              path: 'name',
              got: formatValue(config.name),
              expected: 'a name starting with a letter on the gcp profile (it prefixes GCP service account IDs)',
            },
          ]
        : [],
  },
  {
    description: 'the GKE control plane range is a /28',
    check: (config) => {
      const masterCidr = gcp(config)?.cluster.network.masterCidr;
      const prefix = masterCidr === undefined ? undefined : parseIpv4Cidr(masterCidr)?.prefix;
      return prefix === undefined || prefix === 28
        ? []
        : [
            {
              path: 'cluster.network.masterCidr',
              got: formatValue(masterCidr),
              expected: 'a /28 block (GKE reserves exactly 16 addresses for the control plane)',
            },
          ];
    },
  },
  {
    description: 'networks authorized to reach the GKE control plane are never the whole internet',
    check: (config) =>
      (gcp(config)?.cluster.authorizedNetworks ?? []).flatMap((network, i) =>
        parseIpv4Cidr(network.cidr)?.prefix === 0
          ? [
              {
                path: `cluster.authorizedNetworks[${i}].cidr`,
                got: formatValue(network.cidr),
                expected: 'a CIDR narrower than /0 (or no authorized networks, for a private-only endpoint)',
              },
            ]
          : [],
      ),
  },
  {
    description: 'a GCP GPU pool names an accelerator its machine series carries',
    check: (config) =>
      (gcp(config)?.cluster.nodePools ?? []).flatMap((pool, i): ConfigProblem[] => {
        const type = pool.gpu?.type;
        const allowed = GCP_ACCELERATORS_BY_SERIES[machineSeries(pool.instanceType)];
        if (type === undefined || allowed === undefined || allowed.includes(type)) return [];
        return [
          {
            path: `cluster.nodePools[${i}].gpu.type`,
            got: formatValue(type),
            expected: `an accelerator ${pool.instanceType} carries (${allowed.join(', ')})`,
          },
        ];
      }),
  },
  {
    description: 'a GCP GPU pool asks for the GPU count its machine type comes with',
    check: (config) =>
      (gcp(config)?.cluster.nodePools ?? []).flatMap((pool, i): ConfigProblem[] => {
        const fixed = fixedGpuCount(pool.instanceType);
        if (!pool.gpu || fixed === undefined || fixed === pool.gpu.count) return [];
        return [
          {
            path: `cluster.nodePools[${i}].gpu.count`,
            got: formatValue(pool.gpu.count),
            expected: `${fixed} (the GPU count of ${pool.instanceType})`,
          },
        ];
      }),
  },
];
