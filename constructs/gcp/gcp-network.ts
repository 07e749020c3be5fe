/**
 * The cluster's VPC: a custom-mode network (no auto subnets in every region) and one regional
 * subnet for the nodes, with secondary ranges GKE uses for pod and Service addresses (VPC-native
 * cluster). Nodes reach Google APIs privately; VPC flow logs are on, sampled at half.
 */
import { ComputeNetwork } from '@cdktf/provider-google/lib/compute-network';
import { ComputeSubnetwork } from '@cdktf/provider-google/lib/compute-subnetwork';
import { Construct } from 'constructs';

export interface GcpNetworkProps {
  /** Prefix of the network and subnet names. */
  readonly namePrefix: string;
  readonly region: string;
  /** The nodes' primary range. */
  readonly subnetCidr: string;
  /** Secondary range for pod IPs. */
  readonly podsCidr: string;
  /** Secondary range for Service cluster IPs. */
  readonly servicesCidr: string;
}

/** Names of the subnet's secondary ranges, as the GKE cluster's IP allocation policy refers to them. */
export const POD_RANGE_NAME = 'pods';
export const SERVICE_RANGE_NAME = 'services';

export class GcpNetwork extends Construct {
  readonly network: ComputeNetwork;
  readonly subnet: ComputeSubnetwork;

  constructor(scope: Construct, id: string, props: GcpNetworkProps) {
    super(scope, id);
    this.network = new ComputeNetwork(this, 'Resource', {
      name: `${props.namePrefix}-vpc`,
      autoCreateSubnetworks: false,
      routingMode: 'REGIONAL',
    });
    this.subnet = new ComputeSubnetwork(this, 'Subnet', {
      name: `${props.namePrefix}-nodes`,
      network: this.network.id,
      region: props.region,
      ipCidrRange: props.subnetCidr,
      privateIpGoogleAccess: true,
      secondaryIpRange: [
        { rangeName: POD_RANGE_NAME, ipCidrRange: props.podsCidr },
        { rangeName: SERVICE_RANGE_NAME, ipCidrRange: props.servicesCidr },
      ],
      logConfig: { aggregationInterval: 'INTERVAL_5_SEC', flowSampling: 0.5, metadata: 'INCLUDE_ALL_METADATA' },
    });
  }
}
