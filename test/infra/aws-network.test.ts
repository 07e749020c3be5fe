import { INTERNAL_ELB_TAG, PUBLIC_ELB_TAG } from '../../constructs/aws/eks-network';
import { cidrSubnet, subnetCidrs } from '../../constructs/aws/subnet-cidrs';
import { onlyResource, synthAwsStack } from './aws-stack-synth';

describe('subnet ranges (like Terraform cidrsubnet)', () => {
  it('cuts a /16 into /18 private and /21 public subnets per zone, without overlap', () => {
    expect(subnetCidrs('10.0.0.0/16', 3)).toEqual({
      private: ['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18'],
      public: ['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21'],
    });
  });

  it('cuts the smallest allowed VPC (/20) into /22 private and /25 public subnets', () => {
    expect(subnetCidrs('172.20.16.0/20', 2)).toEqual({
      private: ['172.20.16.0/22', '172.20.20.0/22'],
      public: ['172.20.28.0/25', '172.20.28.128/25'],
    });
  });

  it('matches cidrsubnet on a base address with host bits set, and refuses impossible subnets', () => {
    expect(cidrSubnet('10.1.2.3/16', 8, 255)).toBe('10.1.255.0/24');
    expect(() => cidrSubnet('10.0.0.0/16', 2, 4)).toThrow('no subnet 4 of 2 new bits in 10.0.0.0/16');
    expect(() => cidrSubnet('10.0.0.0/30', 4, 0)).toThrow('no subnet 0 of 4 new bits');
  });
});

describe('EksNetwork in the aws stack (examples/aws.yaml: 3 zones, NAT per zone)', () => {
  const { stack } = synthAwsStack();
  const subnets = stack.resourcesOfType('aws_subnet');
  const privateSubnets = subnets.filter((s) => (s.values.tags as Record<string, string>)[INTERNAL_ELB_TAG] === '1');
  const publicSubnets = subnets.filter((s) => (s.values.tags as Record<string, string>)[PUBLIC_ELB_TAG] === '1');

  it('creates the VPC with DNS hostnames (EKS nodes need them) from the configured range', () => {
    const vpc = onlyResource(stack, 'aws_vpc');
    expect(vpc.values).toMatchObject({ cidr_block: '10.0.0.0/16', enable_dns_hostnames: true, enable_dns_support: true });
  });

  it('has a private and a public subnet in each of 3 zones, tagged for the load balancer controller and the cluster', () => {
    expect(subnets).toHaveLength(6);
    expect(privateSubnets.map((s) => s.values.cidr_block)).toEqual(['10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18']);
    expect(publicSubnets.map((s) => s.values.cidr_block)).toEqual(['10.0.192.0/21', '10.0.200.0/21', '10.0.208.0/21']);
    for (const subnet of subnets) expect(subnet.values.tags).toMatchObject({ 'kubernetes.io/cluster/switchyard-prod': 'shared' });
    const zone = (i: number) =>
      expect.stringMatching(new RegExp(`^\\$\\{element\\(data\\.aws_availability_zones\\.\\w+\\.names, ${i}\\)\\}$`));
    expect(privateSubnets.map((s) => s.values.availability_zone)).toEqual([zone(0), zone(1), zone(2)]);
    expect(publicSubnets.map((s) => s.values.availability_zone)).toEqual([zone(0), zone(1), zone(2)]);
    for (const subnet of publicSubnets) expect(subnet.values.map_public_ip_on_launch).toBe(false);
  });

  it('routes each private subnet to the NAT gateway of its own zone', () => {
    const nats = stack.resourcesOfType('aws_nat_gateway');
    expect(nats).toHaveLength(3);
    expect(nats.map((n) => stack.referenced(n.values.subnet_id)?.values.cidr_block)).toEqual(publicSubnets.map((s) => s.values.cidr_block));
    const privateRoutes = stack.resourcesOfType('aws_route').filter((r) => r.values.nat_gateway_id);
    expect(privateRoutes.map((r) => [r.values.destination_cidr_block, stack.referenced(r.values.nat_gateway_id)?.address])).toEqual(
      nats.map((n) => ['0.0.0.0/0', n.address]),
    );
    const publicRoute = stack.resourcesOfType('aws_route').find((r) => r.values.gateway_id);
    expect(stack.referenced(publicRoute?.values.gateway_id)?.type).toBe('aws_internet_gateway');
  });

  it('empties the default security group (no rules at all)', () => {
    const group = onlyResource(stack, 'aws_default_security_group');
    expect(group.values.ingress).toBeUndefined();
    expect(group.values.egress).toBeUndefined();
  });

  it('uses one NAT gateway for every zone when natGateways is single', () => {
    const single = synthAwsStack((raw) => {
      raw.cluster.natGateways = 'single';
      raw.cluster.availabilityZones = 2;
    }).stack;
    const [nat] = single.resourcesOfType('aws_nat_gateway');
    expect(single.resourcesOfType('aws_nat_gateway')).toHaveLength(1);
    expect(single.resourcesOfType('aws_eip')).toHaveLength(1);
    const natRoutes = single.resourcesOfType('aws_route').filter((r) => r.values.nat_gateway_id);
    expect(natRoutes.map((r) => single.referenced(r.values.nat_gateway_id)?.address)).toEqual([nat.address, nat.address]);
  });
});
