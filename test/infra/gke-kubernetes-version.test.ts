/** The gcp profile's `cluster.kubernetesVersion`: the GKE cluster's minimum control plane version. */
import { parsePlatformConfig } from '../../config/load-config';
import { Testing } from '../../constructs/cdktf';
import { GcpPlatformStack } from '../../infra/gcp-platform-stack';
import { TerraformStackJson } from '../../policy/terraform/terraform-stack-json';

function clusterOf(cluster: Record<string, unknown>): Record<string, unknown> {
  const config = parsePlatformConfig({ profile: 'gcp', cluster: { project: 'switchyard-demo-123', ...cluster } });
  if (config.profile !== 'gcp') throw new Error('not a gcp config');
  const stack = new TerraformStackJson(JSON.parse(Testing.synth(new GcpPlatformStack(Testing.app(), 'gcp', { config }))));
  const clusters = stack.resourcesOfType('google_container_cluster');
  expect(clusters).toHaveLength(1);
  return clusters[0].values;
}

describe('GKE Kubernetes version', () => {
  it('sets min_master_version to the configured minor version, still on the release channel', () => {
    const cluster = clusterOf({ kubernetesVersion: '1.33', releaseChannel: 'STABLE' });
    expect(cluster.min_master_version).toBe('1.33');
    expect(cluster.release_channel).toEqual({ channel: 'STABLE' });
  });

  it('leaves the version to the release channel when none is configured', () => {
    const cluster = clusterOf({});
    expect(cluster).not.toHaveProperty('min_master_version');
    expect(cluster.release_channel).toEqual({ channel: 'REGULAR' });
  });
});
