/**
 * Policy exceptions as named config switches: a waiver says which rule a config switch turns off,
 * and why. Waived findings are reported apart, never dropped silently, so a reader sees exactly
 * what the config chose to accept.
 */
import type { PolicyFinding } from '../policy-finding';

export interface PolicyWaiver {
  /** The rule id waived, e.g. `eks-public-endpoint-disabled`. */
  readonly rule: string;
  /** The config path whose value waives it, e.g. `cluster.endpoint.publicAccess`. */
  readonly configSwitch: string;
  /** Why the finding is acceptable while the switch is on. */
  readonly reason: string;
}

export interface WaivedFindings {
  /** Findings no waiver covers: these fail the policy. */
  readonly findings: PolicyFinding[];
  /** Findings a config switch accepted, with the waiver that did. */
  readonly waived: Array<PolicyFinding & { readonly waiver: PolicyWaiver }>;
}

export function applyWaivers(findings: readonly PolicyFinding[], waivers: readonly PolicyWaiver[]): WaivedFindings {
  const result: WaivedFindings = { findings: [], waived: [] };
  for (const finding of findings) {
    const waiver = waivers.find((w) => w.rule === finding.rule);
    if (waiver) result.waived.push({ ...finding, waiver });
    else result.findings.push(finding);
  }
  return result;
}
