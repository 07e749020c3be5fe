/**
 * The observability chart as synthesized (through the validation gate) for each profile, and in
 * prometheus-operator mode: the fields that carry meaning, and the config rules for its section.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { ConfigError } from '../../config/config-error';
import { parsePlatformConfig } from '../../config/load-config';
import type { PlatformConfig } from '../../config/platform-config';
import { retentionSize } from '../../constructs/observability/prometheus-server';
import { platformDashboards } from '../../observability/dashboards/platform-dashboards';
import { buildPrometheusConfig } from '../../observability/prometheus-config';
import { platformRuleGroups } from '../../observability/platform-rules';
import { scrapedNamespaces } from '../../observability/scrape-targets';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import type { KubeObject } from '../../synth/validate-manifests';
import { ROOT, tempDir } from '../support/paths';
import { EXAMPLE_PLATFORMS } from './example-configs';

type Obj = KubeObject & Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

function synth(config: PlatformConfig): Obj[] {
  return synthKubernetes(config).objects as Obj[];
}

function find(objects: Obj[], kind: string, name: string, namespace?: string): Obj {
  const found = objects.find(
    (o) => o.kind === kind && o.metadata?.name === name && (namespace === undefined || o.metadata?.namespace === namespace),
  );
  if (!found) throw new Error(`no ${kind} ${namespace ?? '*'}/${name}`);
  return found;
}

const envOf = (container: Obj) => Object.fromEntries((container.env as Obj[]).map((e) => [e.name, e.value ?? e.valueFrom]));

describe.each(EXAMPLE_PLATFORMS)('%s', (_name, config) => {
  const objects = synth(config);
  const ns = config.namespaces.observability;

  test('Prometheus keeps data for the configured time, stops at 85% of its volume and runs the generated config and rules', () => {
    const sts = find(objects, 'StatefulSet', 'prometheus', ns);
    const container = sts.spec.template.spec.containers[0];
    expect(container.args).toEqual(expect.arrayContaining(['--storage.tsdb.retention.time=15d', '--storage.tsdb.retention.size=42GB']));
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: config.storage.storageClass,
      resources: { requests: { storage: '50Gi' } },
    });
    expect(sts.spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(container.securityContext).toMatchObject({ runAsNonRoot: true, readOnlyRootFilesystem: true, allowPrivilegeEscalation: false });
    expect(parse(find(objects, 'ConfigMap', 'prometheus-config', ns).data['prometheus.yml'])).toEqual(
      JSON.parse(JSON.stringify(buildPrometheusConfig(config))),
    );
    expect(parse(find(objects, 'ConfigMap', 'prometheus-rules', ns).data['platform.yaml'])).toEqual({
      groups: JSON.parse(JSON.stringify(platformRuleGroups(config))),
    });
  });

  test('discovery RBAC: nodes and nodes/metrics cluster-wide, pods only in the scraped namespaces', () => {
    expect(find(objects, 'ClusterRole', `${config.name}-prometheus`).rules).toEqual([
      { apiGroups: [''], resources: ['nodes'], verbs: ['list', 'watch'] },
      { apiGroups: [''], resources: ['nodes/metrics'], verbs: ['get'] },
    ]);
    const roles = objects.filter((o) => o.kind === 'Role' && o.metadata?.name === 'prometheus-discovery');
    expect(roles.map((r) => r.metadata?.namespace).sort()).toEqual(scrapedNamespaces(config));
    for (const role of roles) expect(role.rules).toEqual([{ apiGroups: [''], resources: ['pods'], verbs: ['list', 'watch'] }]);
    expect(objects.filter((o) => o.kind === 'ClusterRole').map((o) => o.metadata?.name)).not.toContain('kube-state-metrics');
  });

  test('Grafana: served under /grafana, admin credentials by Secret reference, datasource and dashboards provisioned', () => {
    const deployment = find(objects, 'Deployment', 'grafana', ns);
    const container = deployment.spec.template.spec.containers[0];
    const env = envOf(container);
    expect(env.GF_SERVER_ROOT_URL).toBe(`https://${config.exposure.hostname}/grafana/`);
    expect(env.GF_SERVER_SERVE_FROM_SUB_PATH).toBe('true');
    expect(env.GF_SECURITY_ADMIN_PASSWORD).toEqual({ secretKeyRef: { name: 'grafana-admin', key: 'admin-password', optional: false } });
    expect(env.GF_AUTH_ANONYMOUS_ENABLED).toBe('false');
    expect(container.readinessProbe.httpGet).toMatchObject({ path: '/grafana/api/health' });
    const datasources = parse(find(objects, 'ConfigMap', 'grafana-provisioning', ns).data['datasources.yaml']);
    expect(datasources.datasources[0]).toMatchObject({
      uid: 'switchyard-prometheus',
      url: `http://prometheus.${ns}.svc.cluster.local:9090`,
    });
    const files = find(objects, 'ConfigMap', 'grafana-dashboards', ns).data;
    const expected = platformDashboards(config);
    expect(Object.keys(files).sort()).toEqual(Object.keys(expected).sort());
    for (const [file, dashboard] of Object.entries(expected))
      expect(JSON.parse(files[file])).toEqual(JSON.parse(JSON.stringify(dashboard)));
  });

  test('network flows: Prometheus to each metrics port (both sides), Grafana to Prometheus', () => {
    const egress = find(objects, 'NetworkPolicy', 'prometheus-to-gateway', ns);
    expect(egress.spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 8080 }]);
    const ingress = find(objects, 'NetworkPolicy', 'gateway-from-prometheus', config.namespaces.gateway);
    expect(ingress.spec.ingress[0].from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': ns });
    expect(find(objects, 'NetworkPolicy', 'prometheus-from-grafana', ns).spec.ingress[0].ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
    expect(find(objects, 'NetworkPolicy', 'prometheus-to-kubelets', ns).spec.egress[0].ports).toEqual([{ protocol: 'TCP', port: 10250 }]);
    expect(find(objects, 'NetworkPolicy', 'redis-exporter-to-redis', config.namespaces.data).spec.egress[0].ports).toEqual([
      { protocol: 'TCP', port: 6379 },
    ]);
  });

  test('the GPU exporter runs only in its own privileged namespace, with its exemptions recorded', () => {
    const gpuNs = `${ns}-gpu`;
    const namespace = find(objects, 'Namespace', gpuNs);
    expect(namespace.metadata?.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'privileged' });
    const daemonSet = objects.find((o) => o.kind === 'DaemonSet' && o.metadata?.namespace === gpuNs)!;
    expect(daemonSet.metadata?.name).toBe(config.profile === 'homelab' ? 'amd-metrics-exporter' : 'dcgm-exporter');
    expect(Object.keys(daemonSet.metadata?.annotations as object)).toEqual(
      expect.arrayContaining(['exempt.policy.switchyard.dev/no-privileged', 'exempt.policy.switchyard.dev/no-host-path']),
    );
    expect(objects.filter((o) => o.kind === 'DaemonSet' && o.metadata?.namespace !== gpuNs).map((o) => o.metadata?.name)).not.toContain(
      daemonSet.metadata?.name,
    );
    for (const tier of Object.values(config.namespaces))
      expect(find(objects, 'Namespace', tier).metadata?.labels).toMatchObject({ 'pod-security.kubernetes.io/enforce': 'restricted' });
  });
});

describe('Prometheus retention, volume and scrape interval from the config', () => {
  const config = parsePlatformConfig(
    {
      profile: 'homelab',
      storage: { storageClass: 'fast-nvme' },
      observability: { scrapeIntervalSeconds: 15, prometheus: { retention: '8w', storageSize: '1.5Ti' } },
    },
    'custom.yaml',
  );
  const objects = synth(config);
  const sts = find(objects, 'StatefulSet', 'prometheus', config.namespaces.observability);

  test('retention time as given, retention size 85% of the volume (1.5Ti: 1305GB), the PVC of the given size and class', () => {
    const args: string[] = sts.spec.template.spec.containers[0].args;
    expect(args.filter((a) => a.startsWith('--storage.tsdb.retention.'))).toEqual([
      '--storage.tsdb.retention.time=8w',
      '--storage.tsdb.retention.size=1305GB',
    ]);
    expect(sts.spec.volumeClaimTemplates[0].spec).toMatchObject({
      storageClassName: 'fast-nvme',
      resources: { requests: { storage: '1.5Ti' } },
    });
  });

  test('the scrape and evaluation interval as given', () => {
    const prometheusYml = parse(find(objects, 'ConfigMap', 'prometheus-config', config.namespaces.observability).data['prometheus.yml']);
    expect(prometheusYml.global).toMatchObject({ scrape_interval: '15s', evaluation_interval: '15s' });
  });

  test.each([
    ['1Gi', '870MB'],
    ['50Gi', '42GB'],
    ['2Ti', '1740GB'],
  ])('a %s volume keeps at most %s, never rounded up to the whole volume', (size, retained) => {
    expect(retentionSize(size)).toBe(retained);
  });
});

describe('prometheus-operator mode', () => {
  const base = EXAMPLE_PLATFORMS.find(([n]) => n === 'aws')![1];
  const config: PlatformConfig = {
    ...base,
    observability: { ...base.observability, prometheusOperator: { ...base.observability.prometheusOperator, enabled: true } },
  };
  const objects = synth(config);

  test('emits ServiceMonitors and a PrometheusRule (validated against the CRDs by the gate) instead of a Prometheus', () => {
    expect(objects.some((o) => o.kind === 'StatefulSet' && o.metadata?.name === 'prometheus')).toBe(false);
    expect(objects.some((o) => o.kind === 'ConfigMap' && o.metadata?.name === 'prometheus-config')).toBe(false);
    const gateway = find(objects, 'ServiceMonitor', 'gateway', config.namespaces.gateway);
    expect(gateway.metadata?.labels).toMatchObject({ release: 'kube-prometheus-stack' });
    expect(gateway.spec).toMatchObject({
      selector: { matchLabels: { 'app.kubernetes.io/name': 'gateway', 'app.kubernetes.io/instance': config.name } },
      endpoints: [{ targetPort: 8080, path: '/metrics' }],
    });
    expect(gateway.spec.endpoints[0].relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: 'gateway' },
      { action: 'drop', sourceLabels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_namespace'], targetLabel: 'namespace' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_name'], targetLabel: 'pod' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      { action: 'labeldrop', regex: 'service|container|endpoint' },
    ]);
    expect(find(objects, 'ServiceMonitor', 'qdrant', config.namespaces.data).spec.endpoints[0].authorization).toEqual({
      type: 'Bearer',
      credentials: { name: 'qdrant-api-key', key: 'api-key' },
    });
    const gpu = find(objects, 'PodMonitor', 'gpu', `${config.namespaces.observability}-gpu`).spec.podMetricsEndpoints[0];
    expect(gpu).toMatchObject({ portNumber: 9400, honorLabels: true });
    // The node of the exporter's pod, for the GPU alert and panel legends; the exporter's own
    // namespace and pod are dropped so the series keep those of the pod using the GPU.
    expect(gpu.relabelings).toEqual([
      { action: 'replace', targetLabel: 'job', replacement: 'gpu' },
      { action: 'drop', sourceLabels: ['__meta_kubernetes_pod_phase'], regex: 'Pending|Succeeded|Failed' },
      { action: 'replace', sourceLabels: ['__meta_kubernetes_pod_node_name'], targetLabel: 'node' },
      { action: 'labeldrop', regex: 'namespace|container|pod|endpoint' },
    ]);
    const rule = find(objects, 'PrometheusRule', 'switchyard', config.namespaces.observability);
    expect(rule.spec.groups).toEqual(JSON.parse(JSON.stringify(platformRuleGroups(config))));
  });

  test("Grafana reads the operator's Prometheus, which may reach each metrics port", () => {
    const datasources = parse(find(objects, 'ConfigMap', 'grafana-provisioning', config.namespaces.observability).data['datasources.yaml']);
    expect(datasources.datasources[0].url).toBe('http://kube-prometheus-stack-prometheus.monitoring.svc:9090');
    const egress = find(objects, 'NetworkPolicy', 'grafana-to-operator-prometheus', config.namespaces.observability).spec.egress[0];
    expect(egress).toEqual({
      to: [
        {
          namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } },
          podSelector: { matchLabels: { 'app.kubernetes.io/name': 'prometheus' } },
        },
      ],
      ports: [{ protocol: 'TCP', port: 9090 }],
    });
    const ingress = find(objects, 'NetworkPolicy', 'gateway-from-operator-prometheus', config.namespaces.gateway).spec.ingress[0];
    expect(ingress.from[0].namespaceSelector.matchLabels).toEqual({ 'kubernetes.io/metadata.name': 'monitoring' });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata?.namespace === 'monitoring')).toEqual([]);
  });
});

const STORAGE_SIZE_ALLOWED = 'a volume size in binary units (Mi, Gi or Ti) of at least 1Gi, such as 50Gi or 1.5Ti (not 100G, 2 or 500m)';

describe('config rules of the observability section', () => {
  test.each([
    [
      'retention is not a duration',
      { prometheus: { retention: '15 days' } },
      'observability.prometheus.retention: got "15 days"; expected a duration such as 36h, 15d, 8w or 1y',
    ],
    [
      'storage size is not a size',
      { prometheus: { storageSize: 'fifty' } },
      `observability.prometheus.storageSize: got "fifty"; expected ${STORAGE_SIZE_ALLOWED}`,
    ],
    [
      'storage size is in decimal units',
      { prometheus: { storageSize: '100G' } },
      `observability.prometheus.storageSize: got "100G"; expected ${STORAGE_SIZE_ALLOWED}`,
    ],
    [
      'storage size is a bare number of bytes',
      { prometheus: { storageSize: '2' } },
      `observability.prometheus.storageSize: got "2"; expected ${STORAGE_SIZE_ALLOWED}`,
    ],
    [
      'storage size is in millis',
      { prometheus: { storageSize: '500m' } },
      `observability.prometheus.storageSize: got "500m"; expected ${STORAGE_SIZE_ALLOWED}`,
    ],
    [
      'storage size is below 1Gi',
      { prometheus: { storageSize: '512Mi' } },
      `observability.prometheus.storageSize: got "512Mi"; expected ${STORAGE_SIZE_ALLOWED}`,
    ],
    [
      'the scrape interval is below 5 seconds',
      { scrapeIntervalSeconds: 1 },
      'observability.scrapeIntervalSeconds: got 1; expected a number >= 5',
    ],
  ])('fails when %s', (_case, observability, message) => {
    let thrown: unknown;
    try {
      parsePlatformConfig({ profile: 'homelab', observability }, 'x.yaml');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toBe(`x.yaml: 1 problem\n  ${message}`);
  });

  test('npm run synth reports a decimal storage size as a config problem, without a stack trace', () => {
    const file = join(tempDir(), 'bad-storage.yaml');
    writeFileSync(file, 'profile: homelab\nobservability:\n  prometheus:\n    storageSize: 100G\n');
    const result = spawnSync(
      process.execPath,
      [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'synth.ts'), '--config', file],
      {
        cwd: ROOT,
        encoding: 'utf8',
        env: { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' },
      },
    );
    expect(result.stderr).toBe(
      `synth failed, nothing was written.\n${file}: 1 problem\n  observability.prometheus.storageSize: got "100G"; expected ${STORAGE_SIZE_ALLOWED}\n`,
    );
    expect(result.status).toBe(1);
  });
});
