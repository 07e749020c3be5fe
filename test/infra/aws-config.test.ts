import { ConfigError } from '../../config/config-error';
import { type RawConfig, awsConfig } from './aws-stack-synth';

/** The problems parsing examples/aws.yaml with one change reports, as `path: got X; expected Y`. */
function problemsOf(change: (raw: RawConfig) => void): string[] {
  try {
    awsConfig(change);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: got ${p.got}; expected ${p.expected}`);
    throw error;
  }
  return [];
}

describe('aws config values that fail at synth with their path and value', () => {
  it('accepts examples/aws.yaml as it is', () => {
    expect(problemsOf(() => {})).toEqual([]);
  });

  it('fails when a GPU pool minSize is above its maxSize', () => {
    expect(problemsOf((raw) => Object.assign(raw.cluster.nodePools[1], { minSize: 4, desiredSize: 4, maxSize: 3 }))).toEqual([
      'cluster.nodePools[1].minSize: got 4; expected at most maxSize (3)',
    ]);
  });

  it('fails when a GPU pool uses an instance family without GPUs', () => {
    expect(problemsOf((raw) => (raw.cluster.nodePools[1].instanceType = 'c7i.4xlarge'))).toEqual([
      'cluster.nodePools[1].instanceType: got "c7i.4xlarge"; expected a GPU instance family on aws (g4dn, g5, g5g, g6, g6e, gr6, p3, p4d, p4de, p5, p5e, p5en)',
    ]);
  });

  it('fails when a CIDR does not parse: the VPC range or a public endpoint range', () => {
    expect(problemsOf((raw) => (raw.cluster.vpcCidr = '10.0.0.0/33'))).toEqual([
      'cluster.vpcCidr: got "10.0.0.0/33"; expected an IPv4 CIDR block such as 10.0.0.0/16',
    ]);
    expect(problemsOf((raw) => (raw.cluster.endpoint = { publicAccess: true, publicAccessCidrs: ['203.0.113.300/24'] }))).toEqual([
      'cluster.endpoint.publicAccessCidrs[0]: got "203.0.113.300/24"; expected an IPv4 CIDR block such as 10.0.0.0/16',
    ]);
  });

  it('fails when the VPC range is too large or too small for EKS subnets', () => {
    const expected = 'a VPC range from /16 to /20 (EKS nodes and pods take their IPs from it)';
    expect(problemsOf((raw) => (raw.cluster.vpcCidr = '10.0.0.0/8'))).toEqual([`cluster.vpcCidr: got "10.0.0.0/8"; expected ${expected}`]);
    expect(problemsOf((raw) => (raw.cluster.vpcCidr = '10.0.0.0/24'))).toEqual([
      `cluster.vpcCidr: got "10.0.0.0/24"; expected ${expected}`,
    ]);
  });

  it('fails when the public endpoint is on without CIDRs or open to the internet', () => {
    expect(problemsOf((raw) => (raw.cluster.endpoint = { publicAccess: true, publicAccessCidrs: ['0.0.0.0/0'] }))).toEqual([
      'cluster.endpoint.publicAccessCidrs[0]: got "0.0.0.0/0"; expected a CIDR narrower than /0',
    ]);
  });

  it('fails when the log retention is not a period CloudWatch accepts', () => {
    expect(problemsOf((raw) => (raw.cluster.controlPlaneLogRetentionDays = 45))).toEqual([
      'cluster.controlPlaneLogRetentionDays: got 45; expected one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (days CloudWatch accepts)',
    ]);
  });

  it('fails when a catch-all model routes to Bedrock without a model id (the role could not be scoped)', () => {
    let index = -1;
    const problems = problemsOf((raw) => (index = raw.gateway.runtime.models.push({ name: '*', targets: [{ provider: 'bedrock' }] }) - 1));
    expect(index).toBeGreaterThan(0);
    expect(problems).toEqual([
      `gateway.runtime.models[${index}].targets[0].model: got missing; expected a Bedrock model id (the gateway role may invoke only the models named)`,
    ]);
  });
});
