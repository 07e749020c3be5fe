/**
 * The one Helm release an add-on construct wraps (construct id `Resource`): the pinned chart,
 * its own namespace created by the release, and install settings that leave no half-installed
 * release behind (atomic, cleanup on fail, wait for readiness).
 */
import { Release } from '@cdktf/provider-helm/lib/release';
import type { Construct } from 'constructs';
import type { AddonChart } from './addon-charts';
import { renderHelmValues } from './helm-values';

export interface AddonReleaseProps {
  readonly chart: AddonChart;
  /** Helm release name. */
  readonly releaseName: string;
  /** Namespace the release installs into; the release creates it when missing. */
  readonly namespace: string;
  /** Chart values, rendered to YAML. */
  readonly values: object;
  /** How long Helm waits for the release's resources to become ready. @default 600 */
  readonly timeoutSeconds?: number;
}

export function addonRelease(scope: Construct, props: AddonReleaseProps): Release {
  return new Release(scope, 'Resource', {
    name: props.releaseName,
    repository: props.chart.repository,
    chart: props.chart.chart,
    version: props.chart.version,
    namespace: props.namespace,
    createNamespace: true,
    values: [renderHelmValues(props.values)],
    atomic: true,
    cleanupOnFail: true,
    wait: true,
    timeout: props.timeoutSeconds ?? 600,
    maxHistory: 10,
  });
}
