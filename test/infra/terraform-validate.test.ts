/**
 * Terraform reads the synthesized stacks, offline.
 *
 * 1. Static-only fields, every stack (aws, gcp, homelab; as in examples/ and with GitOps on):
 *    `depends_on`, `provider`, `lifecycle`, backend and provider requirements must be literals
 *    or bare references (`staticFieldProblems`). Needs no terraform.
 * 2. `terraform init -backend=false` on every stack, unmodified, with a CLI config whose only
 *    provider source is an empty directory (no registry access). Terraform reads and checks the
 *    whole configuration before it looks for a provider, so the run must reach provider
 *    installation with no configuration error; its only errors are the providers it cannot find.
 * 3. `terraform validate` on the aws stack: the AWS provider comes from a local filesystem mirror
 *    (/opt/tf-plugins), never the registry. Validation checks every resource against the
 *    provider's real schema (attribute names and types, required blocks, enum values such as
 *    ami_type) without credentials. The validated copy:
 *    - pins the aws provider to 5.100.0, the version mirrored here (the generated binding, and so
 *      cdk.tf.json, asks for 6.x; the stack uses only attributes both versions have);
 *    - does not initialise the backend (`init -backend=false`);
 *    - drops Helm resources and the helm provider when the mirror has no helm provider: the
 *      point is to validate the AWS resources; 1. and 2. cover what terraform would reject in
 *      the Helm releases regardless of the provider, and their own tests cover their values.
 * 2. skips (printing why) only when terraform is missing, 3. also when the mirror is; neither
 * ever skips under CI=true.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parsePlatformConfig } from '../../config/load-config';
import { stackName } from '../../infra/platform-stacks';
import { synthPlatform } from '../../synth/synth-platform';
import { synthTerraform } from '../../synth/synth-terraform';
import { EXAMPLE_CONFIGS, tempDir } from '../support/paths';
import { staticFieldProblems } from '../support/terraform-static-fields';

const MIRROR = '/opt/tf-plugins';
const AWS_VERSION = '5.100.0';
const AWS_MIRROR = join(MIRROR, 'registry.terraform.io', 'hashicorp', 'aws', AWS_VERSION);
const HELM_MIRROR = join(MIRROR, 'registry.terraform.io', 'hashicorp', 'helm');

const noTerraform = spawnSync('terraform', ['version'], { stdio: 'ignore' }).error ? 'terraform is not installed' : undefined;
const noMirror = noTerraform ?? (existsSync(AWS_MIRROR) ? undefined : `the AWS provider ${AWS_VERSION} is not mirrored at ${AWS_MIRROR}`);
if (noMirror && process.env.CI === 'true') throw new Error(`terraform cannot run: ${noMirror}; CI=true never skips`);
if (noTerraform) console.warn(`skipped terraform init and validate: ${noTerraform}`);
else if (noMirror) console.warn(`skipped terraform validate: ${noMirror}`);

type StackJson = Record<string, Record<string, unknown> | undefined>;
type Profile = keyof typeof EXAMPLE_CONFIGS;
const PROFILES = Object.keys(EXAMPLE_CONFIGS) as Profile[];
const GITOPS = { enabled: true, repoUrl: 'https://github.com/example/platform.git', path: 'dist', revision: 'main' };

/** The stack of an example config, with GitOps on (Argo CD adds a Helm release with depends_on) or off, whatever the example says. */
function synthExample(profile: Profile, gitops: boolean): StackJson {
  const raw = parse(readFileSync(EXAMPLE_CONFIGS[profile], 'utf8')) as Record<string, unknown>;
  if (gitops) raw.gitops = GITOPS;
  else delete raw.gitops;
  const config = parsePlatformConfig(raw, `${EXAMPLE_CONFIGS[profile]}${gitops ? ' (gitops on)' : ''}`);
  const outdir = tempDir('switchyard-tf-');
  synthTerraform(config, outdir);
  return JSON.parse(readFileSync(join(outdir, 'stacks', stackName(config), 'cdk.tf.json'), 'utf8')) as StackJson;
}

