/**
 * The Kubernetes policy table: every rule the synthesized objects of all charts must pass, with
 * the Checkov and kube-linter checks each mirrors. `runKubernetesPolicy(objects)` returns the
 * findings; an empty list means the output passes. Exemptions are explicit and per object: the
 * annotation `exempt.policy.switchyard.dev/<rule>: <reason>` (SecureWorkload's `exceptions` write
 * it), and an exemption that names no rule or gives no reason is itself a finding.
 * See docs/workloads.md "Policy checks".
 */
import { POLICY_EXEMPTION_PREFIX } from '../../constructs/kube/security-exception';
import type { PolicyFinding } from '../policy-finding';
import { runPolicy } from '../policy-finding';
import { CONTAINER_RULES } from './container-rules';
import { objectRule, type KubernetesObjects, type KubernetesRule } from './kubernetes-rule';
import { resourceName } from './pod-templates';
import { SECRET_RULES } from './secret-rules';
import { WORKLOAD_RULES } from './workload-rules';

const RULES: readonly KubernetesRule[] = [...CONTAINER_RULES, ...WORKLOAD_RULES, ...SECRET_RULES];
const RULE_IDS = RULES.map((r) => r.id);

const EXEMPTION_RULE: KubernetesRule = objectRule({
  id: 'valid-exemptions',
  mirrors: [],
  description: 'Every exemption annotation names a rule of this table and gives a reason.',
  check: (object) =>
    Object.entries((object.metadata?.annotations ?? {}) as Record<string, unknown>)
      .filter(([key]) => key.startsWith(POLICY_EXEMPTION_PREFIX))
      .flatMap(([key, reason]) => {
        const rule = key.slice(POLICY_EXEMPTION_PREFIX.length);
        if (!RULE_IDS.includes(rule)) return [`annotation ${key} names no rule; expected one of ${RULE_IDS.join(', ')}`];
        return typeof reason === 'string' && reason.trim() !== ''
          ? []
          : [`annotation ${key} gives no reason; expected why the rule does not apply`];
      }),
});

export const KUBERNETES_POLICY: readonly KubernetesRule[] = [...RULES, EXEMPTION_RULE];

export function runKubernetesPolicy(objects: KubernetesObjects): PolicyFinding[] {
  return runPolicy(KUBERNETES_POLICY, objects);
}

/** Every exemption in `objects`, as `Kind ns/name: exempt from <rule>: <reason>` lines for synth to warn with. */
export function listExemptions(objects: KubernetesObjects): string[] {
  return objects.flatMap((object) =>
    Object.entries((object.metadata?.annotations ?? {}) as Record<string, unknown>)
      .filter(([key]) => key.startsWith(POLICY_EXEMPTION_PREFIX))
      .map(([key, reason]) => `${resourceName(object)}: exempt from ${key.slice(POLICY_EXEMPTION_PREFIX.length)}: ${String(reason)}`),
  );
}
