/**
 * MetalLB: gives LoadBalancer Services an address on a bare-metal network. The chart installs
 * the controller, the speaker DaemonSet and MetalLB's CRDs; the address pools themselves
 * (IPAddressPool, L2Advertisement) are cluster objects synthesized with the platform manifests
 * from `exposure.metallb`, applied once the CRDs exist.
 *
 * The speaker needs host networking and NET_RAW: under Pod Security Admission its namespace must
 * be labelled `pod-security.kubernetes.io/enforce=privileged` (see docs/infrastructure.md).
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { METALLB_CHART } from './addon-charts';
import { addonRelease } from './addon-release';

export interface MetalLbProps {
  /** @default 'metallb-system' (the namespace MetalLB's docs and manifests use) */
  readonly namespace?: string;
}

export interface MetalLbValues {
  readonly crds: { readonly enabled: true };
}

export class MetalLb extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: MetalLbProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'metallb-system';
    const values: MetalLbValues = { crds: { enabled: true } };
    this.release = addonRelease(this, { chart: METALLB_CHART, releaseName: 'metallb', namespace: this.namespace, values });
  }
}
