/** The tier namespaces, each with Pod Security Admission labels and a default-deny NetworkPolicy. */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { TIERS } from '../config/namespaces';
import { TierNamespace } from '../constructs/kube/tier-namespace';

export interface NamespacesChartProps {
  readonly config: PlatformConfig;
}

export class NamespacesChart extends Chart {
  /** The tier namespaces by tier. */
  readonly namespaces: Readonly<Record<(typeof TIERS)[number], TierNamespace>>;

  constructor(scope: Construct, id: string, props: NamespacesChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const entries = TIERS.map((tier) => [tier, new TierNamespace(this, tier, { name: props.config.namespaces[tier], tier })] as const);
    this.namespaces = Object.fromEntries(entries) as Record<(typeof TIERS)[number], TierNamespace>;
  }
}
