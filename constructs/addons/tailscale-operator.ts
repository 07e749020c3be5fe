/**
 * Tailscale Kubernetes operator: puts the edge on the tailnet for remote access. Its OAuth client
 * is read from an existing Secret by reference, never from Terraform: the chart's
 * `oauthSecretVolume` mounts that Secret (keys `client_id` and `client_secret`) into the operator,
 * and `oauth` stays empty so the chart renders no Secret of its own. The Secret must exist in the
 * operator's namespace before install (`kubectl create secret generic ... -n tailscale`).
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { TAILSCALE_OPERATOR_CHART } from './addon-charts';
import { addonRelease } from './addon-release';

export interface TailscaleOperatorProps {
  /** Name of the Secret (in `namespace`) holding the OAuth client's `client_id` and `client_secret`. */
  readonly oauthSecretName: string;
  /** @default 'tailscale' (the namespace Tailscale's docs use) */
  readonly namespace?: string;
  /** The operator's own machine name on the tailnet. @default 'tailscale-operator' */
  readonly operatorHostname?: string;
}

export interface TailscaleOperatorValues {
  /** Always empty: credentials never pass through Helm values or Terraform state. */
  readonly oauth: Record<string, never>;
  readonly oauthSecretVolume: { readonly secret: { readonly secretName: string } };
  readonly operatorConfig: { readonly hostname: string };
  /** The API server proxy stays off: kubectl over the tailnet is a separate decision. */
  readonly apiServerProxyConfig: { readonly mode: 'false' };
}

export class TailscaleOperator extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: TailscaleOperatorProps) {
    super(scope, id);
    this.namespace = props.namespace ?? 'tailscale';
    const values: TailscaleOperatorValues = {
      oauth: {},
      oauthSecretVolume: { secret: { secretName: props.oauthSecretName } },
      operatorConfig: { hostname: props.operatorHostname ?? 'tailscale-operator' },
      apiServerProxyConfig: { mode: 'false' },
    };
    this.release = addonRelease(this, {
      chart: TAILSCALE_OPERATOR_CHART,
      releaseName: 'tailscale-operator',
      namespace: this.namespace,
      values,
    });
  }
}
