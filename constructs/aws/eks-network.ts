/**
 * The VPC an EKS cluster runs in: over 2 or 3 availability zones, a private subnet per zone for
 * nodes and pods, a public subnet per zone for internet-facing load balancers and NAT, NAT
 * gateways (one for the VPC, or one per zone), and the subnet tags the AWS Load Balancer
 * Controller uses to discover where to place load balancers. The VPC's default security group is
 * emptied so nothing can use it by accident (CKV2_AWS_12).
 */
import { DataAwsAvailabilityZones } from '@cdktf/provider-aws/lib/data-aws-availability-zones';
import { DefaultSecurityGroup } from '@cdktf/provider-aws/lib/default-security-group';
import { Eip } from '@cdktf/provider-aws/lib/eip';
import { InternetGateway } from '@cdktf/provider-aws/lib/internet-gateway';
import { NatGateway } from '@cdktf/provider-aws/lib/nat-gateway';
import { Route } from '@cdktf/provider-aws/lib/route';
import { RouteTable } from '@cdktf/provider-aws/lib/route-table';
import { RouteTableAssociation } from '@cdktf/provider-aws/lib/route-table-association';
import { Subnet } from '@cdktf/provider-aws/lib/subnet';
import { Vpc } from '@cdktf/provider-aws/lib/vpc';
import { Construct } from 'constructs';
import { Fn } from '../cdktf';
import { subnetCidrs } from './subnet-cidrs';

export type NatGatewayMode = 'single' | 'per-zone';

export interface EksNetworkProps {
  /** The EKS cluster that will use the subnets: names resources and tags the subnets for it. */
  readonly clusterName: string;
  /** The VPC's IPv4 range, /16 to /20. */
  readonly cidr: string;
  /** @default 3 */
  readonly zoneCount?: number;
  /**
   * `single`: one NAT gateway for every zone (cheaper; zones lose egress if its zone fails).
   * `per-zone`: one per zone (no cross-zone dependency or cross-zone data charges).
   * @default 'per-zone'
   */
  readonly natGateways?: NatGatewayMode;
}

/** Subnet tags the AWS Load Balancer Controller reads (kubernetes-sigs/aws-load-balancer-controller subnet discovery). */
export const PUBLIC_ELB_TAG = 'kubernetes.io/role/elb';
export const INTERNAL_ELB_TAG = 'kubernetes.io/role/internal-elb';

export class EksNetwork extends Construct {
  readonly vpc: Vpc;
  readonly privateSubnets: readonly Subnet[];
  readonly publicSubnets: readonly Subnet[];
  readonly natGateways: readonly NatGateway[];

  constructor(scope: Construct, id: string, props: EksNetworkProps) {
    super(scope, id);
    const zoneCount = props.zoneCount ?? 3;
    const ranges = subnetCidrs(props.cidr, zoneCount);
    const clusterTag = { [`kubernetes.io/cluster/${props.clusterName}`]: 'shared' };
    const name = (suffix: string) => ({ Name: `${props.clusterName}-${suffix}` });

    const zones = new DataAwsAvailabilityZones(this, 'Zones', {
      state: 'available',
      // Local Zones and Wavelength Zones are opt-in and lack EKS and most instance types.
      filter: [{ name: 'opt-in-status', values: ['opt-in-not-required'] }],
    });
    const zoneName = (i: number) => Fn.element(zones.names, i);

    this.vpc = new Vpc(this, 'Resource', { cidrBlock: props.cidr, enableDnsHostnames: true, enableDnsSupport: true, tags: name('vpc') });
    new DefaultSecurityGroup(this, 'DefaultSecurityGroup', { vpcId: this.vpc.id, tags: name('default-unused') });
    const internetGateway = new InternetGateway(this, 'InternetGateway', { vpcId: this.vpc.id, tags: name('igw') });

    const publicRoutes = new RouteTable(this, 'PublicRoutes', { vpcId: this.vpc.id, tags: name('public') });
    new Route(this, 'PublicDefaultRoute', {
      routeTableId: publicRoutes.id,
      destinationCidrBlock: '0.0.0.0/0',
      gatewayId: internetGateway.id,
    });

    this.publicSubnets = ranges.public.map((cidr, i) => {
      const subnet = new Subnet(this, `Public${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zoneName(i),
        // Load balancers and NAT gateways get their own addresses; nothing else here needs one.
        mapPublicIpOnLaunch: false,
        tags: { ...name(`public-${i}`), ...clusterTag, [PUBLIC_ELB_TAG]: '1' },
      });
      new RouteTableAssociation(this, `Public${i}Routes`, { subnetId: subnet.id, routeTableId: publicRoutes.id });
      return subnet;
    });

    const natCount = (props.natGateways ?? 'per-zone') === 'per-zone' ? zoneCount : 1;
    this.natGateways = Array.from({ length: natCount }, (_, i) => {
      const address = new Eip(this, `NatAddress${i}`, { domain: 'vpc', tags: name(`nat-${i}`) });
      return new NatGateway(this, `Nat${i}`, {
        allocationId: address.id,
        subnetId: this.publicSubnets[i].id,
        tags: name(`nat-${i}`),
        dependsOn: [internetGateway],
      });
    });

    this.privateSubnets = ranges.private.map((cidr, i) => {
      const subnet = new Subnet(this, `Private${i}`, {
        vpcId: this.vpc.id,
        cidrBlock: cidr,
        availabilityZone: zoneName(i),
        tags: { ...name(`private-${i}`), ...clusterTag, [INTERNAL_ELB_TAG]: '1' },
      });
      const routes = new RouteTable(this, `Private${i}Routes`, { vpcId: this.vpc.id, tags: name(`private-${i}`) });
      new Route(this, `Private${i}DefaultRoute`, {
        routeTableId: routes.id,
        destinationCidrBlock: '0.0.0.0/0',
        natGatewayId: this.natGateways[Math.min(i, natCount - 1)].id,
      });
      new RouteTableAssociation(this, `Private${i}RoutesAssociation`, { subnetId: subnet.id, routeTableId: routes.id });
      return subnet;
    });
  }

  get privateSubnetIds(): string[] {
    return this.privateSubnets.map((s) => s.id);
  }

  get publicSubnetIds(): string[] {
    return this.publicSubnets.map((s) => s.id);
  }
}
