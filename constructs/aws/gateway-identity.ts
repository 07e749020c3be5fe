/**
 * The gateway's AWS identity: an IAM role bound to its Kubernetes service account through Pod
 * Identity, allowed to invoke exactly the Bedrock models its runtime config routes to (see
 * bedrock-model-access.ts) and nothing else. With no Bedrock target the role has no permissions
 * at all; it still exists, so adding a Bedrock provider later changes only its policy.
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { Construct } from 'constructs';
import { type BedrockModelTarget, bedrockInvokeStatements, usesInferenceProfiles } from './bedrock-model-access';
import { PodIdentityRole } from './pod-identity-role';

/** The Kubernetes service account the gateway's pods run as. */
export const GATEWAY_SERVICE_ACCOUNT = 'gateway';

export interface GatewayIdentityProps {
  /** The cluster name as a reference (EksCluster.name). */
  readonly clusterName: string;
  readonly roleName: string;
  /** The gateway's namespace (config.namespaces.gateway). */
  readonly namespace: string;
  readonly region: string;
  /** The Bedrock models to allow (bedrockModelTargets of the gateway's runtime config). @default [] */
  readonly bedrockModels?: readonly BedrockModelTarget[];
}

export class GatewayIdentity extends Construct {
  readonly role: PodIdentityRole;

  constructor(scope: Construct, id: string, props: GatewayIdentityProps) {
    super(scope, id);
    const models = props.bedrockModels ?? [];
    const accountId = usesInferenceProfiles(models) ? new DataAwsCallerIdentity(this, 'Account').accountId : '';
    this.role = new PodIdentityRole(this, 'Role', {
      roleName: props.roleName,
      clusterName: props.clusterName,
      namespace: props.namespace,
      serviceAccount: GATEWAY_SERVICE_ACCOUNT,
      region: props.region,
      statements: bedrockInvokeStatements(models, { accountId }),
    });
  }

  get roleArn(): string {
    return this.role.arn;
  }
}
