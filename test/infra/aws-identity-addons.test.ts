import { buildPlatformCharts } from '../../charts/platform-charts';
import { bedrockInvokeStatements, bedrockModelTargets } from '../../constructs/aws/bedrock-model-access';
import { formatFindings, runPolicy } from '../../policy/policy-finding';
import { AWS_POLICY_RULES } from '../../policy/terraform/aws-rules';
import type { TerraformBlock, TerraformStackJson } from '../../policy/terraform/terraform-stack-json';
import { type RawConfig, awsConfig, onlyResource, synthAwsStack } from './aws-stack-synth';

type Statement = Record<string, unknown>;

function statementsOf(stack: TerraformStackJson, document: unknown): Statement[] {
  return stack.referenced(document)!.values.statement as Statement[];
}

function roleNamed(stack: TerraformStackJson, name: string): TerraformBlock {
  return stack.resourcesOfType('aws_iam_role').find((r) => r.values.name === name)!;
}

const podIdentityTrust = (namespace: string, serviceAccount: string) => [
  {
    effect: 'Allow',
    actions: ['sts:AssumeRole', 'sts:TagSession'],
    principals: [{ type: 'Service', identifiers: ['pods.eks.amazonaws.com'] }],
    condition: [
      {
        test: 'StringEquals',
        variable: 'aws:RequestTag/eks-cluster-name',
        values: [expect.stringMatching(/^\$\{aws_eks_cluster\.\w+\.name\}$/)],
      },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-namespace', values: [namespace] },
      { test: 'StringEquals', variable: 'aws:RequestTag/kubernetes-service-account', values: [serviceAccount] },
    ],
  },
];

describe('EKS add-ons in the aws stack', () => {
  const { stack } = synthAwsStack();
  const addons = new Map(stack.resourcesOfType('aws_eks_addon').map((a) => [a.values.addon_name as string, a]));

  it('installs vpc-cni, kube-proxy, coredns, the Pod Identity agent and the EBS CSI driver, config winning conflicts', () => {
    expect([...addons.keys()].sort()).toEqual(['aws-ebs-csi-driver', 'coredns', 'eks-pod-identity-agent', 'kube-proxy', 'vpc-cni']);
    for (const addon of addons.values())
      expect(addon.values).toMatchObject({ resolve_conflicts_on_create: 'OVERWRITE', resolve_conflicts_on_update: 'OVERWRITE' });
  });

  it('turns on NetworkPolicy enforcement in the VPC CNI (the platform default-denies every namespace)', () => {
    expect(JSON.parse(addons.get('vpc-cni')!.values.configuration_values as string)).toEqual({ enableNetworkPolicy: 'true' });
  });

  it('installs CoreDNS and the EBS CSI driver after the node groups (they need nodes to run on)', () => {
    const groups = stack.resourcesOfType('aws_eks_node_group').map((g) => g.address);
    for (const name of ['coredns', 'aws-ebs-csi-driver'])
      expect([...(addons.get(name)!.values.depends_on as string[])].sort()).toEqual([...groups].sort());
  });

  it('gives the EBS CSI controller its IAM role through Pod Identity, with AmazonEBSCSIDriverPolicy only', () => {
    const association = (addons.get('aws-ebs-csi-driver')!.values.pod_identity_association as Statement[])[0];
    expect(association.service_account).toBe('ebs-csi-controller-sa');
    const role = stack.referenced(association.role_arn)!;
    expect(role.values.name).toBe('switchyard-prod-ebs-csi');
    expect(statementsOf(stack, role.values.assume_role_policy)).toEqual(podIdentityTrust('kube-system', 'ebs-csi-controller-sa'));
    const attached = stack
      .resourcesOfType('aws_iam_role_policy_attachment')
      .filter((a) => stack.referenced(a.values.role)?.address === role.address);
    expect(attached.map((a) => a.values.policy_arn)).toEqual(['arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy']);
  });
});

