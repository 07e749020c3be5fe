/**
 * A tier's namespace: Pod Security Admission labels and a default-deny NetworkPolicy for ingress
 * and egress, with only DNS to the cluster's resolver allowed. Components open exactly the
 * traffic they need on top of it (see `allowTraffic`).
 */
import { Construct } from 'constructs';
import { IntOrString, KubeNamespace, KubeNetworkPolicy } from './k8s';
import { PART_OF } from './labels';
import { recordSecurityException } from './security-exception';

export type PodSecurityLevel = 'restricted' | 'baseline' | 'privileged';

export interface TierNamespaceProps {
  /** The namespace name. */
  readonly name: string;
  /** The tier it serves, recorded as the label `switchyard.dev/tier`. */
  readonly tier: string;
  /**
   * The Pod Security Standard enforced on the namespace.
   * Anything weaker than `restricted` is an explicit exception: it is labelled and reported at synth.
   * @default 'restricted'
   */
  readonly podSecurity?: PodSecurityLevel;
}

/** The label every Switchyard namespace carries with its tier, for network policy selectors. */
export const TIER_LABEL = 'switchyard.dev/tier';
/** The label Kubernetes sets on every namespace with its own name (since 1.21). */
export const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

/** DNS: CoreDNS / kube-dns pods in kube-system, on port 53 over UDP and TCP. */
export const DNS_EGRESS = {
  to: [
    {
      namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: 'kube-system' } },
      podSelector: { matchLabels: { 'k8s-app': 'kube-dns' } },
    },
  ],
  ports: [
    { protocol: 'UDP', port: IntOrString.fromNumber(53) },
    { protocol: 'TCP', port: IntOrString.fromNumber(53) },
  ],
};

export class TierNamespace extends Construct {
  readonly name: string;
  readonly podSecurity: PodSecurityLevel;

  constructor(scope: Construct, id: string, props: TierNamespaceProps) {
    super(scope, id);
    this.name = props.name;
    this.podSecurity = props.podSecurity ?? 'restricted';
    if (this.podSecurity !== 'restricted') {
      recordSecurityException(this, `namespace ${props.name} runs Pod Security "${this.podSecurity}", not "restricted"`);
    }

    new KubeNamespace(this, 'Resource', {
      metadata: {
        name: props.name,
        labels: {
          'app.kubernetes.io/part-of': PART_OF,
          [TIER_LABEL]: props.tier,
          'pod-security.kubernetes.io/enforce': this.podSecurity,
          'pod-security.kubernetes.io/enforce-version': 'latest',
          'pod-security.kubernetes.io/audit': 'restricted',
          'pod-security.kubernetes.io/warn': 'restricted',
        },
      },
    });

    new KubeNetworkPolicy(this, 'DefaultDeny', {
      metadata: { name: 'default-deny', namespace: props.name, labels: { 'app.kubernetes.io/part-of': PART_OF } },
      spec: {
        podSelector: {},
        policyTypes: ['Ingress', 'Egress'],
        ingress: [],
        egress: [DNS_EGRESS],
      },
    });
  }
}
