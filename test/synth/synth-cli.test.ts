import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { treeDigest } from '../support/file-tree';
import { tempDir } from '../support/paths';
import { projectCopy } from '../support/project-copy';

/** Runs scripts/synth.ts as `npm run synth` does, in the project copy `root`. */
function synthCli(root: string, args: string[]) {
  return spawnSync(process.execPath, [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'synth.ts'), ...args], {
    cwd: root,
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' },
  });
}

/** Outputs an earlier synth left, including the bad config's own profile (aws). */
const EARLIER_OUTPUTS: Record<string, string> = {
  'dist/aws/00-namespaces.yaml': '# dist/aws from an earlier synth\n',
  'dist/homelab/00-namespaces.yaml': '# dist/homelab from an earlier synth\n',
  'cdktf.out/manifest.json': '{"stacks":{"switchyard-aws":{}},"version":"earlier"}\n',
  'cdktf.out/stacks/switchyard-aws/cdk.tf.json': '{"earlier":true}\n',
};

describe('npm run synth (the CLI)', () => {
  let root: string;

  beforeAll(() => {
    root = projectCopy();
    for (const [file, content] of Object.entries(EARLIER_OUTPUTS)) {
      mkdirSync(dirname(join(root, file)), { recursive: true });
      writeFileSync(join(root, file), content);
    }
  });

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('exits 1 on a bad config, prints every problem with its path, and writes nothing', () => {
    const config = join(tempDir(), 'bad.yaml');
    writeFileSync(config, 'profile: aws\nenvironment: 7\ncluster:\n  regoin: us-east-1\n  vpcCidr: 10.0.0.0/8x\n');
    const topLevel = readdirSync(root).sort();
    const dist = treeDigest(join(root, 'dist'));
    const terraform = treeDigest(join(root, 'cdktf.out'));
    expect(Object.keys(dist)).toContain('aws/00-namespaces.yaml');

    const result = synthCli(root, ['--config', config]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('synth failed, nothing was written.');
    expect(result.stderr).toContain('environment: got 7; expected a value of type string');
    expect(result.stderr).toContain('cluster.regoin: got unknown key "regoin"');
    expect(result.stderr).toContain('cluster.vpcCidr: got "10.0.0.0/8x"; expected an IPv4 CIDR block such as 10.0.0.0/16');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    // Nothing written: no staging directory beside the outputs, and every file of both trees as it was.
    expect(readdirSync(root).sort()).toEqual(topLevel);
    expect(treeDigest(join(root, 'dist'))).toEqual(dist);
    expect(treeDigest(join(root, 'cdktf.out'))).toEqual(terraform);
  });

  it('rejects unknown command-line options', () => {
    const result = synthCli(root, ['--confg', 'x.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--confg'");
    expect(result.stderr).toContain('usage: npm run synth [-- --config <file>]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
