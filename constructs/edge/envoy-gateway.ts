/**
 * Facts about Envoy Gateway that the edge constructs and the network policies rely on.
 *
 * Envoy Gateway (default "controller namespace" deploy mode) runs the Envoy proxy pods of every
 * Gateway in its own namespace, labelled with the Gateway they serve. Listener ports below 1024
 * are bound 10000 higher inside the pod, so the proxy never needs NET_BIND_SERVICE: port 80 is
 * container port 10080 and 443 is 10443.
 */
import type { PodGroup } from '../kube/allow-traffic';

/** The controller name a GatewayClass names to be served by Envoy Gateway. */
export const ENVOY_GATEWAY_CONTROLLER = 'gateway.envoyproxy.io/gatewayclass-controller';

/** Where Envoy Gateway is installed, and so where it runs the proxy pods. */
export const ENVOY_GATEWAY_NAMESPACE = 'envoy-gateway-system';

/** Pod labels Envoy Gateway sets on the proxies of one Gateway. */
export const OWNING_GATEWAY_NAME_LABEL = 'gateway.envoyproxy.io/owning-gateway-name';
export const OWNING_GATEWAY_NAMESPACE_LABEL = 'gateway.envoyproxy.io/owning-gateway-namespace';

/** The container port Envoy binds for a listener port (privileged ports are shifted by 10000). */
export function envoyContainerPort(listenerPort: number): number {
  return listenerPort < 1024 ? listenerPort + 10000 : listenerPort;
}

/** The Envoy proxy pods serving the Gateway `gatewayName` in `gatewayNamespace`. */
export function envoyProxyPods(gatewayName: string, gatewayNamespace: string, controllerNamespace = ENVOY_GATEWAY_NAMESPACE): PodGroup {
  return {
    name: 'edge',
    namespace: controllerNamespace,
    podLabels: { [OWNING_GATEWAY_NAME_LABEL]: gatewayName, [OWNING_GATEWAY_NAMESPACE_LABEL]: gatewayNamespace },
  };
}
