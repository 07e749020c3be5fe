/**
 * EdgeRoute: sends some paths of the edge to one Service in another namespace. Three objects:
 * - an HTTPRoute in the edge namespace, attached to the Gateway's application listener;
 * - a ReferenceGrant in the Service's namespace, allowing exactly the edge namespace's HTTPRoutes
 *   to reference exactly that Service (Gateway API refuses cross-namespace backends without one);
 * - a BackendTrafficPolicy on the route with its upstream timeouts: a long (or no) overall request
 *   timeout, so streamed completions and websockets are not cut, and a stream idle timeout, so a
 *   stalled upstream still is.
 */
import { Construct } from 'constructs';
import { BackendTrafficPolicy } from '../../imports/gateway.envoyproxy.io';
import { HttpRoute, HttpRouteSpecRulesMatchesPathType, ReferenceGrant } from '../../imports/gateway.networking.k8s.io';
import { PART_OF } from '../kube/labels';
import type { EdgeGateway } from './edge-gateway';

/** A path match: every path under `prefix`, or exactly `exact`. */
export type EdgePath = { readonly prefix: string } | { readonly exact: string };

/** The Service a route sends traffic to. */
export interface EdgeBackend {
  readonly serviceName: string;
  readonly namespace: string;
  readonly port: number;
}

export interface EdgeRouteProps {
  readonly gateway: EdgeGateway;
  /** The route's name; also names its grant and policy. */
  readonly name: string;
  readonly paths: readonly EdgePath[];
  readonly backend: EdgeBackend;
  /**
   * Most time from the request to the end of the response. Envoy's own default (15 s) would cut
   * streamed completions, so every route sets one; `'0s'` turns it off.
   * @default '1h'
   */
  readonly requestTimeout?: string;
  /**
   * Longest the upstream stream may go without a byte before it is reset.
   * @default '5m'
   */
  readonly streamIdleTimeout?: string;
  /** @default '5s' */
  readonly connectTimeout?: string;
}

const GATEWAY_API_GROUP = 'gateway.networking.k8s.io';

function match(path: EdgePath): { path: { type: HttpRouteSpecRulesMatchesPathType; value: string } } {
  return 'prefix' in path
    ? { path: { type: HttpRouteSpecRulesMatchesPathType.PATH_PREFIX, value: path.prefix } }
    : { path: { type: HttpRouteSpecRulesMatchesPathType.EXACT, value: path.exact } };
}

export class EdgeRoute extends Construct {
  readonly name: string;

  constructor(scope: Construct, id: string, props: EdgeRouteProps) {
    super(scope, id);
    this.name = props.name;
    const { gateway, backend } = props;
    const labels = { 'app.kubernetes.io/part-of': PART_OF, 'app.kubernetes.io/component': 'edge' };

    this.node.addValidation({
      validate: () =>
        props.paths
          .map((p) => ('prefix' in p ? p.prefix : p.exact))
          .filter((value) => !value.startsWith('/'))
          .map((value) => `route ${props.name}: path ${JSON.stringify(value)} must start with "/"`),
    });

    new HttpRoute(this, 'Resource', {
      metadata: { name: props.name, namespace: gateway.namespace, labels },
      spec: {
        parentRefs: [{ name: gateway.name, sectionName: gateway.routeListener }],
        rules: [
          {
            matches: props.paths.map(match),
            backendRefs: [{ kind: 'Service', name: backend.serviceName, namespace: backend.namespace, port: backend.port }],
          },
        ],
      },
    });

    if (backend.namespace !== gateway.namespace) {
      new ReferenceGrant(this, 'Grant', {
        metadata: { name: `${gateway.namespace}-${props.name}`, namespace: backend.namespace, labels },
        spec: {
          from: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', namespace: gateway.namespace }],
          to: [{ group: '', kind: 'Service', name: backend.serviceName }],
        },
      });
    }

    new BackendTrafficPolicy(this, 'Traffic', {
      metadata: { name: props.name, namespace: gateway.namespace, labels },
      spec: {
        targetRefs: [{ group: GATEWAY_API_GROUP, kind: 'HTTPRoute', name: props.name }],
        timeout: {
          http: { requestTimeout: props.requestTimeout ?? '1h', streamIdleTimeout: props.streamIdleTimeout ?? '5m' },
          tcp: { connectTimeout: props.connectTimeout ?? '5s' },
        },
      },
    });
  }
}
