/**
 * metrics-server: serves the resource metrics API (`metrics.k8s.io`) that HorizontalPodAutoscalers
 * and `kubectl top` read. Not on GKE, which runs its own.
 */
import type { Release } from '@cdktf/provider-helm/lib/release';
import { Construct } from 'constructs';
import { METRICS_SERVER_CHART } from './addon-charts';
import { addonRelease } from './addon-release';

export interface MetricsServerProps {
  /** @default 'kube-system' (where the metrics API's APIService conventionally points) */
  readonly namespace?: string;
  /** Replicas; above 1 a PodDisruptionBudget keeps one available during node drains. @default 2 */
  readonly replicas?: number;
}

export interface MetricsServerValues {
  readonly replicas: number;
  readonly podDisruptionBudget: { readonly enabled: boolean; readonly minAvailable?: number };
}

export class MetricsServer extends Construct {
  readonly release: Release;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: MetricsServerProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? 'kube-system';
    const replicas = props.replicas ?? 2;
    const values: MetricsServerValues = {
      replicas,
      podDisruptionBudget: replicas > 1 ? { enabled: true, minAvailable: 1 } : { enabled: false },
    };
    this.release = addonRelease(this, { chart: METRICS_SERVER_CHART, releaseName: 'metrics-server', namespace: this.namespace, values });
  }
}
