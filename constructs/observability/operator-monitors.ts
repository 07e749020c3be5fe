/**
 * prometheus-operator mode: the same scrape targets and rules as the platform's own Prometheus,
 * as ServiceMonitors (one per workload, in its namespace, selecting its Service by the pod labels
 * every SecureWorkload Service carries), a PodMonitor for the GPU exporter (a DaemonSet without a
 * Service), and one PrometheusRule. Each carries `selectorLabels`, the labels the operator's
 * Prometheus selects monitors and rules by. The job label is set to the raw config's job name, so
 * rules and dashboards work unchanged in both modes.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import type { RuleGroup } from '../../observability/rule-group';
import type { PodScrapeTarget } from '../../observability/scrape-targets';

export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

export interface OperatorMonitorsProps {
  readonly targets: readonly PodScrapeTarget[];
  readonly ruleGroups: readonly RuleGroup[];
  /** Where the PrometheusRule goes. */
  readonly rulesNamespace: string;
  readonly selectorLabels: Readonly<Record<string, string>>;
  readonly labels: Readonly<Record<string, string>>;
  readonly scrapeIntervalSeconds: number;
}

export class OperatorMonitors extends Construct {
  constructor(scope: Construct, id: string, props: OperatorMonitorsProps) {
    super(scope, id);
    const labels = { ...props.labels, ...props.selectorLabels };
    const interval = `${props.scrapeIntervalSeconds}s`;
    for (const target of props.targets) {
      const metadata = { name: target.job, namespace: target.group.namespace, labels };
      const selector = { matchLabels: { ...target.group.podLabels } };
      const relabelings = [{ action: 'replace', targetLabel: 'job', replacement: target.job }];
      const metricRelabelings = Object.entries(target.renameLabels ?? {}).flatMap(([from, to]) => [
        { action: 'replace', sourceLabels: [from], targetLabel: to },
        { action: 'labeldrop', regex: from },
      ]);
      const endpoint = {
        path: target.path,
        interval,
        relabelings,
        metricRelabelings: metricRelabelings.length > 0 ? metricRelabelings : undefined,
        honorLabels: target.reportsOnOtherPods ? true : undefined,
        authorization: target.bearerSecret ? { type: 'Bearer', credentials: { name: target.bearerSecret.secretName, key: target.bearerSecret.key } } : undefined,
      };
      if (target.reportsOnOtherPods)
        new ApiObject(this, `PodMonitor-${target.job}`, {
          apiVersion: MONITORING_API_VERSION,
          kind: 'PodMonitor',
          metadata,
          spec: { selector, podMetricsEndpoints: [{ ...endpoint, portNumber: target.port }] },
        });
      else
        new ApiObject(this, `ServiceMonitor-${target.job}`, {
          apiVersion: MONITORING_API_VERSION,
          kind: 'ServiceMonitor',
          metadata,
          spec: { selector, endpoints: [{ ...endpoint, targetPort: target.port }] },
        });
    }
    new ApiObject(this, 'Rules', {
      apiVersion: MONITORING_API_VERSION,
      kind: 'PrometheusRule',
      metadata: { name: 'switchyard', namespace: props.rulesNamespace, labels },
      spec: { groups: props.ruleGroups.map((g) => ({ name: g.name, rules: g.rules.map((r) => ({ ...r })) })) },
    });
  }
}
