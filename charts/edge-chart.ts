/**
 * The edge: Envoy Gateway's Gateway in the edge namespace with the platform's routes
 *   /v1 (prefix) and /api/infer (exact)  -> the Switchyard gateway
 *   /grafana                             -> Grafana (served from that sub-path)
 *   /                                    -> OpenWebUI
 * and the network flows from the Envoy proxies to those backends. On homelab, MetalLB's address
 * pools (the edge takes the first address of the first pool) and, when enabled, the edge on the
 * tailnet.
 *
 * Only /api/infer of /api goes to the gateway: OpenWebUI's own browser API lives under /api
 * (/api/config, /api/v1/chats, ...), so the whole prefix would break the UI. Gateway API picks the
 * exact match over OpenWebUI's `/` prefix.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { EdgeGateway, type EdgeLoadBalancer } from '../constructs/edge/edge-gateway';
import { type EdgePath, EdgeRoute } from '../constructs/edge/edge-route';
import { MetallbAddressPools } from '../constructs/edge/metallb-address-pools';
import { TailnetService } from '../constructs/edge/tailnet-service';
import { allowTraffic } from '../constructs/kube/allow-traffic';
import { platformPodGroups, type WorkloadName } from './pod-groups';

export interface EdgeChartProps {
  readonly config: PlatformConfig;
}

/** A backend of the edge: the workload, its Service port and the paths routed to it. */
interface EdgeBackendSpec {
  readonly workload: WorkloadName;
  readonly enabled: boolean;
  readonly port: number;
  readonly paths: readonly EdgePath[];
  readonly requestTimeout: string;
}

/** Ports of the backends' Services (and containers): the gateway and OpenWebUI on 8080, Grafana on 3000. */
export const EDGE_BACKEND_PORTS = { gateway: 8080, 'open-webui': 8080, grafana: 3000 } as const;

export function edgeBackends(config: PlatformConfig): EdgeBackendSpec[] {
  return [
    {
      workload: 'gateway',
      enabled: config.components.gateway,
      port: EDGE_BACKEND_PORTS.gateway,
      paths: [{ prefix: '/v1' }, { exact: '/api/infer' }],
      requestTimeout: '1h',
    },
    {
      workload: 'grafana',
      enabled: config.components.grafana,
      port: EDGE_BACKEND_PORTS.grafana,
      paths: [{ prefix: '/grafana' }],
      requestTimeout: '5m',
    },
    // OpenWebUI streams chats over a websocket; the stream idle timeout ends dead ones.
    {
      workload: 'open-webui',
      enabled: config.components.openWebUi,
      port: EDGE_BACKEND_PORTS['open-webui'],
      paths: [{ prefix: '/' }],
      requestTimeout: '1h',
    },
  ];
}

function loadBalancerFor(config: PlatformConfig, pools: MetallbAddressPools | undefined): EdgeLoadBalancer {
  if (pools) return { annotations: pools.fixedAddressAnnotations() };
  // An NLB passes TCP (and TLS) through to Envoy, which terminates it; the in-tree controller handles this type.
  if (config.profile === 'aws') return { annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' } };
  return {};
}

export class EdgeChart extends Chart {
  readonly gateway: EdgeGateway;

  constructor(scope: Construct, id: string, props: EdgeChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const groups = platformPodGroups(config);

    const metallb = config.exposure.metallb;
    const pools = metallb ? new MetallbAddressPools(this, 'Metallb', { pools: metallb.addressPools }) : undefined;

    this.gateway = new EdgeGateway(this, 'Gateway', {
      name: config.name,
      namespace: config.namespaces.edge,
      hostname: config.exposure.hostname,
      tls: config.exposure.tls,
      loadBalancer: loadBalancerFor(config, pools),
    });

    for (const backend of edgeBackends(config).filter((b) => b.enabled)) {
      const target = groups[backend.workload];
      new EdgeRoute(this, `Route-${backend.workload}`, {
        gateway: this.gateway,
        name: backend.workload,
        paths: backend.paths,
        backend: { serviceName: target.name, namespace: target.namespace, port: backend.port },
        requestTimeout: backend.requestTimeout,
      });
      allowTraffic(this, `EdgeTo-${backend.workload}`, {
        from: this.gateway.proxyPods,
        to: target,
        ports: [backend.port],
        sourceEgress: false,
      });
    }

    const tailscale = config.exposure.tailscale;
    if (tailscale?.enabled) {
      new TailnetService(this, 'Tailnet', {
        gateway: this.gateway,
        hostname: tailscale.hostname,
        ports: config.exposure.tls.mode === 'none' ? [80] : [80, 443],
      });
    }
  }
}
