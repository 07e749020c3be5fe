/** The homelab add-ons stack: only Helm, against the configured context, add-ons chosen by the config. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import type { HomelabPlatformConfig } from '../../config/platform-config';
import { ADDON_CHARTS } from '../../constructs/addons/addon-charts';
import { Testing } from '../../constructs/cdktf';
import { HomelabAddonsStack } from '../../infra/homelab-addons-stack';
import { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS } from '../support/paths';

/** The parts of a homelab YAML file the tests change. */
interface RawHomelabConfig {
  cluster: Record<string, unknown>;
  exposure: { metallb?: unknown; tailscale: { enabled: boolean; oauthSecretName: string } };
  gitops?: unknown;
}

function homelabConfig(file: string, override: (raw: RawHomelabConfig) => void = () => {}): HomelabPlatformConfig {
  const raw = parse(readFileSync(file, 'utf8')) as RawHomelabConfig;
  override(raw);
  const config = parsePlatformConfig(raw, file);
  if (config.profile !== 'homelab') throw new Error(`${file} is not a homelab config`);
  return config;
}

function synth(config: HomelabPlatformConfig): TerraformStackJson {
  const stack = new HomelabAddonsStack(Testing.app(), 'homelab', { config });
  return new TerraformStackJson(JSON.parse(Testing.synth(stack)));
}

function chartsOf(stack: TerraformStackJson): string[] {
  return stack
    .resourcesOfType('helm_release')
    .map((r) => r.values.chart as string)
    .sort();
}

function releaseOf(stack: TerraformStackJson, chart: string) {
  const release = stack.resourcesOfType('helm_release').find((r) => r.values.chart === chart);
  if (!release) throw new Error(`no release of chart ${chart}`);
  return { ...release.values, parsedValues: parse((release.values.values as string[])[0]) as Record<string, unknown> };
}

describe('HomelabAddonsStack', () => {
  it('uses only the Helm provider, against the kubeconfig and context of the config', () => {
    const stack = synth(homelabConfig(DEFAULT_CONFIG));
    expect(stack.providerNames).toEqual(['helm']);
    expect(stack.providers('helm')[0]).toEqual({ kubernetes: { config_path: '~/.kube/config', config_context: 'homelab' } });
    expect(new Set(stack.resources.map((r) => r.type))).toEqual(new Set(['helm_release']));
  });

  it('installs MetalLB, the Tailscale operator, Envoy Gateway and the AMD device plugin for the seed config', () => {
    const stack = synth(homelabConfig(DEFAULT_CONFIG));
    expect(chartsOf(stack)).toEqual(['amd-gpu', 'gateway-helm', 'metallb', 'tailscale-operator']);
    for (const release of stack.resourcesOfType('helm_release')) {
      const pinned = Object.values(ADDON_CHARTS).find((c) => c.chart === release.values.chart);
      expect(release.values.version).toBe(pinned?.version);
    }
  });

  it('reads the Tailscale OAuth client from the configured Secret by reference only', () => {
    const stack = synth(homelabConfig(DEFAULT_CONFIG, (raw) => (raw.exposure.tailscale.oauthSecretName = 'ts-oauth')));
    const tailscale = releaseOf(stack, 'tailscale-operator');
    expect(tailscale.parsedValues.oauthSecretVolume).toEqual({ secret: { secretName: 'ts-oauth' } });
    expect(tailscale.parsedValues.oauth).toEqual({});
    expect(tailscale).not.toHaveProperty('set_sensitive');
  });

  it.each([
    ['nvidia', 'nvidia-device-plugin'],
    ['amd', 'amd-gpu'],
  ])('picks the %s device plugin by cluster.gpuVendor', (vendor, chart) => {
    const stack = synth(homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => (raw.cluster.gpuVendor = vendor)));
    const plugins = chartsOf(stack).filter((c) => c === 'nvidia-device-plugin' || c === 'amd-gpu');
    expect(plugins).toEqual([chart]);
  });

  it('installs no device plugin when gpuVendor is none', () => {
    const stack = synth(homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => (raw.cluster.gpuVendor = 'none')));
    expect(chartsOf(stack)).toEqual(['gateway-helm', 'metallb', 'tailscale-operator']);
  });

  it('passes cluster.gpuNodeSelector to the device plugin', () => {
    const selector = { 'kubernetes.io/hostname': 'ryzen-ai' };
    const amd = synth(homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => (raw.cluster.gpuNodeSelector = selector)));
    expect(releaseOf(amd, 'amd-gpu').parsedValues).toMatchObject({ node_selector_enabled: true, node_selector: selector });
    const nvidia = synth(
      homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => Object.assign(raw.cluster, { gpuVendor: 'nvidia', gpuNodeSelector: selector })),
    );
    expect(releaseOf(nvidia, 'nvidia-device-plugin').parsedValues).toMatchObject({ nodeSelector: selector, affinity: null });
  });

  it('leaves out MetalLB without address pools and the Tailscale operator when Tailscale is off', () => {
    const stack = synth(
      homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => {
        delete raw.exposure.metallb;
        raw.exposure.tailscale.enabled = false;
      }),
    );
    expect(chartsOf(stack)).toEqual(['amd-gpu', 'gateway-helm']);
  });

  it('adds Argo CD when GitOps is enabled', () => {
    const gitops = { enabled: true, repoUrl: 'https://github.com/example/platform.git', path: 'dist/homelab', revision: 'main' };
    const stack = synth(homelabConfig(EXAMPLE_CONFIGS.homelab, (raw) => (raw.gitops = gitops)));
    expect(releaseOf(stack, 'argo-cd')).toMatchObject({ namespace: 'argocd', version: ADDON_CHARTS.argoCd.version });
  });
});
