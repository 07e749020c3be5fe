/**
 * Argo CD, installed when `gitops.enabled`: the controller that syncs the synthesized manifests
 * (dist/<profile>/) from the configured repository. Dex (SSO) is off: nothing configures it, and
 * an idle identity provider is attack surface. The Application pointing at the repo is part of
 * the platform manifests, not of this release.
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { ARGO_CD_CHART } from './addon-charts';
import { addonRelease } from './addon-release';

export interface ArgoCdProps {
  /** @default 'argocd' (the namespace Argo CD's docs and CLI assume) */
  readonly namespace?: string;
}

export interface ArgoCdValues {
  readonly dex: { readonly enabled: false };
}

export class ArgoCd extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: ArgoCdProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'argocd';
    const values: ArgoCdValues = { dex: { enabled: false } };
    this.release = addonRelease(this, { chart: ARGO_CD_CHART, releaseName: 'argocd', namespace: this.namespace, values });
  }
}
