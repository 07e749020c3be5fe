/**
 * EdgeGateway: the platform's one way in. A GatewayClass served by Envoy Gateway, the EnvoyProxy
 * that shapes the proxy fleet and its LoadBalancer Service, and a Gateway with an HTTP listener
 * and, when TLS is on, an HTTPS listener (certificate from a Secret, or issued into that Secret by
 * cert-manager) with every plain-HTTP request redirected to HTTPS. A ClientTrafficPolicy sets the
 * downstream timeouts so long streamed responses are never cut while they make progress.
 *
 * Routes attach with `attachTo` (see EdgeRoute): to the HTTPS listener when TLS is on, else to HTTP.
 */
import { Construct } from 'constructs';
import {
  ClientTrafficPolicy,
  ClientTrafficPolicySpecTlsMinVersion,
  EnvoyProxy,
  EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesLimits as ProxyLimit,
  EnvoyProxySpecProviderKubernetesEnvoyDeploymentContainerResourcesRequests as ProxyRequest,
  EnvoyProxySpecProviderKubernetesEnvoyPdbMinAvailable,
  EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy,
  EnvoyProxySpecProviderKubernetesEnvoyServiceType,
  EnvoyProxySpecProviderType,
} from '../../imports/gateway.envoyproxy.io';
import {
  Gateway,
  GatewayClass,
  GatewaySpecListenersAllowedRoutesNamespacesFrom,
  GatewaySpecListenersTlsMode,
  HttpRoute,
  HttpRouteSpecRulesFiltersRequestRedirectScheme,
  HttpRouteSpecRulesFiltersRequestRedirectStatusCode,
  HttpRouteSpecRulesFiltersType,
} from '../../imports/gateway.networking.k8s.io';
import type { PodGroup } from '../kube/allow-traffic';
import { PART_OF } from '../kube/labels';
import { ENVOY_GATEWAY_CONTROLLER, ENVOY_GATEWAY_NAMESPACE, envoyProxyPods } from './envoy-gateway';

/** TLS on the HTTPS listener. */
export type EdgeTls =
  | { readonly mode: 'secret'; readonly secretName: string }
  | { readonly mode: 'cert-manager'; readonly secretName: string; readonly clusterIssuer: string }
  | { readonly mode: 'none' };

/** How the proxies' LoadBalancer Service is exposed. */
export interface EdgeLoadBalancer {
  /** Annotations for the cloud or MetalLB (address pool, fixed address). @default - none */
  readonly annotations?: Readonly<Record<string, string>>;
  /** A loadBalancerClass, e.g. `tailscale`. @default - the cluster's default load balancer */
  readonly loadBalancerClass?: string;
}

export interface EdgeGatewayProps {
  /** Names the GatewayClass, EnvoyProxy, Gateway and policies. */
  readonly name: string;
  /** The edge namespace: the Gateway, its routes and policies live here. */
  readonly namespace: string;
  /** The hostname clients use; the HTTPS listener (and its certificate) is for this name. */
  readonly hostname: string;
  readonly tls: EdgeTls;
  /** @default - a LoadBalancer with no annotations */
  readonly loadBalancer?: EdgeLoadBalancer;
  /**
   * Envoy proxy replicas; with more than one a PodDisruptionBudget keeps one available.
   * @default 2
   */
  readonly proxyReplicas?: number;
  /**
   * Longest a client stream may go without a byte either way before Envoy resets it. Streamed
   * completions send tokens continuously, so this only ends streams that have stalled.
   * @default '5m'
   */
  readonly streamIdleTimeout?: string;
  /** Namespace Envoy Gateway is installed in (where it runs the proxy pods). @default 'envoy-gateway-system' */
  readonly controllerNamespace?: string;
}

/** Listener names, the `sectionName` routes attach to. */
export const HTTP_LISTENER = 'http';
export const HTTPS_LISTENER = 'https';

export class EdgeGateway extends Construct {
  readonly name: string;
  readonly namespace: string;
  /** The listener application routes attach to: https when TLS is on, else http. */
  readonly routeListener: string;
  /** The Envoy proxy pods of this Gateway, as a network-policy peer. */
  readonly proxyPods: PodGroup;

  constructor(scope: Construct, id: string, props: EdgeGatewayProps) {
    super(scope, id);
    this.name = props.name;
    this.namespace = props.namespace;
    const tlsOn = props.tls.mode !== 'none';
    this.routeListener = tlsOn ? HTTPS_LISTENER : HTTP_LISTENER;
    this.proxyPods = envoyProxyPods(props.name, props.namespace, props.controllerNamespace ?? ENVOY_GATEWAY_NAMESPACE);
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'edge' };
    const replicas = props.proxyReplicas ?? 2;

