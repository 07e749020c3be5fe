/**
 * A small typed reader of a synthesized cdktf stack (cdktf.out/stacks/<stack>/cdk.tf.json), for
 * the Terraform policy tables and the stack tests. It reads Terraform's JSON configuration syntax
 * as cdktf writes it: `resource.<type>.<name>`, `data.<type>.<name>`, `output.<name>`,
 * `provider.<name>[]`, `terraform.required_providers`. Values are the block's attributes as
 * written: nested blocks are objects or arrays of objects, references are `${type.name.attr}`
 * strings (see `referencedAddress`).
 */
import { readFileSync } from 'node:fs';

/** Attribute values of one block, as synthesized. */
export type TerraformValues = Readonly<Record<string, unknown>>;

/** One `resource` or `data` block of the stack. */
export interface TerraformBlock {
  /** `aws_eks_cluster`, `google_container_cluster`, ... */
  readonly type: string;
  /** The block's logical name (cdktf derives it from the construct path). */
  readonly name: string;
  /** Terraform address: `aws_eks_cluster.name`, or `data.aws_iam_policy_document.name`. */
  readonly address: string;
  /** The construct path cdktf recorded (`stack/cluster/Resource`), when present. */
  readonly constructPath: string | undefined;
  readonly values: TerraformValues;
}

export interface TerraformOutputBlock {
  readonly name: string;
  readonly value: unknown;
  readonly description: string | undefined;
  readonly sensitive: boolean;
}

interface StackJson {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value?: unknown; description?: string; sensitive?: boolean }>;
  provider?: Record<string, Array<Record<string, unknown>>>;
  terraform?: { required_providers?: Record<string, { source?: string; version?: string }>; backend?: Record<string, unknown> };
}

const REFERENCE = /^\$\{(data\.)?([a-z0-9_]+)\.([A-Za-z0-9_-]+)(\.[A-Za-z0-9_.[\]"*-]+)?\}$/;

function blocksOf(section: StackJson['resource'], prefix: string): TerraformBlock[] {
  return Object.entries(section ?? {}).flatMap(([type, byName]) =>
    Object.entries(byName).map(([name, raw]) => {
      const { '//': meta, ...values } = raw as { '//'?: { metadata?: { path?: string } } } & Record<string, unknown>;
      return { type, name, address: `${prefix}${type}.${name}`, constructPath: meta?.metadata?.path, values };
    }),
  );
}

export class TerraformStackJson {
  static fromFile(file: string): TerraformStackJson {
    return new TerraformStackJson(JSON.parse(readFileSync(file, 'utf8')) as unknown);
  }

  private readonly json: StackJson;
  readonly resources: readonly TerraformBlock[];
  readonly dataSources: readonly TerraformBlock[];

  constructor(json: unknown) {
    if (typeof json !== 'object' || json === null || Array.isArray(json)) throw new TypeError('a Terraform JSON stack is an object');
    this.json = json as StackJson;
    this.resources = blocksOf(this.json.resource, '');
    this.dataSources = blocksOf(this.json.data, 'data.');
  }

  /** Every resource of one type, in synthesis order. */
  resourcesOfType(type: string): TerraformBlock[] {
    return this.resources.filter((r) => r.type === type);
  }

  /** Every data source of one type. */
  dataSourcesOfType(type: string): TerraformBlock[] {
    return this.dataSources.filter((r) => r.type === type);
  }

  /** The resource or data source at an address (`aws_launch_template.x`, `data.aws_iam_policy_document.y`). */
  block(address: string): TerraformBlock | undefined {
    return (address.startsWith('data.') ? this.dataSources : this.resources).find((r) => r.address === address);
  }

  /** The block a `${type.name.attr}` reference points at, or undefined when it is not a reference into this stack. */
  referenced(expression: unknown): TerraformBlock | undefined {
    const address = referencedAddress(expression);
    return address === undefined ? undefined : this.block(address);
  }

  /** The resources whose construct path ends with the given construct id path (`cluster/Resource`). */
  resourcesAt(constructPathSuffix: string): TerraformBlock[] {
    return this.resources.filter((r) => r.constructPath?.endsWith(`/${constructPathSuffix}`));
  }

  get outputs(): TerraformOutputBlock[] {
    return Object.entries(this.json.output ?? {}).map(([name, o]) => ({
      name,
      value: o.value,
      description: o.description,
      sensitive: o.sensitive ?? false,
    }));
  }

  /** Provider configurations by provider name (`aws`, `helm`); aliases are further entries. */
  providers(name: string): TerraformValues[] {
    return this.json.provider?.[name] ?? [];
  }

  get providerNames(): string[] {
    return Object.keys(this.json.provider ?? {});
  }

  /** `terraform.required_providers`: source and version constraint per provider. */
  get requiredProviders(): Readonly<Record<string, { source?: string; version?: string }>> {
    return this.json.terraform?.required_providers ?? {};
  }

  /** A deep copy of the raw JSON, e.g. to write an altered copy for `terraform validate`. */
  toJson(): Record<string, unknown> {
    return structuredClone(this.json) as Record<string, unknown>;
  }
}

/** `${aws_kms_key.k.arn}` -> `aws_kms_key.k`; `${data.x.y.json}` -> `data.x.y`; anything else -> undefined. */
export function referencedAddress(expression: unknown): string | undefined {
  if (typeof expression !== 'string') return undefined;
  const match = REFERENCE.exec(expression);
  if (!match) return undefined;
  const [, data, type, name] = match;
  return `${data ?? ''}${type}.${name}`;
}

/**
 * A nested block as a list: cdktf writes a single nested block (`vpc_config`, `metadata_options`)
 * as an object or as a one-element array depending on the provider schema; this reads both.
 */
export function nestedBlocks(values: TerraformValues, key: string): TerraformValues[] {
  const value = values[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.filter((v): v is TerraformValues => typeof v === 'object' && v !== null);
  return typeof value === 'object' ? [value as TerraformValues] : [];
}

/** The first nested block of a kind, or an empty object when there is none. */
export function nestedBlock(values: TerraformValues, key: string): TerraformValues {
  return nestedBlocks(values, key)[0] ?? {};
}
