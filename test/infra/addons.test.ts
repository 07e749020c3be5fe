/** The Helm add-on constructs: pinned charts, namespaces, and the values that carry meaning. */
import { HelmProvider } from '@cdktf/provider-helm/lib/provider';
import { parse } from 'yaml';
import { ADDON_CHARTS } from '../../constructs/addons/addon-charts';
import { AmdGpuDevicePlugin } from '../../constructs/addons/amd-gpu-device-plugin';
import { ArgoCd } from '../../constructs/addons/argo-cd';
import { EnvoyGateway } from '../../constructs/addons/envoy-gateway';
import { MetalLb } from '../../constructs/addons/metallb';
import { MetricsServer } from '../../constructs/addons/metrics-server';
import { NvidiaDevicePlugin } from '../../constructs/addons/nvidia-device-plugin';
import { TailscaleOperator } from '../../constructs/addons/tailscale-operator';
import { TerraformStack, Testing } from '../../constructs/cdktf';
import { TerraformStackJson, type TerraformBlock } from '../../policy/terraform/terraform-stack-json';

function synthAddons(build: (stack: TerraformStack) => void): TerraformStackJson {
  const stack = new TerraformStack(Testing.app(), 'addons');
  new HelmProvider(stack, 'helm', { kubernetes: { configPath: '~/.kube/config' } });
  build(stack);
  return new TerraformStackJson(JSON.parse(Testing.synth(stack)));
}

function onlyRelease(stack: TerraformStackJson): TerraformBlock {
  const releases = stack.resourcesOfType('helm_release');
  expect(releases).toHaveLength(1);
  return releases[0];
}

function valuesOf(release: TerraformBlock): Record<string, unknown> {
  const values = release.values.values as string[];
  expect(values).toHaveLength(1);
  return parse(values[0]) as Record<string, unknown>;
}

