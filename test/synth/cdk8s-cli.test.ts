/**
 * `npx cdk8s synth`, the real cdk8s CLI, in a copy of the project. The CLI deletes its output
 * folder before it runs the app; these tests hold it to what `npm run synth` promises: a bad
 * config writes nothing, a good run replaces only its own profile's dist/<profile>/, and the
 * files are the ones `npm run synth` writes.
 */
import { spawnSync } from 'node:child_process';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { treeDigest } from '../support/file-tree';
import { tempDir } from '../support/paths';
import { projectCopy } from '../support/project-copy';

const ENV = { ...process.env, CHECKPOINT_DISABLE: '1', CDK8S_CHECK_UPGRADE: 'false' };

function cdk8sSynth(root: string, configFile: string) {
  return spawnSync('npx', ['cdk8s', 'synth'], { cwd: root, encoding: 'utf8', env: { ...ENV, SWITCHYARD_CONFIG: configFile } });
}

/** `npm run synth -- --config <file>`, as package.json runs it, in the copy. */
function npmSynth(root: string, configFile: string) {
  return spawnSync(
    process.execPath,
    [join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(root, 'scripts', 'synth.ts'), '--config', configFile],
    {
      cwd: root,
      encoding: 'utf8',
      env: ENV,
    },
  );
}

function expectSuccess(result: ReturnType<typeof spawnSync>): void {
  if (result.status !== 0) throw new Error(`exit ${result.status}\n${String(result.stdout)}\n${String(result.stderr)}`);
}

describe('npx cdk8s synth (the real cdk8s CLI)', () => {
  let root: string;
  /** dist/homelab/ as `npm run synth` wrote it. */
  let homelabByNpm: Record<string, string>;

  beforeAll(() => {
    root = projectCopy();
    // Earlier outputs of two profiles, both sides, as `npm run synth` leaves them.
    expectSuccess(npmSynth(root, 'examples/aws.yaml'));
    expectSuccess(npmSynth(root, 'platform.yaml'));
    homelabByNpm = treeDigest(join(root, 'dist', 'homelab'));
  }, 120_000);

  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('fails on a bad config with every problem listed, and leaves dist/ and cdktf.out/ exactly as they were', () => {
    const bad = join(tempDir(), 'bad.yaml');
    writeFileSync(bad, 'profile: aws\nenvironment: 7\ncluster:\n  regoin: us-east-1\n');
    const dist = treeDigest(join(root, 'dist'));
    const terraform = treeDigest(join(root, 'cdktf.out'));
    expect(Object.keys(dist).filter((f) => f.startsWith('aws/')).length).toBeGreaterThan(0);

    const result = cdk8sSynth(root, bad);

    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain('synth failed, nothing was written.');
    expect(result.stderr).toContain(`${bad}: 2 problems`);
    expect(result.stderr).toContain('environment: got 7; expected a value of type string');
    expect(result.stderr).toContain('cluster.regoin: got unknown key "regoin"');
    expect(treeDigest(join(root, 'dist'))).toEqual(dist);
    expect(treeDigest(join(root, 'cdktf.out'))).toEqual(terraform);
  }, 120_000);

  it('writes one profile into its own dist/<profile>/, byte for byte what npm run synth writes, and leaves the other profiles and cdktf.out/ alone', () => {
    rmSync(join(root, 'dist', 'homelab'), { recursive: true });
    const aws = treeDigest(join(root, 'dist', 'aws'));
    const terraform = treeDigest(join(root, 'cdktf.out'));
    expect(Object.keys(aws).length).toBeGreaterThan(0);

    const result = cdk8sSynth(root, 'platform.yaml');

    expectSuccess(result);
    expect(result.stderr).toContain('-> dist/homelab/');
    expect(treeDigest(join(root, 'dist', 'homelab'))).toEqual(homelabByNpm);
    expect(treeDigest(join(root, 'dist', 'aws'))).toEqual(aws);
    expect(treeDigest(join(root, 'cdktf.out'))).toEqual(terraform);
    // The CLI's own folder, which it empties on every run, holds a copy the CLI lists.
    expect(treeDigest(join(root, 'cdk8s.out'))).toEqual(homelabByNpm);
    expect(result.stdout).toContain('cdk8s.out/00-namespaces.yaml');
  }, 120_000);
});
