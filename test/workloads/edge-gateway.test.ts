import type { KubeObject } from '../../synth/validate-manifests';
import { exampleConfig, objectNamed, objectsOfKind, synthObjectsOf } from './example-config';
import type { Obj } from './synth-scope';

const homelab = synthObjectsOf(exampleConfig('homelab'));
const aws = synthObjectsOf(exampleConfig('aws'));
const plainHttp = synthObjectsOf(exampleConfig('homelab', { exposure: { tls: { mode: 'none' } } }));

interface RouteTarget {
  route: string;
  service: string;
  namespace: string;
  port: number;
}

/**
 * Which backend a request path reaches among the HTTPRoutes attached to `listener`, by the Gateway
 * API's precedence: an Exact match beats any prefix, a longer prefix beats a shorter one; a prefix
 * matches whole path elements (/v1 matches /v1 and /v1/models, not /v1x).
 */
function routeFor(objects: readonly KubeObject[], listener: string, path: string): RouteTarget | undefined {
  const candidates: Array<{ exact: boolean; length: number; target: RouteTarget }> = [];
  for (const route of objectsOfKind(objects, 'HTTPRoute')) {
    if (!route.spec.parentRefs.some((p: { sectionName: string }) => p.sectionName === listener)) continue;
    for (const rule of route.spec.rules) {
      const backend = rule.backendRefs?.[0];
      if (!backend) continue;
      for (const { path: m } of rule.matches) {
        const prefix = m.value.endsWith('/') ? m.value : `${m.value}/`;
        const hit = m.type === 'Exact' ? path === m.value : path === m.value || path.startsWith(prefix) || m.value === '/';
        if (hit)
          candidates.push({
            exact: m.type === 'Exact',
            length: m.value.length,
            target: { route: route.metadata!.name!, service: backend.name, namespace: backend.namespace, port: backend.port },
          });
      }
    }
  }
  candidates.sort((a, b) => Number(b.exact) - Number(a.exact) || b.length - a.length);
  return candidates[0]?.target;
}

describe('edge routes', () => {
  it.each([
    ['/v1/chat/completions', 'gateway', 'ai-gateway', 8080],
    ['/v1/models', 'gateway', 'ai-gateway', 8080],
    ['/v1', 'gateway', 'ai-gateway', 8080],
    ['/api/infer', 'gateway', 'ai-gateway', 8080],
    ['/api/config', 'open-webui', 'ai-ui', 8080],
    ['/api/v1/chats', 'open-webui', 'ai-ui', 8080],
    ['/v1x', 'open-webui', 'ai-ui', 8080],
    ['/grafana/d/switchyard', 'grafana', 'ai-observability', 3000],
    ['/', 'open-webui', 'ai-ui', 8080],
    ['/c/some-chat', 'open-webui', 'ai-ui', 8080],
  ])('%s reaches %s in %s on port %d over HTTPS', (path, service, namespace, port) => {
    expect(routeFor(homelab, 'https', path)).toMatchObject({ service, namespace, port });
  });

  it('sends nothing but the redirect over plain HTTP when TLS is on', () => {
    expect(routeFor(homelab, 'http', '/v1/models')).toBeUndefined();
    const redirect = objectNamed(homelab, 'HTTPRoute', 'switchyard-https-redirect', 'ai-edge');
    expect(redirect.spec).toEqual({
      parentRefs: [{ name: 'switchyard', sectionName: 'http' }],
      rules: [{ filters: [{ type: 'RequestRedirect', requestRedirect: { scheme: 'https', statusCode: 301 } }] }],
    });
  });

  it('serves the same routes on the HTTP listener when TLS is off, with no redirect', () => {
    expect(routeFor(plainHttp, 'http', '/v1/models')).toMatchObject({ service: 'gateway', namespace: 'ai-gateway' });
    expect(routeFor(plainHttp, 'http', '/')).toMatchObject({ service: 'open-webui' });
    expect(plainHttp.some((o) => o.kind === 'HTTPRoute' && o.metadata?.name === 'switchyard-https-redirect')).toBe(false);
  });

  it('leaves out the routes of disabled components', () => {
    const objects = synthObjectsOf(exampleConfig('aws', { components: { grafana: false, openWebUi: false } }));
    expect(objectsOfKind(objects, 'HTTPRoute').map((r) => r.metadata!.name)).toEqual(['switchyard-https-redirect', 'gateway']);
    expect(routeFor(objects, 'https', '/')).toBeUndefined();
  });

  it.each([
    ['gateway', 'ai-gateway'],
    ['open-webui', 'ai-ui'],
    ['grafana', 'ai-observability'],
  ])('grants the edge routes access to exactly the %s Service in %s', (service, namespace) => {
    const grant = objectNamed(homelab, 'ReferenceGrant', `ai-edge-${service}`, namespace);
    expect(grant.spec).toEqual({
      from: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', namespace: 'ai-edge' }],
      to: [{ group: '', kind: 'Service', name: service }],
    });
  });
});