const VARIANTS = PROFILES.flatMap((profile) => [
  { name: `${profile}`, profile, gitops: false },
  { name: `${profile} with gitops`, profile, gitops: true },
]);
const stacks = new Map<string, StackJson>();
function variantStack(variant: (typeof VARIANTS)[number]): StackJson {
  if (!stacks.has(variant.name)) stacks.set(variant.name, synthExample(variant.profile, variant.gitops));
  return stacks.get(variant.name)!;
}

function dependsOnOf(stack: StackJson, type: string): string[][] {
  return Object.values((stack.resource?.[type] ?? {}) as Record<string, { depends_on?: string[] }>).map((r) => r.depends_on ?? []);
}

describe('static-only fields of every synthesized stack', () => {
  it.each(VARIANTS)('$name: every depends_on, provider, lifecycle and backend field is a literal or bare reference', (variant) => {
    expect(staticFieldProblems(variantStack(variant))).toEqual([]);
  });

  it.each(VARIANTS.filter((v) => v.profile !== 'homelab'))('$name: every Helm release waits for the nodes', (variant) => {
    const releases = dependsOnOf(variantStack(variant), 'helm_release');
    expect(releases.length).toBeGreaterThan(variant.gitops ? 1 : 0);
    for (const dependsOn of releases) expect(dependsOn.length).toBeGreaterThan(0);
  });
});

