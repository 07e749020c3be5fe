/**
 * The rule files: promtool check rules accepts them, and promtool test rules runs a unit test per
 * alert that fires (with its exact labels and annotations) and one that stays quiet. Also: every
 * alert has a summary, a runbook line and a severity, and every alert has both kinds of test.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import type { PlatformConfig } from '../../config/platform-config';
import { platformRuleGroups } from '../../observability/platform-rules';
import { type AlertingRule, isAlertingRule, renderRuleFile } from '../../observability/rule-group';
import { tempDir } from '../support/paths';
import { type AlertCase, alertCases } from './alert-cases';
import { EXAMPLE_PLATFORMS } from './example-configs';
import { runTool, testWithBinary } from './system-binary';

const withPromtool = testWithBinary('promtool');

function alertsOf(config: PlatformConfig): AlertingRule[] {
  return platformRuleGroups(config).flatMap((g) => g.rules.filter(isAlertingRule));
}

/** Expands `{{ $labels.x }}` as Prometheus does for these label-only templates. */
function expand(template: string, labels: Readonly<Record<string, string>>): string {
  return template.replace(/\{\{ \$labels\.(\w+) \}\}/g, (_all, name: string) => labels[name] ?? '');
}

function promtoolTest(config: PlatformConfig, c: AlertCase) {
  const rule = alertsOf(config).find((r) => r.alert === c.alert);
  if (!rule) throw new Error(`no alert ${c.alert}`);
  return {
    name: `${c.alert} ${c.name}`,
    interval: '1m',
    input_series: c.input,
    alert_rule_test: [
      {
        eval_time: c.evalTime,
        alertname: c.alert,
        exp_alerts: c.fires.map((labels) => ({
          exp_labels: { ...labels, severity: rule.labels.severity },
          exp_annotations: Object.fromEntries(Object.entries(rule.annotations).map(([k, v]) => [k, expand(v, labels)])),
        })),
      },
    ],
  };
}

describe.each(EXAMPLE_PLATFORMS)('%s', (_name, config) => {
  const cases = alertCases(config);

  test('every alert has a summary, a runbook line, a description and a severity', () => {
    for (const rule of alertsOf(config)) {
      expect(rule.labels.severity).toMatch(/^(critical|warning|info)$/);
      for (const key of ['summary', 'description', 'runbook'] as const) expect(rule.annotations[key].length).toBeGreaterThan(10);
      expect(rule.annotations.runbook).not.toContain('\n');
    }
  });

  test('every alert has a unit test that fires it and one that does not', () => {
    const names = alertsOf(config)
      .map((r) => r.alert)
      .sort();
    expect([...new Set(cases.filter((c) => c.fires.length > 0).map((c) => c.alert))].sort()).toEqual(names);
    expect([...new Set(cases.filter((c) => c.fires.length === 0).map((c) => c.alert))].sort()).toEqual(names);
  });

  withPromtool('promtool check rules accepts the rule file', async () => {
    const dir = tempDir('switchyard-rules-');
    const groups = platformRuleGroups(config);
    writeFileSync(join(dir, 'rules.yaml'), renderRuleFile(groups));
    const result = await runTool('promtool', ['check', 'rules', join(dir, 'rules.yaml')]);
    expect(result.output).toContain(`SUCCESS: ${groups.reduce((n, g) => n + g.rules.length, 0)} rules found`);
    expect(result.code).toBe(0);
  });

  withPromtool('promtool test rules: each alert fires on its firing input and stays quiet on the other', async () => {
    const dir = tempDir('switchyard-rules-');
    writeFileSync(join(dir, 'rules.yaml'), renderRuleFile(platformRuleGroups(config)));
    const tests = { rule_files: ['rules.yaml'], evaluation_interval: '1m', tests: cases.map((c) => promtoolTest(config, c)) };
    writeFileSync(join(dir, 'tests.yaml'), stringify(tests, { lineWidth: 0 }));
    const result = await runTool('promtool', ['test', 'rules', 'tests.yaml'], dir);
    expect(result.output).toContain('SUCCESS');
    expect(result.code).toBe(0);
  });
});