describe('the gateway Pod Identity role', () => {
  const { stack } = synthAwsStack();
  const role = roleNamed(stack, 'switchyard-prod-gateway');

  it('is bound to the gateway service account in the gateway namespace', () => {
    const association = onlyResource(stack, 'aws_eks_pod_identity_association');
    expect(association.values).toMatchObject({ namespace: 'ai-gateway', service_account: 'gateway' });
    expect(stack.referenced(association.values.role_arn)?.address).toBe(role.address);
    expect(stack.referenced(association.values.cluster_name)?.type).toBe('aws_eks_cluster');
    expect(statementsOf(stack, role.values.assume_role_policy)).toEqual(podIdentityTrust('ai-gateway', 'gateway'));
  });

  it('may invoke exactly the Bedrock models the config names, the profile-routed model only through its profile', () => {
    const policies = stack.resourcesOfType('aws_iam_role_policy').filter((p) => stack.referenced(p.values.role)?.address === role.address);
    expect(policies).toHaveLength(1);
    const [policy] = policies;
    const account = expect.stringMatching(/^\$\{data\.aws_caller_identity\.[\w-]+\.account_id\}$/);
    const statements = statementsOf(stack, policy.values.policy);
    const profileArn = (accountId: string) =>
      `arn:aws:bedrock:us-east-1:${accountId}:inference-profile/us.anthropic.claude-sonnet-4-20250514-v1:0`;
    const accountRef = (statements[0].resources as string[])[0].split(':')[4];
    expect(accountRef).toEqual(account);
    expect(statements).toEqual([
      {
        sid: 'InvokeConfiguredModels',
        effect: 'Allow',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: [profileArn(accountRef), 'arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-haiku-20241022-v1:0'],
      },
      {
        sid: 'InvokeThroughProfile0',
        effect: 'Allow',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: ['arn:aws:bedrock:*::foundation-model/anthropic.claude-sonnet-4-20250514-v1:0'],
        condition: [{ test: 'StringEquals', variable: 'bedrock:InferenceProfileArn', values: [profileArn(accountRef)] }],
      },
    ]);
    expect(
      stack.resourcesOfType('aws_iam_role_policy_attachment').filter((a) => stack.referenced(a.values.role)?.address === role.address),
    ).toEqual([]);
  });

  it('has no permissions at all when no target routes to Bedrock', () => {
    const ollamaOnly = synthAwsStack((raw) => {
      delete raw.gateway.runtime;
    }).stack;
    expect(roleNamed(ollamaOnly, 'switchyard-prod-gateway')).toBeDefined();
    const gatewayRole = roleNamed(ollamaOnly, 'switchyard-prod-gateway');
    expect(
      ollamaOnly
        .resourcesOfType('aws_iam_role_policy')
        .filter((p) => ollamaOnly.referenced(p.values.role)?.address === gatewayRole.address),
    ).toEqual([]);
    expect(ollamaOnly.dataSourcesOfType('aws_caller_identity')).toEqual([]);
  });
});

