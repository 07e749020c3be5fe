/**
 * TailnetService: puts the edge on a tailnet for remote access. A LoadBalancer Service of class
 * `tailscale` in front of the Envoy proxy pods; the Tailscale operator answers it with a proxy
 * that joins the tailnet as `hostname` and forwards to this Service. Nothing is opened to the
 * internet: only devices on the tailnet (and allowed by its ACLs) reach it.
 *
 * The Service selects pods, so it lives beside them, in Envoy Gateway's namespace.
 */
import { Construct } from 'constructs';
import { IntOrString, KubeService } from '../kube/k8s';
import { PART_OF } from '../kube/labels';
import { policyExemptionKey } from '../kube/security-exception';
import type { EdgeGateway } from './edge-gateway';
import { envoyContainerPort } from './envoy-gateway';

export const TAILSCALE_LOAD_BALANCER_CLASS = 'tailscale';
export const TAILSCALE_HOSTNAME_ANNOTATION = 'tailscale.com/hostname';

export interface TailnetServiceProps {
  readonly gateway: EdgeGateway;
  /** The machine name on the tailnet (MagicDNS: <hostname>.<tailnet>.ts.net). */
  readonly hostname: string;
  /** Listener ports to expose: 80, and 443 when TLS is on. */
  readonly ports: readonly number[];
}

export class TailnetService extends Construct {
  constructor(scope: Construct, id: string, props: TailnetServiceProps) {
    super(scope, id);
    const { gateway } = props;
    new KubeService(this, 'Resource', {
      metadata: {
        name: `${gateway.name}-tailnet`,
        namespace: gateway.proxyPods.namespace,
        labels: { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'edge' },
        annotations: {
          [TAILSCALE_HOSTNAME_ANNOTATION]: props.hostname,
          // Its pods are not in the manifests: Envoy Gateway creates them for the Gateway.
          [policyExemptionKey('service-selects-pods')]:
            `selects the Envoy proxy pods Envoy Gateway runs for Gateway ${gateway.namespace}/${gateway.name}`,
        },
      },
      spec: {
        type: 'LoadBalancer',
        loadBalancerClass: TAILSCALE_LOAD_BALANCER_CLASS,
        selector: { ...gateway.proxyPods.podLabels },
        ports: props.ports.map((port) => ({
          name: port === 443 ? 'https' : 'http',
          port,
          targetPort: IntOrString.fromNumber(envoyContainerPort(port)),
          protocol: 'TCP',
        })),
      },
    });
  }
}
