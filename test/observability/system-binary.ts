/**
 * Real Prometheus binaries for tests (Debian package "prometheus", installed by .ci/run). A test
 * that needs one skips with a message when it is missing, except under CI=true, where a missing
 * binary is a failure: CI must never pass by skipping.
 */
import { execFile, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

/** True when `name` runs; throws under CI=true when it does not. */
export function hasBinary(name: string): boolean {
  const found = !spawnSync(name, ['--version'], { stdio: 'ignore' }).error;
  if (!found && process.env.CI === 'true')
    throw new Error(`${name} is not installed, and CI=true never skips: install the Debian package "prometheus"`);
  if (!found) console.warn(`skipped: ${name} is not installed (Debian package "prometheus")`);
  return found;
}

/** `test`, or `test.skip` when the binary is missing (outside CI). */
export function testWithBinary(name: string): jest.It {
  return hasBinary(name) ? test : test.skip;
}

export interface ToolResult {
  readonly code: number;
  readonly output: string;
}

/** Runs a tool and returns its exit code and combined output (never throws on a non-zero exit). */
export async function runTool(binary: string, args: readonly string[], cwd?: string): Promise<ToolResult> {
  try {
    const { stdout, stderr } = await execFileAsync(binary, [...args], { cwd, encoding: 'utf8' });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}
