/** The gcp profile's config rules: each fails with the path, the value and what is allowed. */
import { fixedGpuCount } from '../../config/gcp-config-rules';
import { configProblems as problemsOf } from '../support/config-problems';

const system = { name: 'system', instanceType: 'e2-standard-4', minSize: 1, desiredSize: 2, maxSize: 4 };
const gpuPool = (over: Record<string, unknown>) => ({
  name: 'gpu',
  instanceType: 'g2-standard-8',
  minSize: 0,
  desiredSize: 1,
  maxSize: 2,
  gpu: { count: 1, type: 'nvidia-l4' },
  ...over,
});
const gcp = (cluster: Record<string, unknown>, top: Record<string, unknown> = {}) => ({
  profile: 'gcp',
  ...top,
  cluster: { project: 'switchyard-demo-123', ...cluster },
});

describe('gcp config rules', () => {
  it('accepts the defaults and the example pools', () => {
    expect(problemsOf(gcp({}))).toEqual([]);
    expect(problemsOf(gcp({ nodePools: [system, gpuPool({})] }))).toEqual([]);
  });

  it('accepts a Kubernetes minor version', () => {
    expect(problemsOf(gcp({ kubernetesVersion: '1.33' }))).toEqual([]);
  });

  it.each(['1.33.2', '1.33.2-gke.1000', 'latest', '2.1', '1.033', 'v1.33'])(
    'fails when kubernetesVersion is %j, not a minor version',
    (version) => {
      expect(problemsOf(gcp({ kubernetesVersion: version }))).toEqual([
        `cluster.kubernetesVersion: got ${JSON.stringify(version)}; expected a Kubernetes minor version such as "1.33" (GKE picks its newest patch in the release channel)`,
      ]);
    },
  );

  it('fails when kubernetesVersion is an unquoted YAML number (1.30 would read as 1.3)', () => {
    expect(problemsOf(gcp({ kubernetesVersion: 1.3 }))).toEqual(['cluster.kubernetesVersion: got 1.3; expected a value of type string']);
  });

  it('fails when a GPU pool minSize is above maxSize', () => {
    expect(problemsOf(gcp({ nodePools: [system, gpuPool({ minSize: 3, desiredSize: 3 })] }))).toEqual([
      'cluster.nodePools[1].minSize: got 3; expected at most maxSize (2)',
    ]);
  });

  it('fails when a GPU pool uses a machine family without GPUs', () => {
    expect(problemsOf(gcp({ nodePools: [system, gpuPool({ instanceType: 'e2-standard-8' })] }))).toEqual([
      'cluster.nodePools[1].instanceType: got "e2-standard-8"; expected a GPU instance family on gcp (g2, a2, a3, a4, n1)',
    ]);
  });

  it('fails when the accelerator type is unknown for the machine series', () => {
    expect(problemsOf(gcp({ nodePools: [system, gpuPool({ gpu: { count: 1, type: 'nvidia-l40s' } })] }))).toEqual([
      'cluster.nodePools[1].gpu.type: got "nvidia-l40s"; expected an accelerator g2-standard-8 carries (nvidia-l4)',
    ]);
  });

  it('fails when an N1 pool names an accelerator N1 cannot attach', () => {
    expect(
      problemsOf(gcp({ nodePools: [system, gpuPool({ instanceType: 'n1-standard-8', gpu: { count: 1, type: 'nvidia-l4' } })] })),
    ).toEqual([
      'cluster.nodePools[1].gpu.type: got "nvidia-l4"; expected an accelerator n1-standard-8 carries (nvidia-tesla-t4, nvidia-tesla-v100, nvidia-tesla-p100, nvidia-tesla-p4)',
    ]);
  });

  it('fails when the GPU count differs from what the machine type comes with', () => {
    expect(
      problemsOf(gcp({ nodePools: [system, gpuPool({ instanceType: 'g2-standard-24', gpu: { count: 1, type: 'nvidia-l4' } })] })),
    ).toEqual(['cluster.nodePools[1].gpu.count: got 1; expected 2 (the GPU count of g2-standard-24)']);
    expect(
      problemsOf(gcp({ nodePools: [system, gpuPool({ instanceType: 'a3-highgpu-8g', gpu: { count: 4, type: 'nvidia-h100-80gb' } })] })),
    ).toEqual(['cluster.nodePools[1].gpu.count: got 4; expected 8 (the GPU count of a3-highgpu-8g)']);
  });

  it('fails when a GPU pool names no accelerator type', () => {
    expect(problemsOf(gcp({ nodePools: [system, gpuPool({ gpu: { count: 1 } })] }))).toEqual([
      'cluster.nodePools[1].gpu.type: got missing; expected a GCP accelerator type such as nvidia-l4',
    ]);
  });

  it('fails when the control plane range is not a /28', () => {
    expect(problemsOf(gcp({ network: { masterCidr: '172.16.0.0/24' } }))).toEqual([
      'cluster.network.masterCidr: got "172.16.0.0/24"; expected a /28 block (GKE reserves exactly 16 addresses for the control plane)',
    ]);
  });

  it('fails when a CIDR does not parse', () => {
    expect(problemsOf(gcp({ network: { podsCidr: '10.20.0.0/33' } }))).toEqual([
      'cluster.network.podsCidr: got "10.20.0.0/33"; expected an IPv4 CIDR block such as 10.0.0.0/16',
    ]);
  });

  it('fails when the whole internet is an authorized network', () => {
    expect(problemsOf(gcp({ authorizedNetworks: [{ name: 'anywhere', cidr: '0.0.0.0/0' }] }))).toEqual([
      'cluster.authorizedNetworks[0].cidr: got "0.0.0.0/0"; expected a CIDR narrower than /0 (or no authorized networks, for a private-only endpoint)',
    ]);
  });

  it('fails when the name starts with a digit on gcp', () => {
    expect(problemsOf(gcp({}, { name: '1platform' }))).toEqual([
      'name: got "1platform"; expected a name starting with a letter on the gcp profile (it prefixes GCP service account IDs)',
    ]);
  });
});

describe('fixedGpuCount', () => {
  it.each([
    ['g2-standard-8', 1],
    ['g2-standard-48', 4],
    ['a2-megagpu-16g', 16],
    ['a4-highgpu-8g', 8],
    ['n1-standard-8', undefined],
    ['g2-standard-7', undefined],
  ])('%s carries %s', (machine, count) => {
    expect(fixedGpuCount(machine)).toBe(count);
  });
});
