import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../../config/config-error';
import { loadPlatformConfig, parsePlatformConfig } from '../../config/load-config';
import { DEFAULT_CONFIG, EXAMPLE_CONFIGS, tempDir } from '../support/paths';

function problemsOf(fn: () => unknown): string[] {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((p) => `${p.path}: got ${p.got}; expected ${p.expected}`);
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('loading the platform config', () => {
  it.each([
    ['platform.yaml', 'homelab', DEFAULT_CONFIG],
    ['examples/homelab.yaml', 'homelab', EXAMPLE_CONFIGS.homelab],
    ['examples/aws.yaml', 'aws', EXAMPLE_CONFIGS.aws],
    ['examples/gcp.yaml', 'gcp', EXAMPLE_CONFIGS.gcp],
  ])('accepts %s as the %s profile', (_name, profile, file) => {
    expect(loadPlatformConfig(file).profile).toBe(profile);
  });

  it('merges profile defaults under the file: the default config is homelab with the seed models (and the RAG embedding model) and local-path storage', () => {
    const config = loadPlatformConfig(DEFAULT_CONFIG);
    expect(config.profile).toBe('homelab');
    expect(config.models.map((m) => m.name)).toEqual(['codellama', 'llama3.2:3b', 'gemma2', 'nomic-embed-text']);
    expect(config.openWebUi.embeddingModel).toBe('nomic-embed-text');
    expect(config.storage.storageClass).toBe('local-path');
    expect(config.namespaces).toEqual({
      edge: 'ai-edge',
      gateway: 'ai-gateway',
      models: 'ai-models',
      data: 'ai-data',
      ui: 'ai-ui',
      observability: 'ai-observability',
    });
  });

  it('gives each cloud profile its own defaults', () => {
    const aws = parsePlatformConfig({ profile: 'aws' });
    const gcp = parsePlatformConfig({ profile: 'gcp', cluster: { project: 'demo-project-1' } });
    expect(aws.storage.storageClass).toBe('gp3');
    expect(aws.profile === 'aws' && aws.cluster.endpoint.publicAccess).toBe(false);
    expect(gcp.storage.storageClass).toBe('standard-rwo');
    expect(gcp.profile === 'gcp' && gcp.cluster.nodePools.find((p) => p.gpu)?.gpu?.type).toBe('nvidia-l4');
  });

  it('replaces a discriminated default object instead of merging into it (tls mode none)', () => {
    const config = parsePlatformConfig({ profile: 'homelab', exposure: { tls: { mode: 'none' } } });
    expect(config.exposure.tls).toEqual({ mode: 'none' });
  });

  it('fails with a wrong type, an unknown key and a missing required field all listed by path', () => {
    const problems = problemsOf(() =>
      parsePlatformConfig(
        {
          profile: 'gcp',
          environment: 42,
          cluster: { region: 'us-central1', nodeCount: 3 },
        },
        'bad.yaml',
      ),
    );
    expect(problems).toEqual(
      expect.arrayContaining([
        'environment: got 42; expected a value of type string',
        'cluster.nodeCount: got unknown key "nodeCount"; expected one of the keys project, region, releaseChannel, kubernetesVersion, network, authorizedNetworks, nodePools',
        'cluster.project: got missing; expected a value of type string',
      ]),
    );
    expect(problems).toHaveLength(3);
  });

  it('fails when the profile is unknown with every other problem too: the keys all profiles share are still checked', () => {
    expect(() => parsePlatformConfig({ profile: 'azure', foo: 1, name: 42 }, 'x.yaml')).toThrow(
      [
        'x.yaml: 3 problems',
        '  profile: got "azure"; expected one of "aws", "gcp", "homelab"',
        '  name: got 42; expected a value of type string',
        '  foo: got unknown key "foo"; expected one of the keys profile, cluster, name, environment, namespaces, components, exposure, storage, models, ollama, data, gateway, openWebUi, gitops, observability',
      ].join('\n'),
    );
  });

  it('fails when the profile is missing, still checking nested shared keys and leaving profile defaults (storageClass) and cluster alone', () => {
    expect(
      problemsOf(() => parsePlatformConfig({ exposure: { tls: { mode: 'bad' } }, storage: { bogus: 1 }, cluster: { anything: true } })),
    ).toEqual([
      'profile: got missing; expected one of "aws", "gcp", "homelab"',
      'exposure.tls.mode: got "bad"; expected one of "secret", "cert-manager", "none"',
      'storage.bogus: got unknown key "bogus"; expected one of the keys storageClass, modelStorage',
    ]);
  });

  it('names the file and every problem in the error message', () => {
    expect(() => parsePlatformConfig({ profile: 'aws', name: 'Not_A_Label' }, 'x.yaml')).toThrow(
      'x.yaml: 1 problem\n  name: got "Not_A_Label"; expected a DNS label: lower-case letters, digits and "-", starting and ending with a letter or digit',
    );
  });

  it.each([
    [{ profile: 'azure' }, 'profile: got "azure"; expected one of "aws", "gcp", "homelab"'],
    [{}, 'profile: got missing; expected one of "aws", "gcp", "homelab"'],
    [{ profile: 'homelab', cluster: { gpuVendor: 'intel' } }, 'cluster.gpuVendor: got "intel"; expected one of "nvidia", "amd", "none"'],
    [
      { profile: 'homelab', exposure: { metallb: { addressPools: [{ name: 'lan', addresses: ['192.168.1.300-192.168.1.301'] }] } } },
      'exposure.metallb.addressPools[0].addresses[0]: got "192.168.1.300-192.168.1.301"; expected an IPv4 CIDR (192.168.1.240/28) or a range first-last (192.168.1.101-192.168.1.102)',
    ],
    [
      { profile: 'homelab', exposure: { metallb: { addressPools: [{ name: 'lan', addresses: ['192.168.1.102-192.168.1.101'] }] } } },
      'exposure.metallb.addressPools[0].addresses[0]: got "192.168.1.102-192.168.1.101"; expected an IPv4 CIDR (192.168.1.240/28) or a range first-last (192.168.1.101-192.168.1.102)',
    ],
    [
      { profile: 'aws', cluster: { vpcCidr: '10.0.0.0/33' } },
      'cluster.vpcCidr: got "10.0.0.0/33"; expected an IPv4 CIDR block such as 10.0.0.0/16',
    ],
    [
      { profile: 'homelab', models: [{ name: 'Llama3:8B' }] },
      'models[0].name: got "Llama3:8B"; expected an Ollama model such as llama3.2:3b or library/gemma2 (lower case, optional :tag)',
    ],
    [
      { profile: 'homelab', gateway: { image: { tag: 'latest' } } },
      'gateway.image.tag: got "latest"; expected a pinned image tag (not "latest")',
    ],
    [
      { profile: 'aws', cluster: { kubernetesVersion: '1.25' } },
      'cluster.kubernetesVersion: got "1.25"; expected a version in EKS standard support on 2026-12-02 (config/eks-support-calendar.ts): "1.35"',
    ],
  ])('fails on %j', (raw, message) => {
    expect(problemsOf(() => parsePlatformConfig(raw))).toEqual([message]);
  });

  it('reports YAML syntax errors with their line', () => {
    const dir = tempDir();
    const file = join(dir, 'broken.yaml');
    writeFileSync(file, 'profile: homelab\ncluster:\n  context: [unclosed\n');
    expect(problemsOf(() => loadPlatformConfig(file))[0]).toMatch(/^line \d+: got invalid YAML; expected /);
  });

  it('reports a duplicate key instead of silently keeping one', () => {
    const dir = tempDir();
    const file = join(dir, 'dup.yaml');
    writeFileSync(file, 'profile: homelab\nname: a\nname: b\n');
    expect(problemsOf(() => loadPlatformConfig(file))[0]).toMatch(/got invalid YAML; expected Map keys must be unique/);
  });

  it('reports a missing file', () => {
    expect(problemsOf(() => loadPlatformConfig('/nonexistent/platform.yaml'))).toEqual([
      ': got an unreadable file (ENOENT); expected a readable YAML file',
    ]);
  });
});
