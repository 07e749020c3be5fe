import { parse } from 'yaml';
import { ADDON_CHARTS } from '../../constructs/addons/addon-charts';
import type { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { synthAwsStack } from './aws-stack-synth';

function releases(stack: TerraformStackJson) {
  return new Map(stack.resourcesOfType('helm_release').map((r) => [r.values.name as string, r]));
}

describe('cluster add-ons of the aws stack (Helm)', () => {
  const { stack } = synthAwsStack();
  const byName = releases(stack);

  it('configures the helm provider from the EKS cluster, with a token from `aws eks get-token`', () => {
    const [helm] = stack.providers('helm');
    const kubernetes = helm.kubernetes as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(stack.referenced(kubernetes.host)?.type).toBe('aws_eks_cluster');
    expect(kubernetes.cluster_ca_certificate).toMatch(/^\$\{base64decode\(aws_eks_cluster\.\w+\.certificate_authority\[0\]\.data\)\}$/);
    expect(kubernetes.exec).toEqual({
      api_version: 'client.authentication.k8s.io/v1beta1',
      command: 'aws',
      args: [
        'eks',
        'get-token',
        '--cluster-name',
        expect.stringMatching(/^\$\{aws_eks_cluster\.\w+\.name\}$/),
        '--region',
        'us-east-1',
        '--output',
        'json',
      ],
    });
    expect(kubernetes.token).toBeUndefined();
  });

  it('installs Envoy Gateway, metrics-server and the NVIDIA device plugin at their pinned chart versions', () => {
    expect([...byName.keys()].sort()).toEqual(['envoy-gateway', 'metrics-server', 'nvidia-device-plugin']);
    for (const [name, chart] of [
      ['envoy-gateway', ADDON_CHARTS.envoyGateway],
      ['metrics-server', ADDON_CHARTS.metricsServer],
      ['nvidia-device-plugin', ADDON_CHARTS.nvidiaDevicePlugin],
    ] as const)
      expect(byName.get(name)!.values).toMatchObject({ chart: chart.chart, version: chart.version, repository: chart.repository });
  });

  it('puts the device plugin on the GPU nodes: tolerating their taint, selecting their label', () => {
    const values = parse((byName.get('nvidia-device-plugin')!.values.values as string[])[0]);
    expect(values.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(values.tolerations).toContainEqual({ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' });
  });

  it('waits for the node groups and CoreDNS before installing', () => {
    for (const release of byName.values())
      expect((release.values.depends_on as string[]).map((d) => stack.block(d)?.type).sort()).toEqual([
        'aws_eks_addon',
        'aws_eks_node_group',
        'aws_eks_node_group',
      ]);
  });

  it('adds Argo CD when GitOps is on, and no device plugin without GPU pools', () => {
    const altered = synthAwsStack((raw) => {
      raw.gitops = { enabled: true, repoUrl: 'https://github.com/example/platform.git', path: 'dist/aws', revision: 'main' };
      raw.cluster.nodePools = [raw.cluster.nodePools[0]];
    }).stack;
    expect([...releases(altered).keys()].sort()).toEqual(['argocd', 'envoy-gateway', 'metrics-server']);
    expect(releases(altered).get('argocd')!.values).toMatchObject({
      chart: ADDON_CHARTS.argoCd.chart,
      version: ADDON_CHARTS.argoCd.version,
    });
  });
});
