/**
 * The fields of a Terraform JSON configuration that Terraform reads before it evaluates anything,
 * and so takes only as literals or bare references, never as `${...}` templates:
 *
 * - `depends_on` (resources, data sources, outputs): bare addresses of blocks of the stack
 *   (`aws_eks_node_group.system`, `data.x.y`, an index such as `[0]` allowed);
 * - `provider` (resources, data sources): `name` or `name.alias` of a provider configured here;
 * - `lifecycle`: `create_before_destroy` and `prevent_destroy` booleans, `ignore_changes` "all" or
 *   bare attribute paths (`scaling_config[0].desired_size`), `replace_triggered_by` bare
 *   references to blocks of the stack;
 * - `provider.<name>[].alias`, `terraform.required_providers` and `terraform.backend`: literals.
 *
 * cdktf renders a resource's `fqn` as a `${type.name}` template, which is fine in an attribute
 * and rejected in these fields ("A single static variable reference is required") when
 * `terraform init` reads the configuration. `staticFieldProblems` finds every such value, with
 * its JSON path, without running terraform.
 */

type JsonObject = Record<string, unknown>;

/** A bare traversal: `a.b`, `a.b[0]`, `a.b["k"].c`; no template, call or operator. */
const TRAVERSAL = /^[A-Za-z_][\w-]*(?:\.[A-Za-z_][\w-]*|\[\d+\]|\["[^"$]*"\])*$/;
const IDENTIFIER = /^[A-Za-z_][\w-]*$/;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function entries(value: unknown): Array<[string, JsonObject]> {
  return isObject(value) ? Object.entries(value).filter((e): e is [string, JsonObject] => isObject(e[1])) : [];
}

function got(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

/** `data.t.n[0]` -> `data.t.n`; `t.n.attr` -> `t.n.attr` (attributes are not blocks). */
function blockAddressOf(traversal: string): string {
  return traversal.replace(/\[[^\]]*\]/g, '');
}

/** The block a bare reference starts with: `t.n.attr` -> `t.n`, `data.t.n.attr` -> `data.t.n`. */
function referencedBlock(traversal: string): string {
  const parts = blockAddressOf(traversal).split('.');
  return parts.slice(0, parts[0] === 'data' ? 3 : 2).join('.');
}

interface Block {
  readonly path: string;
  readonly body: JsonObject;
}

class StaticFieldCheck {
  readonly problems: string[] = [];
  private readonly addresses = new Set<string>();
  private readonly providers = new Map<string, Set<string | undefined>>();

  constructor(private readonly stack: JsonObject) {
    for (const [type, byName] of entries(stack.resource)) for (const name of Object.keys(byName)) this.addresses.add(`${type}.${name}`);
    for (const [type, byName] of entries(stack.data)) for (const name of Object.keys(byName)) this.addresses.add(`data.${type}.${name}`);
    for (const name of Object.keys(isObject(stack.module) ? stack.module : {})) this.addresses.add(`module.${name}`);
    const providerSection = isObject(stack.provider) ? stack.provider : {};
    for (const [name, configs] of Object.entries(providerSection)) {
      const list = Array.isArray(configs) ? configs : [configs];
      this.providers.set(name, new Set(list.map((c) => (isObject(c) && typeof c.alias === 'string' ? c.alias : undefined))));
    }
  }

  run(): string[] {
    const blocks = (section: string, prefix: string): Block[] =>
      entries(this.stack[section]).flatMap(([type, byName]) =>
        entries(byName).map(([name, body]) => ({ path: `${prefix}.${type}.${name}`, body })),
      );
    for (const block of [...blocks('resource', 'resource'), ...blocks('data', 'data')]) {
      this.dependsOn(block);
      this.provider(block);
      this.lifecycle(block);
    }
    for (const [name, body] of entries(this.stack.output)) this.dependsOn({ path: `output.${name}`, body });
    this.providerAliases();
    this.terraformBlock();
    return this.problems;
  }

  private report(path: string, value: unknown, expected: string): void {
    this.problems.push(`${path}: got ${got(value)}; expected ${expected}`);
  }

  private dependsOn({ path, body }: Block): void {
    if (!('depends_on' in body)) return;
    const list = body.depends_on;
    if (!Array.isArray(list)) return this.report(`${path}.depends_on`, list, 'a list of bare block addresses');
    list.forEach((entry, i) => {
      const where = `${path}.depends_on[${i}]`;
      if (typeof entry !== 'string' || !TRAVERSAL.test(entry))
        this.report(where, entry, 'a bare address such as aws_eks_node_group.system (no ${...} template)');
      else if (!this.addresses.has(blockAddressOf(entry)))
        this.report(where, entry, 'the address of a resource or data source of the stack');
    });
  }

  private provider({ path, body }: Block): void {
    if (!('provider' in body)) return;
    const value = body.provider;
    const [name, alias, ...rest] = typeof value === 'string' ? value.split('.') : [];
    const valid =
      typeof value === 'string' && IDENTIFIER.test(name) && (alias === undefined || IDENTIFIER.test(alias)) && rest.length === 0;
    if (!valid) return this.report(`${path}.provider`, value, 'a bare provider reference such as aws or aws.west');
    if (!this.providers.get(name)?.has(alias)) this.report(`${path}.provider`, value, 'a provider configured in the stack');
  }

  private lifecycle({ path, body }: Block): void {
    if (!('lifecycle' in body)) return;
    const lifecycle = body.lifecycle;
    if (!isObject(lifecycle)) return this.report(`${path}.lifecycle`, lifecycle, 'an object');
    for (const flag of ['create_before_destroy', 'prevent_destroy'])
      if (flag in lifecycle && typeof lifecycle[flag] !== 'boolean')
        this.report(`${path}.lifecycle.${flag}`, lifecycle[flag], 'true or false');
    const ignore = lifecycle.ignore_changes;
    if (ignore !== undefined && ignore !== 'all') {
      if (!Array.isArray(ignore)) this.report(`${path}.lifecycle.ignore_changes`, ignore, '"all" or a list of attribute paths');
      else
        ignore.forEach((entry, i) => {
          if (typeof entry !== 'string' || !TRAVERSAL.test(entry))
            this.report(
              `${path}.lifecycle.ignore_changes[${i}]`,
              entry,
              'a bare attribute path such as tags or scaling_config[0].desired_size',
            );
        });
    }
    const triggers = lifecycle.replace_triggered_by;
    if (triggers === undefined) return;
    if (!Array.isArray(triggers)) return this.report(`${path}.lifecycle.replace_triggered_by`, triggers, 'a list of bare references');
    triggers.forEach((entry, i) => {
      const where = `${path}.lifecycle.replace_triggered_by[${i}]`;
      if (typeof entry !== 'string' || !TRAVERSAL.test(entry)) this.report(where, entry, 'a bare reference such as aws_instance.a.id');
      else if (!this.addresses.has(referencedBlock(entry))) this.report(where, entry, 'a reference to a resource of the stack');
    });
  }

  private providerAliases(): void {
    for (const [name, configs] of Object.entries(isObject(this.stack.provider) ? this.stack.provider : {})) {
      (Array.isArray(configs) ? configs : [configs]).forEach((config, i) => {
        if (isObject(config) && 'alias' in config && (typeof config.alias !== 'string' || !IDENTIFIER.test(config.alias)))
          this.report(`provider.${name}[${i}].alias`, config.alias, 'a literal name');
      });
    }
  }

  private terraformBlock(): void {
    const terraform = isObject(this.stack.terraform) ? this.stack.terraform : {};
    for (const [name, requirement] of entries(terraform.required_providers))
      for (const key of ['source', 'version'])
        if (key in requirement && !isLiteral(requirement[key]))
          this.report(`terraform.required_providers.${name}.${key}`, requirement[key], 'a literal string');
    this.literalsOnly('terraform.backend', terraform.backend);
  }

  private literalsOnly(path: string, value: unknown): void {
    if (typeof value === 'string' && !isLiteral(value)) this.report(path, value, 'a literal (backends take no expressions)');
    else if (Array.isArray(value)) value.forEach((v, i) => this.literalsOnly(`${path}[${i}]`, v));
    else if (isObject(value)) for (const [key, v] of Object.entries(value)) this.literalsOnly(`${path}.${key}`, v);
  }
}

function isLiteral(value: unknown): boolean {
  return typeof value === 'string' && !value.includes('${') && !value.includes('%{');
}

/** Every static-only field of a Terraform JSON stack that is not a literal or bare reference, as `path: got ...; expected ...`. */
export function staticFieldProblems(stack: unknown): string[] {
  if (!isObject(stack)) return [`stack: got ${got(stack)}; expected a Terraform JSON object`];
  return new StaticFieldCheck(stack).run();
}
