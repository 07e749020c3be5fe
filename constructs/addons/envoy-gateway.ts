/**
 * Envoy Gateway: the Gateway API controller behind the platform's edge. The chart installs the
 * Gateway API and Envoy Gateway CRDs from its `crds/` directory on first install; Helm never
 * upgrades CRDs, so a chart bump that changes them needs the manual step in
 * docs/infrastructure.md ("Upgrading Envoy Gateway").
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { ENVOY_GATEWAY_CHART } from './addon-charts';
import { addonRelease } from './addon-release';

export interface EnvoyGatewayProps {
  /** @default 'envoy-gateway-system' (the namespace Envoy Gateway's docs use) */
  readonly namespace?: string;
  /** Controller replicas (leader election picks one active). @default 1 */
  readonly replicas?: number;
}

/** The values Switchyard sets on the gateway-helm chart. */
export interface EnvoyGatewayValues {
  readonly deployment: { readonly replicas: number };
}

export class EnvoyGateway extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: EnvoyGatewayProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'envoy-gateway-system';
    const values: EnvoyGatewayValues = { deployment: { replicas: props.replicas ?? 1 } };
    this.release = addonRelease(this, { chart: ENVOY_GATEWAY_CHART, releaseName: 'envoy-gateway', namespace: this.namespace, values });
  }
}
