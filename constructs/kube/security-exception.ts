/**
 * Explicit exceptions to the secure defaults. A construct that weakens a default records it here:
 * the reason goes on the object as an annotation the Kubernetes policy checks honour
 * (`exempt.policy.switchyard.dev/<rule>`), and into the construct tree's metadata, which synth
 * reports as a warning. Nothing is weakened silently.
 */
import type { Construct } from 'constructs';

/** Construct metadata type under which exceptions are recorded (also used by TierNamespace). */
export const SECURITY_EXCEPTION_METADATA = 'switchyard:exception';

/** Prefix of the annotation that exempts one object from one policy rule, with the reason as value. */
export const POLICY_EXEMPTION_PREFIX = 'exempt.policy.switchyard.dev/';

/** The annotation key that exempts an object from `ruleId`. */
export function policyExemptionKey(ruleId: string): string {
  return `${POLICY_EXEMPTION_PREFIX}${ruleId}`;
}

/** Records a weakened default on `scope`, so synth can report it. */
export function recordSecurityException(scope: Construct, message: string): void {
  scope.node.addMetadata(SECURITY_EXCEPTION_METADATA, message);
}

/** Every exception recorded under `root`, as `path: message` lines. */
export function securityExceptions(root: Construct): string[] {
  return root.node
    .findAll()
    .flatMap((c) => c.node.metadata.filter((m) => m.type === SECURITY_EXCEPTION_METADATA).map((m) => `${c.node.path}: ${String(m.data)}`));
}
