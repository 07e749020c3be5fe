import { ConfigError } from '../../config/config-error';
import { parsePlatformConfig } from '../../config/load-config';

function problemsOf(raw: unknown): string[] {
  try {
    parsePlatformConfig(raw);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: got ${p.got}; expected ${p.expected}`);
    throw error;
  }
  return [];
}

const awsPool = (over: Record<string, unknown>) => ({
  name: 'gpu',
  instanceType: 'g6.xlarge',
  minSize: 0,
  desiredSize: 1,
  maxSize: 2,
  gpu: { count: 1 },
  ...over,
});

describe('cross-field config rules', () => {
  it('fails when a GPU pool minSize is above maxSize', () => {
    expect(problemsOf({ profile: 'aws', cluster: { nodePools: [awsPool({ minSize: 3, desiredSize: 3, maxSize: 2 })] } })).toEqual([
      'cluster.nodePools[0].minSize: got 3; expected at most maxSize (2)',
    ]);
  });

  it('fails when desiredSize is outside min..max', () => {
    expect(problemsOf({ profile: 'aws', cluster: { nodePools: [awsPool({ desiredSize: 5 })] } })).toEqual([
      'cluster.nodePools[0].desiredSize: got 5; expected between minSize (0) and maxSize (2)',
    ]);
  });

  it('fails when two node pools share a name', () => {
    expect(problemsOf({ profile: 'aws', cluster: { nodePools: [awsPool({}), awsPool({})] } })).toEqual([
      'cluster.nodePools[1].name: got "gpu"; expected a name no other node pool uses',
    ]);
  });

  it('fails when a GPU pool uses an instance family without GPUs', () => {
    expect(problemsOf({ profile: 'aws', cluster: { nodePools: [awsPool({ instanceType: 'm6i.large' })] } })).toEqual([
      'cluster.nodePools[0].instanceType: got "m6i.large"; expected a GPU instance family on aws (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p4de, p5, p5e, p5en)',
    ]);
  });

  it('fails when a GCP GPU pool has no accelerator type', () => {
    const pool = { name: 'gpu', instanceType: 'g2-standard-8', minSize: 0, desiredSize: 0, maxSize: 1, gpu: { count: 1 } };
    expect(problemsOf({ profile: 'gcp', cluster: { project: 'demo-project-1', nodePools: [pool] } })).toEqual([
      'cluster.nodePools[0].gpu.type: got missing; expected a GCP accelerator type such as nvidia-l4',
    ]);
  });

  it('fails when the EKS public endpoint is on without CIDRs, or open to 0.0.0.0/0', () => {
    expect(problemsOf({ profile: 'aws', cluster: { endpoint: { publicAccess: true, publicAccessCidrs: [] } } })).toEqual([
      'cluster.endpoint.publicAccessCidrs: got []; expected at least one CIDR when publicAccess is true',
    ]);
    expect(problemsOf({ profile: 'aws', cluster: { endpoint: { publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] } } })).toEqual([
      'cluster.endpoint.publicAccessCidrs[0]: got "0.0.0.0/0"; expected a CIDR narrower than /0',
    ]);
  });

  it('fails when GKE ranges overlap', () => {
    expect(problemsOf({ profile: 'gcp', cluster: { project: 'demo-project-1', network: { podsCidr: '10.10.0.0/16' } } })).toEqual([
      'cluster.network.podsCidr: got "10.10.0.0/16"; expected a range that does not overlap subnetCidr (10.10.0.0/20)',
    ]);
  });

  it('fails when MetalLB is configured on a cloud profile', () => {
    expect(
      problemsOf({ profile: 'aws', exposure: { metallb: { addressPools: [{ name: 'lan', addresses: ['10.0.0.1-10.0.0.2'] }] } } }),
    ).toEqual([
      'exposure.metallb: got {"addressPools":[{"name":"lan","addresses":["10.0.0.1-10.0.0.2"]}]}; expected nothing on the aws profile (homelab only)',
    ]);
  });

  it('fails when a memory profile (the default standard one too) gets a memory limit below its floor, naming the field', () => {
    expect(
      problemsOf({
        profile: 'homelab',
        gateway: { resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '320Mi' } },
      }),
    ).toEqual([
      'gateway.resources.memoryLimit: got "320Mi"; expected at least 384Mi with gateway.memoryProfile "standard" (its 256 MiB heap limit plus room for code pages and native memory)',
    ]);
    expect(
      problemsOf({
        profile: 'homelab',
        gateway: { memoryProfile: 'lean', resources: { cpuRequest: '250m', cpuLimit: '1', memoryRequest: '128Mi', memoryLimit: '256Mi' } },
      }),
    ).toEqual([
      'gateway.resources.memoryLimit: got "256Mi"; expected at least 384Mi with gateway.memoryProfile "lean" (its 256 MiB heap limit plus room for code pages and native memory)',
    ]);
    expect(problemsOf({ profile: 'homelab', gateway: { memoryProfile: 'lean' } })).toEqual([]);
    expect(problemsOf({ profile: 'homelab', gateway: { memoryProfile: 'small' } })).toEqual([
      'gateway.memoryProfile: got "small"; expected one of "standard", "lean"',
    ]);
  });

  it('fails when gateway replicas min is above max', () => {
    expect(problemsOf({ profile: 'homelab', gateway: { replicas: { min: 4, max: 2 } } })).toEqual([
      'gateway.replicas.min: got 4; expected at most gateway.replicas.max (2)',
    ]);
  });
});