describe('edge gateway and listeners', () => {
  it('uses a GatewayClass served by Envoy Gateway and the EnvoyProxy of the edge', () => {
    expect(objectNamed(homelab, 'GatewayClass', 'switchyard').spec.controllerName).toBe('gateway.envoyproxy.io/gatewayclass-controller');
    const gateway = objectNamed(homelab, 'Gateway', 'switchyard', 'ai-edge');
    expect(gateway.spec.gatewayClassName).toBe('switchyard');
    expect(gateway.spec.infrastructure).toEqual({
      parametersRef: { group: 'gateway.envoyproxy.io', kind: 'EnvoyProxy', name: 'switchyard' },
    });
  });

  it('terminates TLS with the configured Secret on an HTTPS listener for the hostname', () => {
    const listeners = objectNamed(homelab, 'Gateway', 'switchyard', 'ai-edge').spec.listeners;
    expect(listeners).toEqual([
      { name: 'http', port: 80, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'Same' } } },
      {
        name: 'https',
        port: 443,
        protocol: 'HTTPS',
        hostname: 'ai.home.arpa',
        tls: { mode: 'Terminate', certificateRefs: [{ kind: 'Secret', name: 'switchyard-edge-tls' }] },
        allowedRoutes: { namespaces: { from: 'Same' } },
      },
    ]);
    expect(objectNamed(homelab, 'Gateway', 'switchyard').metadata!.annotations).toBeUndefined();
  });

  it('asks cert-manager for the certificate when TLS mode is cert-manager', () => {
    const gateway = objectNamed(aws, 'Gateway', 'switchyard', 'ai-edge');
    // Besides the issuer, only the sync wave of the aws example's GitOps.
    expect(gateway.metadata!.annotations).toEqual({
      'cert-manager.io/cluster-issuer': 'letsencrypt',
      'argocd.argoproj.io/sync-wave': '-1',
    });
    expect(gateway.spec.listeners[1].tls.certificateRefs).toEqual([{ kind: 'Secret', name: 'switchyard-edge-tls' }]);
  });

  it('has only the HTTP listener when TLS is off', () => {
    expect(objectNamed(plainHttp, 'Gateway', 'switchyard').spec.listeners.map((l: { name: string }) => l.name)).toEqual(['http']);
    expect(objectNamed(plainHttp, 'ClientTrafficPolicy', 'switchyard').spec.tls).toBeUndefined();
  });
});

describe('edge timeouts', () => {
  it('bounds header arrival and stalled streams on the client side, never the length of a response', () => {
    const policy = objectNamed(homelab, 'ClientTrafficPolicy', 'switchyard', 'ai-edge');
    expect(policy.spec.targetRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'switchyard' }]);
    expect(policy.spec.timeout).toEqual({ http: { requestHeadersReceivedTimeout: '10s', streamIdleTimeout: '5m', idleTimeout: '1h' } });
    expect(policy.spec.tls).toEqual({ minVersion: '1.2' });
  });

  it.each([
    ['gateway', '1h'],
    ['open-webui', '1h'],
    ['grafana', '5m'],
  ])(
    "gives the %s route a request timeout of %s (not Envoy's 15 s default) and a 5 minute stream idle timeout",
    (route, requestTimeout) => {
      const policy = objectNamed(homelab, 'BackendTrafficPolicy', route, 'ai-edge');
      expect(policy.spec).toEqual({
        targetRefs: [{ group: 'gateway.networking.k8s.io', kind: 'HTTPRoute', name: route }],
        timeout: { http: { requestTimeout, streamIdleTimeout: '5m' }, tcp: { connectTimeout: '5s' } },
      });
    },
  );
});