/** A CLI config with one provider source, an empty directory: terraform cannot download anything. */
function offlineCliConfig(dir: string, mirror: string): string {
  const file = join(dir, 'offline.tfrc');
  writeFileSync(
    file,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["registry.terraform.io/*/*"]\n  }\n  direct {\n    exclude = ["registry.terraform.io/*/*"]\n  }\n}\n`,
  );
  return file;
}

function terraform(dir: string, cliConfig: string, args: string[]) {
  return spawnSync('terraform', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, TF_CLI_CONFIG_FILE: cliConfig, TF_IN_AUTOMATION: '1', CHECKPOINT_DISABLE: '1' },
  });
}

interface InitMessage {
  type: string;
  message_code?: string;
  diagnostic?: { severity: string; summary: string; detail?: string; snippet?: { context?: string } };
}

interface InitReport {
  /** Terraform read the configuration and went on to install providers. */
  reachedProviders: boolean;
  /** Errors about the configuration: anything but a provider it could not find. */
  configErrors: string[];
  /** The providers (`hashicorp/helm`) it looked for and could not find offline. */
  providersNotFound: string[];
}

const PROVIDER_NOT_FOUND = 'Failed to query available provider packages';

/** `terraform init -backend=false -json` on a stack, offline. */
function initOffline(stack: StackJson): InitReport {
  const dir = tempDir('switchyard-tf-init-');
  const mirror = join(dir, 'no-providers');
  mkdirSync(mirror);
  const work = join(dir, 'stack');
  mkdirSync(work);
  writeFileSync(join(work, 'cdk.tf.json'), JSON.stringify(stack, null, 2));
  const result = terraform(work, offlineCliConfig(dir, mirror), ['init', '-backend=false', '-input=false', '-no-color', '-json']);
  const messages = result.stdout
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as InitMessage);
  if (messages.length === 0) throw new Error(`terraform init printed no JSON:\n${result.stdout}\n${result.stderr}`);
  const errors = messages.flatMap((m) => (m.type === 'diagnostic' && m.diagnostic?.severity === 'error' ? [m.diagnostic] : []));
  return {
    reachedProviders: messages.some((m) => m.message_code === 'initializing_provider_plugin_message'),
    configErrors: errors
      .filter((e) => e.summary !== PROVIDER_NOT_FOUND)
      .map((e) => `${e.snippet?.context ?? ''}: ${e.summary.split('\n')[0]} ${e.detail ?? ''}`.trim()),
    providersNotFound: errors
      .filter((e) => e.summary === PROVIDER_NOT_FOUND)
      .map((e) => /for provider ([\w-]+\/[\w-]+)/.exec(e.detail ?? '')?.[1] ?? '?')
      .sort(),
  };
}

(noTerraform ? describe.skip : describe)('terraform init reads every stack (offline, no provider available)', () => {
  it.each(VARIANTS)(
    '$name: no configuration error; it stops only at the providers',
    (variant) => {
      const stack = variantStack(variant);
      const report = initOffline(stack);
      expect(report.configErrors).toEqual([]);
      expect(report.reachedProviders).toBe(true);
      const required = Object.values((stack.terraform?.required_providers ?? {}) as Record<string, { source: string }>);
      expect(report.providersNotFound).toEqual(required.map((p) => `hashicorp/${p.source}`).sort());
    },
    60_000,
  );

  it('reports a templated depends_on as a configuration error (the check is not vacuous)', () => {
    const stack = structuredClone(variantStack({ name: 'gcp', profile: 'gcp', gitops: false }));
    const releases = stack.resource?.helm_release as Record<string, { depends_on: string[] }>;
    const first = Object.values(releases)[0];
    first.depends_on = first.depends_on.map((address) => `\${${address}}`);
    const report = initOffline(stack);
    expect(report.reachedProviders).toBe(false);
    expect(report.configErrors.length).toBeGreaterThan(0);
    expect(report.configErrors[0]).toMatch(
      /^resource\.helm_release\.[\w-]+\.depends_on: Invalid expression A single static variable reference is required/,
    );
    expect(staticFieldProblems(stack)[0]).toMatch(/^resource\.helm_release\.[\w-]+\.depends_on\[0\]: got "\$\{/);
  }, 60_000);
});

/** The validation copy of the synthesized aws stack (see the file comment). */
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

interface ValidateResult {
  valid: boolean;
  error_count: number;
  diagnostics: Array<{ severity: string; summary: string; detail?: string; address?: string }>;
}

(noMirror ? describe.skip : describe)('terraform validate (offline, local provider mirror)', () => {
  let dir: string;
  let cliConfig: string;
  let stack: StackJson;

  const validate = () => JSON.parse(terraform(dir, cliConfig, ['validate', '-json', '-no-color']).stdout) as ValidateResult;

  beforeAll(() => {
    const root = tempDir('switchyard-tf-');
    const summary = synthPlatform({ configFile: EXAMPLE_CONFIGS.aws, rootDir: root });
    stack = JSON.parse(readFileSync(join(summary.terraformDir, 'stacks', summary.stack, 'cdk.tf.json'), 'utf8')) as StackJson;
    dir = join(root, 'validate');
    mkdirSync(dir);
    cliConfig = offlineCliConfig(root, MIRROR);
    writeFileSync(join(dir, 'cdk.tf.json'), JSON.stringify(validationCopy(stack), null, 2));
    const init = terraform(dir, cliConfig, ['init', '-backend=false', '-input=false', '-no-color']);
    if (init.status !== 0) throw new Error(`terraform init failed:\n${init.stdout}\n${init.stderr}`);
  }, 300_000);

  it('finds the aws stack of examples/aws.yaml valid, with no errors or warnings', () => {
    const result = validate();
    expect(result.diagnostics.map((d) => `${d.severity} ${d.address ?? ''}: ${d.summary} ${d.detail ?? ''}`)).toEqual([]);
    expect(result).toMatchObject({ valid: true, error_count: 0 });
  }, 120_000);

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
      result = validate();
    } finally {
      writeFileSync(file, good);
    }
    expect(result.valid).toBe(false);
    expect(result.diagnostics.map((d) => d.summary)).toContain('Extraneous JSON object property');
  }, 120_000);
});
