/**
 * Lets a private cluster's control plane call admission webhooks served on the nodes. GKE's own
 * firewall rules open only 443 and 10250 from the control plane range; Envoy Gateway's topology
 * injector webhook listens on 9443. Ingress from the control plane's /28 to the cluster's nodes
 * on exactly those ports, nothing else.
 */
import { ComputeFirewall } from '@cdktf/provider-google/lib/compute-firewall';
import { Construct } from 'constructs';
import type { GcpNetwork } from './gcp-network';

export interface ControlPlaneWebhookFirewallProps {
  readonly namePrefix: string;
  readonly network: GcpNetwork;
  readonly masterCidr: string;
  /** Email of the node service account: the rule targets the cluster's nodes only. */
  readonly nodeServiceAccountEmail: string;
  /** @default [9443] (Envoy Gateway) */
  readonly ports?: readonly number[];
}

export class ControlPlaneWebhookFirewall extends Construct {
  readonly firewall: ComputeFirewall;

  constructor(scope: Construct, id: string, props: ControlPlaneWebhookFirewallProps) {
    super(scope, id);
    this.firewall = new ComputeFirewall(this, 'Resource', {
      name: `${props.namePrefix}-control-plane-webhooks`,
      network: props.network.network.id,
      direction: 'INGRESS',
      sourceRanges: [props.masterCidr],
      targetServiceAccounts: [props.nodeServiceAccountEmail],
      allow: [{ protocol: 'tcp', ports: (props.ports ?? [9443]).map(String) }],
      description: 'GKE control plane to admission webhooks on the nodes',
    });
  }
}
