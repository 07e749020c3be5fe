/**
 * `terraform validate` on the synthesized aws stack, offline: the AWS provider comes from a local
 * filesystem mirror (/opt/tf-plugins), never the registry. Validation checks every resource
 * against the provider's real schema (attribute names and types, required blocks, enum values
 * such as ami_type) without credentials.
 *
 * What the validated copy changes, and why:
 * - the aws provider is pinned to 5.100.0, the version mirrored here (the generated binding, and
 *   so cdk.tf.json, asks for 6.x; the stack uses only attributes both versions have);
 * - the backend is not initialised (`init -backend=false`);
 * - Helm resources and the helm provider are removed when the mirror has no helm provider: the
 *   point is to validate the AWS resources, and the Helm releases' own tests cover their values.
 *   What terraform would reject in them regardless of the provider, a `depends_on` that is not a
 *   static reference, is checked here on the full stack.
 * Skips (printing why) only when terraform or the mirror is missing, and never under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { synthPlatform } from '../../synth/synth-platform';
import { EXAMPLE_CONFIGS, tempDir } from '../support/paths';

const MIRROR = '/opt/tf-plugins';
const AWS_VERSION = '5.100.0';
const AWS_MIRROR = join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', AWS_VERSION);
const HELM_MIRROR = join(MIRROR, 'registry.terraform.io', 'hashicorp', 'helm');

function missingPrerequisite(): string | undefined {
  if (spawnSync('terraform', ['version'], { stdio: 'ignore' }).error) return 'terraform is not installed';
  if (!existsSync(AWS_MIRROR)) return `the AWS provider ${AWS_VERSION} is not mirrored at ${AWS_MIRROR}`;
  return undefined;
}

const missing = missingPrerequisite();
if (missing && process.env.CI === 'true') throw new Error(`terraform validate cannot run: ${missing}; CI=true never skips`);
if (missing) console.warn(`skipped terraform validate: ${missing}`);

type StackJson = Record<string, Record<string, unknown> | undefined>;

/** The validation copy of a synthesized stack (see the file comment). */
function validationCopy(stack: StackJson): StackJson {
  const copy = structuredClone(stack);
  const terraform = copy.terraform as { backend?: unknown; required_providers: Record<string, { source: string; version: string }> };
  delete terraform.backend;
  terraform.required_providers.aws.version = AWS_VERSION;
  if (!existsSync(HELM_MIRROR)) {
    delete terraform.required_providers.helm;
    delete copy.provider?.helm;
    delete copy.resource?.helm_release;
    delete copy.data?.helm_template;
  }
  return copy;
}

function terraform(dir: string, args: string[]) {
  return spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: join(dir, 'mirror.tfrc'), TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
}

interface ValidateResult {
  valid: boolean;
  error_count: number;
  diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string }>;
}

function validate(dir: string): ValidateResult {
  const result = terraform(dir, ['validate', '-json', '-no-color']);
  return JSON.parse(result.stdout) as ValidateResult;
}

(missing ? describe.skip : describe)('terraform validate (offline, local provider mirror)', () => {
  let dir: string;
  let stack: StackJson;

  beforeAll(() => {
    const root = tempDir('switchyard-tf-');
    const summary = synthPlatform({ configFile: EXAMPLE_CONFIGS.aws, rootDir: root });
    stack = JSON.parse(readFileSync(join(summary.terraformDir, 'stacks', summary.stack, 'cdk.tf.json'), 'utf8')) as StackJson;
    dir = join(root, 'validate');
    mkdirSync(dir);
    writeFileSync(
      join(dir, 'mirror.tfrc'),
      `provider_installation {\n  filesystem_mirror {\n    path    = "${MIRROR}"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
    );
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(validationCopy(stack), null, 2));
    const init = terraform(dir, ['init', '-backend=false', '-input=false', '-no-color']);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);
  }, 300_000);

  it('finds the aws stack of examples/aws.yaml valid, with no errors or warnings', () => {
    const result = validate(dir);
    expect(result.diagnostics.map((d) => `${d.severity} ${d.address ?? ''}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
    expect(result).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);

  it('has only static references to blocks of the stack in every depends_on, Helm releases included', () => {
    const blocks = (section: string, prefix: string) =>
      Object.entries((stack[section] ?? {}) as Record<string, Record<string, { depends_on?: string[] }>>).flatMap(([type, byName]) =>
        Object.entries(byName).map(([name, body]) => ({ address: `${prefix}${type}.${name}`, dependsOn: body.depends_on ?? [] })),
      );
    const all = [...blocks('resource', ''), ...blocks('data', 'data.')];
    const addresses = new Set(all.map((b) => b.address));
    const helm = all.filter((b) => b.address.startsWith('helm_release.'));
    expect(helm.length).toBeGreaterThan(0);
    expect(helm.every((b) => b.dependsOn.length > 0)).toBe(true);
    const bad = all.flatMap((b) => b.dependsOn.filter((d) => !addresses.has(d)).map((d) => `${b.address} -> ${d}`));
    expect(bad).toEqual([]);
  });

  it('catches a broken resource (the check is not vacuous)', () => {
    const broken = validationCopy(stack);
    const templates = (broken.resource as Record<string, Record<string, Record<string, unknown>>>).aws_launch_template;
    const first = Object.values(templates)[0];
    first.metadata_options = { ...(first.metadata_options as object), http_tokens_required: true };
    // Same initialised directory, broken file: validate reads only the configuration.
    const file = join(dir, 'cdk.tf.json');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, JSON.stringify(broken));
    let result: ValidateResult;
    try {
      result = validate(dir);
    } finally {
      writeFileSync(file, good);
    }
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain('Extraneous JSON object property');
  }, 120_000);
});
