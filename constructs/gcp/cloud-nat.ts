/**
 * Outbound internet for private nodes (image pulls, model downloads): a Cloud Router and a
 * Cloud NAT gateway with automatically allocated addresses, translating only the node subnet
 * (all its ranges, so pods get egress too). NAT errors are logged.
 */
import { ComputeRouter } from '@cdktf/provider-google/lib/compute-router';
import { ComputeRouterNat } from '@cdktf/provider-google/lib/compute-router-nat';
import { Construct } from 'constructs';
import type { GcpNetwork } from './gcp-network';

export interface CloudNatProps {
  readonly namePrefix: string;
  readonly region: string;
  readonly network: GcpNetwork;
}

export class CloudNat extends Construct {
  readonly router: ComputeRouter;
  readonly nat: ComputeRouterNat;

  constructor(scope: Construct, id: string, props: CloudNatProps) {
    super(scope, id);
    this.router = new ComputeRouter(this, 'Router', {
      name: `${props.namePrefix}-router`,
      network: props.network.network.id,
      region: props.region,
    });
    this.nat = new ComputeRouterNat(this, 'Resource', {
      name: `${props.namePrefix}-nat`,
      router: this.router.name,
      region: props.region,
      natIpAllocateOption: 'AUTO_ONLY',
      sourceSubnetworkIpRangesToNat: 'LIST_OF_SUBNETWORKS',
      subnetwork: [{ name: props.network.subnet.id, sourceIpRangesToNat: ['ALL_IP_RANGES'] }],
      logConfig: { enable: true, filter: 'ERRORS_ONLY' },
    });
  }
}
