import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, tempDir } from '../support/paths';

/** Runs scripts/synth.ts as `npm run synth` does, with the working directory in a temp folder. */
function synthCli(args: string[]) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(ROOT, 'scripts', 'synth.ts'), ...args], {
    encoding: 'utf8',
    env: { ...process.env, CHECKPOINT_DISABLE: '1' },
  });
}

describe('npm run synth (the CLI)', () => {
  it('exits 1 on a bad config, prints every problem with its path, and writes nothing', () => {
    const dir = tempDir();
    const config = join(dir, 'bad.yaml');
    writeFileSync(config, 'profile: aws\nenvironment: 7\ncluster:\n  regoin: us-east-1\n  vpcCidr: 10.0.0.0/8x\n');
    const before = readdirSync(ROOT).sort();
    const result = synthCli(['--config', config]);
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('synth failed, nothing was written.');
    expect(result.stderr).toContain('environment: got 7; expected a value of type string');
    expect(result.stderr).toContain('cluster.regoin: got unknown key "regoin"');
    expect(result.stderr).toContain('cluster.vpcCidr: got "10.0.0.0/8x"; expected an IPv4 CIDR block such as 10.0.0.0/16');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(readdirSync(ROOT).sort()).toEqual(before);
    expect(existsSync(join(ROOT, 'dist', 'aws.staging-' + result.pid))).toBe(false);
  });

  it('rejects unknown command-line options', () => {
    const result = synthCli(['--confg', 'x.yaml']);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("Unknown option '--confg'");
    expect(result.stderr).toContain('usage: npm run synth [-- --config <file>]');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});
