/**
 * Prometheus rule groups as data: the same groups become a rule file for the platform's own
 * Prometheus and a PrometheusRule resource in prometheus-operator mode.
 */
import { stringify } from 'yaml';

/** How urgently an alert needs a person: critical pages, warning is for working hours, info is a hint. */
export type Severity = 'critical' | 'warning' | 'info';

export interface RecordingRule {
  readonly record: string;
  readonly expr: string;
}

export interface AlertingRule {
  readonly alert: string;
  readonly expr: string;
  /** How long the condition must hold before the alert fires, e.g. 10m. @default - at once */
  readonly for?: string;
  readonly labels: { readonly severity: Severity };
  readonly annotations: {
    /** One line: what is wrong, naming the labels that say where. */
    readonly summary: string;
    /** What it means for users. */
    readonly description: string;
    /** One line: what to do first. */
    readonly runbook: string;
  };
}

export type Rule = RecordingRule | AlertingRule;

export interface RuleGroup {
  readonly name: string;
  readonly rules: readonly Rule[];
}

export function isAlertingRule(rule: Rule): rule is AlertingRule {
  return 'alert' in rule;
}

/** A Prometheus rule file (`groups:`), as promtool and Prometheus read it. */
export function renderRuleFile(groups: readonly RuleGroup[]): string {
  return stringify({ groups }, { lineWidth: 0 });
}