    new GatewayClass(this, 'Class', {
      metadata: { name: props.name, labels },
      spec: { controllerName: ENVOY_GATEWAY_CONTROLLER, description: 'Switchyard edge, served by Envoy Gateway' },
    });

    new EnvoyProxy(this, 'Proxy', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        provider: {
          type: EnvoyProxySpecProviderType.KUBERNETES,
          kubernetes: {
            envoyDeployment: {
              replicas,
              container: {
                resources: {
                  requests: { cpu: ProxyRequest.fromString('100m'), memory: ProxyRequest.fromString('128Mi') },
                  limits: { cpu: ProxyLimit.fromString('1'), memory: ProxyLimit.fromString('512Mi') },
                },
              },
            },
            envoyPdb: replicas > 1 ? { minAvailable: EnvoyProxySpecProviderKubernetesEnvoyPdbMinAvailable.fromNumber(1) } : undefined,
            envoyService: {
              type: EnvoyProxySpecProviderKubernetesEnvoyServiceType.LOAD_BALANCER,
              // Local keeps the client's source address (for logs and rate limits) and skips a node hop.
              externalTrafficPolicy: EnvoyProxySpecProviderKubernetesEnvoyServiceExternalTrafficPolicy.LOCAL,
              annotations: props.loadBalancer?.annotations ? { ...props.loadBalancer.annotations } : undefined,
              loadBalancerClass: props.loadBalancer?.loadBalancerClass,
            },
          },
        },
        // Drain listeners on shutdown so rolling the proxies does not cut streams short.
        shutdown: { drainTimeout: '300s', minDrainDuration: '10s' },
      },
    });

    const sameNamespace = { namespaces: { from: GatewaySpecListenersAllowedRoutesNamespacesFrom.SAME } };
    const listeners = [
      { name: HTTP_LISTENER, port: 80, protocol: 'HTTP', allowedRoutes: sameNamespace },
      ...(props.tls.mode === 'none'
        ? []
        : [
            {
              name: HTTPS_LISTENER,
              port: 443,
              protocol: 'HTTPS',
              hostname: props.hostname,
              tls: { mode: GatewaySpecListenersTlsMode.TERMINATE, certificateRefs: [{ kind: 'Secret', name: props.tls.secretName }] },
              allowedRoutes: sameNamespace,
            },
          ]),
    ];
    new Gateway(this, 'Resource', {
      metadata: {
        name: props.name,
        namespace: props.namespace,
        labels,
        // cert-manager's Gateway support issues a Certificate for each HTTPS listener into its Secret.
        annotations: props.tls.mode === 'cert-manager' ? { 'cert-manager.io/cluster-issuer': props.tls.clusterIssuer } : undefined,
      },
      spec: {
        gatewayClassName: props.name,
        infrastructure: { parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: props.name } },
        listeners,
      },
    });

    new ClientTrafficPolicy(this, 'ClientTraffic', {
      metadata: { name: props.name, namespace: props.namespace, labels },
      spec: {
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: props.name }],
        timeout: {
          http: {
            // Headers must arrive promptly (slowloris); bodies and responses are not capped here.
            requestHeadersReceivedTimeout: '10s',
            streamIdleTimeout: props.streamIdleTimeout ?? '5m',
            idleTimeout: '1h',
          },
        },
        // Keepalives find dead peers of long, quiet streams behind NATs and load balancers.
        tcpKeepalive: { idleTime: '60s', interval: '30s', probes: 3 },
        tls: tlsOn ? { minVersion: ClientTrafficPolicySpecTlsMinVersion.VALUE_1_2 } : undefined,
      },
    });

    if (tlsOn) {
      new HttpRoute(this, 'HttpsRedirect', {
        metadata: { name: `${props.name}-https-redirect`, namespace: props.namespace, labels },
        spec: {
          parentRefs: [{ name: props.name, sectionName: HTTP_LISTENER }],
          rules: [
            {
              filters: [
                {
                  type: HttpRouteSpecRulesFiltersType.REQUEST_REDIRECT,
                  requestRedirect: {
                    scheme: HttpRouteSpecRulesFiltersRequestRedirectScheme.HTTPS,
                    statusCode: HttpRouteSpecRulesFiltersRequestRedirectStatusCode.VALUE_301,
                  },
                },
              ],
            },
          ],
        },
      });
    }
  }
}