describe('pinned add-on charts', () => {
  it.each(Object.entries(ADDON_CHARTS))('%s pins one exact version with its date and source', (_name, chart) => {
    expect(chart.version).toMatch(/^v?\d+\.\d+\.\d+$/);
    expect(chart.checkedOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(chart.source.length).toBeGreaterThan(10);
    expect(chart.repository).toMatch(/^(https|oci):\/\//);
  });
});

describe('add-on releases', () => {
  it.each([
    ['EnvoyGateway', (s: TerraformStack) => new EnvoyGateway(s, 'envoy-gateway'), ADDON_CHARTS.envoyGateway, 'envoy-gateway-system'],
    [
      'NvidiaDevicePlugin',
      (s: TerraformStack) => new NvidiaDevicePlugin(s, 'nvidia'),
      ADDON_CHARTS.nvidiaDevicePlugin,
      'nvidia-device-plugin',
    ],
    [
      'AmdGpuDevicePlugin',
      (s: TerraformStack) => new AmdGpuDevicePlugin(s, 'amd'),
      ADDON_CHARTS.amdGpuDevicePlugin,
      'amd-gpu-device-plugin',
    ],
    ['MetalLb', (s: TerraformStack) => new MetalLb(s, 'metallb'), ADDON_CHARTS.metallb, 'metallb-system'],
    [
      'TailscaleOperator',
      (s: TerraformStack) => new TailscaleOperator(s, 'ts', { oauthSecretName: 'operator-oauth' }),
      ADDON_CHARTS.tailscaleOperator,
      'tailscale',
    ],
    ['MetricsServer', (s: TerraformStack) => new MetricsServer(s, 'metrics'), ADDON_CHARTS.metricsServer, 'kube-system'],
    ['ArgoCd', (s: TerraformStack) => new ArgoCd(s, 'argocd'), ADDON_CHARTS.argoCd, 'argocd'],
  ] as const)('%s installs its pinned chart atomically into a namespace the release creates', (_name, build, chart, namespace) => {
    const release = onlyRelease(synthAddons(build));
    expect(release.values).toMatchObject({
      repository: chart.repository,
      chart: chart.chart,
      version: chart.version,
      namespace,
      create_namespace: true,
      atomic: true,
      cleanup_on_fail: true,
      wait: true,
    });
  });

  it('Envoy Gateway comes from the OCI registry and installs its CRDs (skip_crds not set)', () => {
    const release = onlyRelease(synthAddons((s) => new EnvoyGateway(s, 'eg', { replicas: 2 })));
    expect(`${release.values.repository as string}/${release.values.chart as string}`).toBe('oci://docker.io/envoyproxy/gateway-helm');
    expect(release.values.skip_crds).toBeUndefined();
    expect(valuesOf(release)).toEqual({ deployment: { replicas: 2 } });
  });

  it('the NVIDIA plugin tolerates the nvidia.com/gpu taint with any value, and a node selector replaces the NFD affinity', () => {
    const plain = valuesOf(onlyRelease(synthAddons((s) => new NvidiaDevicePlugin(s, 'nvidia'))));
    expect(plain.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(plain).not.toHaveProperty('affinity');
    expect(plain).not.toHaveProperty('nodeSelector');

    const selected = valuesOf(
      onlyRelease(synthAddons((s) => new NvidiaDevicePlugin(s, 'nvidia', { nodeSelector: { 'switchyard.dev/gpu': 'nvidia' } }))),
    );
    expect(selected.nodeSelector).toEqual({ 'switchyard.dev/gpu': 'nvidia' });
    expect(selected.affinity).toBeNull();
  });

  it('the AMD plugin tolerates amd.com/gpu, drops capabilities, and enables its node selector only when given one', () => {
    const plain = valuesOf(onlyRelease(synthAddons((s) => new AmdGpuDevicePlugin(s, 'amd'))));
    expect(plain.tolerations).toContainEqual({ key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
    expect(plain.securityContext).toEqual({ allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'] } });
    expect(plain.node_selector_enabled).toBe(false);

    const selected = valuesOf(
      onlyRelease(synthAddons((s) => new AmdGpuDevicePlugin(s, 'amd', { nodeSelector: { 'kubernetes.io/hostname': 'ryzen-ai' } }))),
    );
    expect(selected.node_selector_enabled).toBe(true);
    expect(selected.node_selector).toEqual({ 'kubernetes.io/hostname': 'ryzen-ai' });
  });

  it('the Tailscale operator mounts the OAuth client from the named Secret and never carries credentials', () => {
    const stack = synthAddons((s) => new TailscaleOperator(s, 'ts', { oauthSecretName: 'operator-oauth', namespace: 'tailnet' }));
    const release = onlyRelease(stack);
    const values = valuesOf(release);
    expect(values.oauthSecretVolume).toEqual({ secret: { secretName: 'operator-oauth' } });
    expect(values.oauth).toEqual({});
    expect(release.values.namespace).toBe('tailnet');
    expect(release.values.set_sensitive).toBeUndefined();
    expect(release.values.set).toBeUndefined();
    expect(JSON.stringify(stack.toJson())).not.toMatch(/client_?secret|clientSecret/i);
  });

  it('metrics-server runs two replicas behind a PodDisruptionBudget by default, one without', () => {
    expect(valuesOf(onlyRelease(synthAddons((s) => new MetricsServer(s, 'm'))))).toEqual({
      replicas: 2,
      podDisruptionBudget: { enabled: true, minAvailable: 1 },
    });
    expect(valuesOf(onlyRelease(synthAddons((s) => new MetricsServer(s, 'm', { replicas: 1 }))))).toEqual({
      replicas: 1,
      podDisruptionBudget: { enabled: false },
    });
  });

  it('Argo CD ships without Dex, and MetalLB with its CRDs', () => {
    expect(valuesOf(onlyRelease(synthAddons((s) => new ArgoCd(s, 'argocd'))))).toEqual({ dex: { enabled: false } });
    expect(valuesOf(onlyRelease(synthAddons((s) => new MetalLb(s, 'metallb'))))).toEqual({ crds: { enabled: true } });
  });
});