describe('edge network flows', () => {
  const envoyPeer = {
    namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'envoy-gateway-system' } },
    podSelector: {
      matchLabels: {
        'gateway.envoyproxy.io/owning-gateway-name': 'switchyard',
        'gateway.envoyproxy.io/owning-gateway-namespace': 'ai-edge',
      },
    },
  };

  it.each([
    ['gateway', 'ai-gateway', 8080],
    ['open-webui', 'ai-ui', 8080],
    ['grafana', 'ai-observability', 3000],
  ])('lets only the Envoy proxies of the edge into %s (%s) on port %d', (workload, namespace, port) => {
    const policy = objectNamed(homelab, 'NetworkPolicy', `${workload}-from-edge`, namespace);
    expect(policy.spec).toEqual({
      podSelector: { matchLabels: { 'app.kubernetes.io/name': workload, 'app.kubernetes.io/instance': 'switchyard' } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [envoyPeer], ports: [{ protocol: 'TCP', port }] }],
    });
  });

  it("writes no policy into Envoy Gateway's own namespace (the proxies' egress is not ours to restrict)", () => {
    expect(homelab.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === 'envoy-gateway-system')).toEqual([]);
  });
});

describe('edge load balancer', () => {
  const envoyService = (objects: readonly KubeObject[]): Obj['spec'] =>
    objectNamed(objects, 'EnvoyProxy', 'switchyard').spec.provider.kubernetes.envoyService;

  it('asks for an NLB on aws and keeps client addresses (externalTrafficPolicy Local)', () => {
    expect(envoyService(aws)).toEqual({
      type: 'LoadBalancer',
      externalTrafficPolicy: 'Local',
      annotations: { 'service.beta.kubernetes.io/aws-load-balancer-type': 'nlb' },
    });
  });

  it('runs two proxies with a disruption budget and bounded resources', () => {
    const kubernetes = objectNamed(aws, 'EnvoyProxy', 'switchyard').spec.provider.kubernetes;
    expect(kubernetes.envoyDeployment.replicas).toBe(2);
    expect(kubernetes.envoyPDB).toEqual({ minAvailable: 1 });
    expect(kubernetes.envoyDeployment.container.resources).toEqual({
      requests: { cpu: '100m', memory: '128Mi' },
      limits: { cpu: '1', memory: '512Mi' },
    });
  });

  it('puts the edge on the tailnet with a tailscale-class LoadBalancer in front of the proxies', () => {
    const service = objectNamed(homelab, 'Service', 'switchyard-tailnet', 'envoy-gateway-system');
    expect(service.metadata!.annotations).toEqual({
      'tailscale.com/hostname': 'switchyard',
      'exempt.policy.switchyard.dev/service-selects-pods': 'selects the Envoy proxy pods Envoy Gateway runs for Gateway ai-edge/switchyard',
    });
    expect(service.spec).toEqual({
      type: 'LoadBalancer',
      loadBalancerClass: 'tailscale',
      selector: { 'gateway.envoyproxy.io/owning-gateway-name': 'switchyard', 'gateway.envoyproxy.io/owning-gateway-namespace': 'ai-edge' },
      ports: [
        { name: 'http', port: 80, targetPort: 10080, protocol: 'TCP' },
        { name: 'https', port: 443, targetPort: 10443, protocol: 'TCP' },
      ],
    });
  });

  it('has no tailnet Service when Tailscale is off, or on the cloud profiles', () => {
    const off = synthObjectsOf(exampleConfig('homelab', { exposure: { tailscale: { enabled: false } } }));
    for (const objects of [off, aws]) expect(objects.some((o) => o.metadata?.name === 'switchyard-tailnet')).toBe(false);
  });
});