describe('Bedrock model targets and statements', () => {
  const runtime = awsConfig().gateway.runtime!;

  it('reads (region, model) pairs of bedrock providers only, without duplicates, in a stable order', () => {
    const withMore = {
      ...runtime,
      providers: [...runtime.providers, { name: 'bedrock-eu', type: 'bedrock' as const, region: 'eu-central-1', private: false }],
      models: [
        ...runtime.models,
        {
          name: 'haiku-again',
          strategy: 'priority' as const,
          targets: [{ provider: 'bedrock', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' }],
        },
        { name: 'eu-titan', strategy: 'priority' as const, targets: [{ provider: 'bedrock-eu', model: 'amazon.titan-text-express-v1' }] },
      ],
    };
    expect(bedrockModelTargets(withMore)).toEqual([
      { region: 'eu-central-1', model: 'amazon.titan-text-express-v1' },
      { region: 'us-east-1', model: 'anthropic.claude-3-5-haiku-20241022-v1:0' },
      { region: 'us-east-1', model: 'us.anthropic.claude-sonnet-4-20250514-v1:0' },
    ]);
    expect(bedrockModelTargets(undefined)).toEqual([]);
  });

  it('grants full ARNs as written and uses the partition of the provider region', () => {
    const arn = 'arn:aws:bedrock:us-west-2:111122223333:provisioned-model/abc123';
    expect(
      bedrockInvokeStatements(
        [
          { region: 'us-west-2', model: arn },
          { region: 'us-gov-west-1', model: 'amazon.titan-text-express-v1' },
        ],
        { accountId: '1' },
      ),
    ).toEqual([
      {
        sid: 'InvokeConfiguredModels',
        effect: 'Allow',
        actions: ['bedrock:InvokeModel', 'bedrock:InvokeModelWithResponseStream'],
        resources: ['arn:aws-us-gov:bedrock:us-gov-west-1::foundation-model/amazon.titan-text-express-v1', arn],
      },
    ]);
    expect(bedrockInvokeStatements([], { accountId: '1' })).toEqual([]);
  });
});

describe('the gateway Pod Identity association against the gateway chart', () => {
  it('binds exactly the ServiceAccount the gateway Deployment runs as', () => {
    const config = awsConfig();
    const objects = buildPlatformCharts(config).charts.flatMap((c) => c.chart.toJson() as Statement[]) as Array<Record<string, any>>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const deployment = objects.find((o) => o.kind === 'Deployment' && o.metadata.namespace === config.namespaces.gateway)!;
    const serviceAccount = deployment.spec.template.spec.serviceAccountName;
    expect(
      objects.filter(
        (o) => o.kind === 'ServiceAccount' && o.metadata.name === serviceAccount && o.metadata.namespace === config.namespaces.gateway,
      ),
    ).toHaveLength(1);
    const association = onlyResource(synthAwsStack().stack, 'aws_eks_pod_identity_association');
    expect(association.values).toMatchObject({ namespace: config.namespaces.gateway, service_account: serviceAccount });
  });
});

describe('the MLflow Pod Identity role for an S3 artifact bucket', () => {
  const s3Store = (store: Record<string, unknown>) => (raw: RawConfig) => {
    raw.data = { mlflow: { artifactStore: { type: 's3', bucket: 'acme-mlflow', region: 'us-east-1', ...store } } };
  };
  const { stack } = synthAwsStack(s3Store({}));
  const role = roleNamed(stack, 'switchyard-prod-mlflow');

  it('is bound to the mlflow ServiceAccount in the data namespace, and its ARN is an output', () => {
    const association = stack
      .resourcesOfType('aws_eks_pod_identity_association')
      .find((a) => stack.referenced(a.values.role_arn)?.address === role.address)!;
    expect(association.values).toMatchObject({ namespace: 'ai-data', service_account: 'mlflow' });
    expect(statementsOf(stack, role.values.assume_role_policy)).toEqual(podIdentityTrust('ai-data', 'mlflow'));
    expect(stack.referenced(stack.outputs.find((o) => o.name === 'mlflow_role_arn')!.value)?.address).toBe(role.address);
  });

  it('may list the bucket and read, write and delete its objects, and nothing else', () => {
    const policies = stack.resourcesOfType('aws_iam_role_policy').filter((p) => stack.referenced(p.values.role)?.address === role.address);
    expect(policies).toHaveLength(1);
    expect(statementsOf(stack, policies[0].values.policy)).toEqual([
      {
        effect: 'Allow',
        actions: ['s3:GetBucketLocation', 's3:ListBucket', 's3:ListBucketMultipartUploads'],
        resources: ['arn:aws:s3:::acme-mlflow'],
      },
      {
        effect: 'Allow',
        actions: ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: ['arn:aws:s3:::acme-mlflow/*'],
      },
    ]);
    expect(
      stack.resourcesOfType('aws_iam_role_policy_attachment').filter((a) => stack.referenced(a.values.role)?.address === role.address),
    ).toEqual([]);
  });

  it('passes the AWS policy table', () => {
    expect(formatFindings(runPolicy(AWS_POLICY_RULES, stack))).toBe('');
  });

  it('is not created with MinIO, or when the bucket comes with a credentials Secret', () => {
    for (const other of [synthAwsStack().stack, synthAwsStack(s3Store({ credentialsSecretName: 'mlflow-s3' })).stack]) {
      expect(other.resourcesOfType('aws_iam_role').map((r) => r.values.name)).not.toContain('switchyard-prod-mlflow');
      expect(other.outputs.map((o) => o.name)).not.toContain('mlflow_role_arn');
    }
  });
});
