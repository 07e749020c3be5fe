/**
 * prometheus-operator mode: the same scrape targets and rules as the platform's own Prometheus,
 * as ServiceMonitors (one per workload, in its namespace, selecting its Service by the pod labels
 * every SecureWorkload Service carries), a PodMonitor for the GPU exporter (a DaemonSet without a
 * Service), and one PrometheusRule. Each carries `selectorLabels`, the labels the operator's
 * Prometheus selects monitors and rules by. Each monitor's relabelling gives its targets exactly the
 * labels the raw config gives them (`POD_TARGET_LABELS`: the raw config's job name, the pod's
 * namespace, name and node), so rules, alerts and dashboards work unchanged in both modes.
 */
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { labelRenameRelabelings, podTargetRelabelings, type RelabelConfig } from '../../observability/prometheus-config';
import { oneOf } from '../../observability/promql-regex';
import type { RuleGroup } from '../../observability/rule-group';
import type { PodScrapeTarget } from '../../observability/scrape-targets';

export const MONITORING_API_VERSION = 'monitoring.coreos.com/v1';

type MonitorKind = 'ServiceMonitor' | 'PodMonitor';

/**
 * Target labels prometheus-operator sets by itself before a monitor's own relabelings run
 * (`generateServiceMonitorConfig` and `generatePodMonitorConfig` in its pkg/prometheus/promcfg.go),
 * besides `job`, which the monitors overwrite.
 */
export const OPERATOR_TARGET_LABELS: Readonly<Record<MonitorKind, readonly string[]>> = {
  ServiceMonitor: ['namespace', 'service', 'pod', 'container', 'node', 'endpoint'],
  PodMonitor: ['namespace', 'container', 'pod', 'endpoint'],
};

/** A relabel rule in the monitors' spelling (camelCase fields). */
export interface MonitorRelabeling {
  readonly sourceLabels?: readonly string[];
  readonly separator?: string;
  readonly regex?: string;
  readonly targetLabel?: string;
  readonly replacement?: string;
  readonly action?: string;
}

function monitorRelabeling(rule: RelabelConfig): MonitorRelabeling {
  return {
    sourceLabels: rule.source_labels,
    separator: rule.separator,
    regex: rule.regex,
    targetLabel: rule.target_label,
    replacement: rule.replacement,
    action: rule.action ?? 'replace',
  };
}

/**
 * The target relabelling of one monitor: the raw config's job name, the shared target labels
 * (`podTargetRelabelings`), then the labels the operator added that the raw config does not set
 * are dropped (`container`, `endpoint`, `service`; and for the GPU exporter, whose series name the
 * pod using the GPU, its own `namespace` and `pod`).
 */
export function monitorRelabelings(target: PodScrapeTarget, kind: MonitorKind): MonitorRelabeling[] {
  const shared = podTargetRelabelings(target);
  const kept = new Set(shared.flatMap((rule) => (rule.target_label ? [rule.target_label] : [])));
  const extra = OPERATOR_TARGET_LABELS[kind].filter((label) => !kept.has(label));
  return [
    { action: 'replace', targetLabel: 'job', replacement: target.job },
    ...shared.map(monitorRelabeling),
    ...(extra.length > 0 ? [{ action: 'labeldrop', regex: oneOf(extra) }] : []),
  ];
}

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
      const kind: MonitorKind = target.withoutService ? 'PodMonitor' : 'ServiceMonitor';
      const metricRelabelings = labelRenameRelabelings(target).map(monitorRelabeling);
      const endpoint = {
        path: target.path,
        interval,
        relabelings: monitorRelabelings(target, kind),
        metricRelabelings: metricRelabelings.length > 0 ? metricRelabelings : undefined,
        honorLabels: target.reportsOnOtherPods ? true : undefined,
        authorization: target.bearerSecret
          ? { type: 'Bearer', credentials: { name: target.bearerSecret.secretName, key: target.bearerSecret.key } }
          : undefined,
      };
      if (kind === 'PodMonitor')
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
