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

  it('installs Envoy Gateway, metrics-server, the NVIDIA device plugin and (GitOps on in the example) Argo CD at their pinned chart versions', () => {
    expect([...byName.keys()].sort()).toEqual(['argocd', 'envoy-gateway', 'metrics-server', 'nvidia-device-plugin']);
    for (const [name, chart] of [
      ['argocd', ADDON_CHARTS.argoCd],
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

  it('leaves Argo CD out without GitOps, and the device plugin without GPU pools', () => {
    const withoutGitops = synthAwsStack((raw) => {
      delete raw.gitops;
    }).stack;
    expect([...releases(withoutGitops).keys()].sort()).toEqual(['envoy-gateway', 'metrics-server', 'nvidia-device-plugin']);
    const disabled = synthAwsStack((raw) => {
      raw.gitops.enabled = false;
      raw.cluster.nodePools = [raw.cluster.nodePools[0]];
    }).stack;
    expect([...releases(disabled).keys()].sort()).toEqual(['envoy-gateway', 'metrics-server']);
  });
});
