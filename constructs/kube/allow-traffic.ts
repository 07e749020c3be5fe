/**
 * Opens one flow through the default-deny policies: pods of `from` may reach pods of `to` on the
 * given ports. Because both namespaces deny by default, a flow needs two policies: egress on the
 * source side and ingress on the destination side. `allowTraffic` writes both, so a relationship
 * is declared once, by intent (`allowTraffic(this, 'GatewayToRedis', { from: gateway, to: redis, ports: [6379] })`).
 */
import { Construct } from 'constructs';
import { IntOrString, KubeNetworkPolicy, type NetworkPolicyPeer } from './k8s';
import { PART_OF } from './labels';
import { NAMESPACE_NAME_LABEL } from './tier-namespace';

/** Pods of one workload: its namespace and the labels that select its pods. */
export interface PodGroup {
  /** A short name used in policy names, e.g. gateway, redis. */
  readonly name: string;
  readonly namespace: string;
  readonly podLabels: Readonly<Record<string, string>>;
}

/** A destination outside the cluster's pods. */
export interface ExternalPeer {
  readonly name: string;
  /** CIDR blocks, e.g. 0.0.0.0/0 for the internet. */
  readonly cidrs: readonly string[];
  /** CIDRs carved out of each of `cidrs` (e.g. the private ranges out of 0.0.0.0/0). */
  readonly except?: readonly string[];
}

export interface AllowTrafficProps {
  readonly from: PodGroup;
  readonly to: PodGroup | ExternalPeer;
  /** TCP ports on the destination. */
  readonly ports: readonly number[];
  /**
   * Write the egress policy on the source side. Turn off only when the source namespace is not a
   * Switchyard tier namespace (not default-deny, and not ours to restrict), e.g. Envoy Gateway's
   * proxies in envoy-gateway-system: an egress policy there would cut the proxies off from
   * everything else they reach.
   * @default true
   */
  readonly sourceEgress?: boolean;
}

function isPodGroup(peer: PodGroup | ExternalPeer): peer is PodGroup {
  return 'podLabels' in peer;
}

function podPeer(group: PodGroup): NetworkPolicyPeer {
  return {
    namespaceSelector: { matchLabels: { [NAMESPACE_NAME_LABEL]: group.namespace } },
    podSelector: { matchLabels: { ...group.podLabels } },
  };
}

export function allowTraffic(scope: Construct, id: string, props: AllowTrafficProps): void {
  const ports = props.ports.map((port) => ({ protocol: 'TCP', port: IntOrString.fromNumber(port) }));
  const construct = new Construct(scope, id);
  const { from, to } = props;
  const labels = { 'app.kubernetes.io/part-of': PART_OF };

  const egressPeers: NetworkPolicyPeer[] = isPodGroup(to)
    ? [podPeer(to)]
    : to.cidrs.map((cidr) => ({ ipBlock: { cidr, except: to.except?.length ? [...to.except] : undefined } }));

  if (props.sourceEgress !== false)
    new KubeNetworkPolicy(construct, 'Egress', {
      metadata: { name: `${from.name}-to-${to.name}`, namespace: from.namespace, labels },
      spec: {
        podSelector: { matchLabels: { ...from.podLabels } },
        policyTypes: ['Egress'],
        egress: [{ to: egressPeers, ports }],
      },
    });

  if (isPodGroup(to)) {
    new KubeNetworkPolicy(construct, 'Ingress', {
      metadata: { name: `${to.name}-from-${from.name}`, namespace: to.namespace, labels },
      spec: {
        podSelector: { matchLabels: { ...to.podLabels } },
        policyTypes: ['Ingress'],
        ingress: [{ from: [podPeer(from)], ports }],
      },
    });
  }
}
