import { synthPlatform } from '../../synth/synth-platform';
import { readTree } from '../support/file-tree';
import { EXAMPLE_CONFIGS, ROOT, tempDir } from '../support/paths';

describe('synthesis is deterministic', () => {
  const configs = Object.values(EXAMPLE_CONFIGS);
  let first: Map<string, Buffer>;
  let second: Map<string, Buffer>;
  let roots: string[];

  beforeAll(() => {
    roots = [tempDir(), tempDir()];
    // The second run synthesizes in the reverse order: results must not depend on it either.
    for (const config of configs) synthPlatform({ configFile: config, rootDir: roots[0] });
    for (const config of [...configs].reverse()) synthPlatform({ configFile: config, rootDir: roots[1] });
    first = readTree(roots[0]);
    second = readTree(roots[1]);
  });

  it('writes dist/<profile>/ for each profile and one Terraform stack per profile', () => {
    const names = [...first.keys()];
    for (const profile of ['homelab', 'aws', 'gcp']) {
      expect(names.some((n) => n.startsWith(`dist/${profile}/`))).toBe(true);
      expect(names).toContain(`cdktf.out/stacks/switchyard-${profile}/cdk.tf.json`);
    }
    const manifest = JSON.parse(first.get('cdktf.out/manifest.json')!.toString()) as { stacks: Record<string, unknown> };
    expect(Object.keys(manifest.stacks)).toEqual(['switchyard-aws', 'switchyard-gcp', 'switchyard-homelab']);
  });

  it('gives byte-identical files across two runs in different directories', () => {
    expect([...second.keys()]).toEqual([...first.keys()]);
    for (const [name, content] of first) expect({ name, same: content.equals(second.get(name)!) }).toEqual({ name, same: true });
  });

  it('leaves no absolute path of this machine in any output', () => {
    for (const [name, content] of first) {
      const text = content.toString();
      for (const path of [roots[0], ROOT, '/tmp/', '/root/', '/home/'])
        expect({ name, leaks: text.includes(path) }).toEqual({ name, leaks: false });
    }
  });
});
