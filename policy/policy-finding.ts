/**
 * What a policy check reports: one finding per resource that breaks one rule. Shared by the
 * Terraform checks (policy/terraform/) and the Kubernetes checks (policy/kubernetes/).
 */
export interface PolicyFinding {
  /** The rule's stable id, e.g. `eks-public-endpoint`. */
  readonly rule: string;
  /** The Checkov / kube-linter checks the rule mirrors, e.g. ['CKV_AWS_39']. */
  readonly mirrors: readonly string[];
  /** Where: a Terraform address (`aws_eks_cluster.cluster`) or a Kubernetes object (`StatefulSet ai-models/ollama`). */
  readonly resource: string;
  /** What is wrong, naming the field, the value and what is required. */
  readonly message: string;
}

/** One rule of a policy table: an id, what it mirrors, and a check over one input. */
export interface PolicyRule<TInput> {
  readonly id: string;
  readonly mirrors: readonly string[];
  /** One sentence: what the rule requires. */
  readonly description: string;
  check(input: TInput): PolicyFinding[];
}

/** Runs every rule over the input; an empty result means the input passes the policy. */
export function runPolicy<TInput>(rules: readonly PolicyRule<TInput>[], input: TInput): PolicyFinding[] {
  return rules.flatMap((rule) => rule.check(input));
}

/** Findings as readable lines, for test failures and CLI output. */
export function formatFindings(findings: readonly PolicyFinding[]): string {
  return findings.map((f) => `${f.rule} (${f.mirrors.join(', ')}) ${f.resource}: ${f.message}`).join('\n');
}
