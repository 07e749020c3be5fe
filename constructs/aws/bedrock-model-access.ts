/**
 * Which Bedrock models the gateway may invoke, read from its runtime config, and the IAM
 * statements granting exactly that. Bedrock authorizes its four inference APIs with two IAM
 * actions: `bedrock:InvokeModel` covers InvokeModel and Converse, and
 * `bedrock:InvokeModelWithResponseStream` covers InvokeModelWithResponseStream and ConverseStream
 * (Bedrock user guide, "Prerequisites for running model inference"). A model id is one of:
 * - a foundation model (`anthropic.claude-3-5-haiku-20241022-v1:0`): granted in the provider's region;
 * - a cross-region inference profile (`us.anthropic...`, `eu.`, `apac.`, `global.`...): granted on
 *   the profile in the provider's region, and on the foundation model it routes to in any region,
 *   but only when called through that profile (condition `bedrock:InferenceProfileArn`);
 * - a full ARN (provisioned throughput, application inference profile): granted as written.
 */
import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { GatewayDeploymentConfig } from '../../config/gateway';
import { awsPartition } from './aws-partition';

export const BEDROCK_INVOKE_ACTIONS = ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'] as const;

/** Geography prefixes of cross-region inference profile ids. */
const INFERENCE_PROFILE_ID = /^(us|us-gov|eu|apac|jp|au|ca|global)\.(.+)$/;

/** One model the gateway reaches on Bedrock: the provider's region and the target's model id. */
export interface BedrockModelTarget {
  readonly region: string;
  readonly model: string;
}

/**
 * Every (region, model id) pair the gateway's runtime config routes to a `bedrock` provider,
 * without duplicates, in a stable order. Targets without a model id (catch-all `*` models) are
 * skipped here; the config rules refuse them on the aws profile.
 */
export function bedrockModelTargets(runtime: GatewayDeploymentConfig['runtime']): BedrockModelTarget[] {
  if (!runtime) return [];
  const regions = new Map(runtime.providers.filter((p) => p.type === 'bedrock' && p.region).map((p) => [p.name, p.region as string]));
  const seen = new Map<string, BedrockModelTarget>();
  for (const model of runtime.models)
    for (const target of model.targets) {
      const region = regions.get(target.provider);
      if (region && target.model) seen.set(`${region} ${target.model}`, { region, model: target.model });
    }
  return [...seen.values()].sort((a, b) => `${a.region} ${a.model}`.localeCompare(`${b.region} ${b.model}`));
}

export interface BedrockArnContext {
  /** Account id (a reference to aws_caller_identity): inference profiles live in the account. */
  readonly accountId: string;
}

/** Whether any target is a cross-region inference profile (those ARNs need the account id). */
export function usesInferenceProfiles(targets: readonly BedrockModelTarget[]): boolean {
  return targets.some((t) => INFERENCE_PROFILE_ID.test(t.model));
}

/** IAM statements allowing the Bedrock invoke actions on exactly these models; none for no targets. */
export function bedrockInvokeStatements(
  targets: readonly BedrockModelTarget[],
  context: BedrockArnContext,
): DataAwsIamPolicyDocumentStatement[] {
  const { accountId } = context;
  const direct = new Set<string>();
  const throughProfiles: DataAwsIamPolicyDocumentStatement[] = [];
  for (const { region, model } of targets) {
    const partition = awsPartition(region);
    const profile = INFERENCE_PROFILE_ID.exec(model);
    if (model.startsWith('arn:')) direct.add(model);
    else if (!profile) direct.add(`arn:${partition}:bedrock:${region}::foundation-model/${model}`);
    else {
      const profileArn = `arn:${partition}:bedrock:${region}:${accountId}:inference-profile/${model}`;
      direct.add(profileArn);
      throughProfiles.push({
        sid: `InvokeThroughProfile${throughProfiles.length}`,
        effect: 'Allow',
        actions: [...BEDROCK_INVOKE_ACTIONS],
        // The profile routes to the model in any region of its geography; `*` also matches the
        // empty region of global profiles' foundation-model ARNs.
        resources: [`arn:${partition}:bedrock:*::foundation-model/${profile[2]}`],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [profileArn] }],
      });
    }
  }
  if (direct.size === 0) return [];
  return [
    { sid: 'InvokeConfiguredModels', effect: 'Allow', actions: [...BEDROCK_INVOKE_ACTIONS], resources: [...direct].sort() },
    ...throughProfiles,
  ];
}
