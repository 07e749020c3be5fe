/**
 * An IAM role an AWS service assumes (the EKS control plane, EC2 nodes), with AWS managed
 * policies attached by name and, when given, statements of one inline policy. The trust policy
 * names only that service principal.
 */
import {
  DataAwsIamPolicyDocument,
  type DataAwsIamPolicyDocumentStatement,
  type DataAwsIamPolicyDocumentStatementCondition,
} from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment';
import { Construct } from 'constructs';
import { awsManagedPolicyArn } from './aws-partition';

export interface ServiceRoleProps {
  /** IAM role name. */
  readonly roleName: string;
  /** Service principal allowed to assume the role, e.g. `eks.amazonaws.com`. */
  readonly service: string;
  /** Region of the stack: picks the ARN partition of the managed policies. */
  readonly region: string;
  /** AWS managed policies to attach, by name with any path (`AmazonEKSClusterPolicy`, `service-role/...`). @default [] */
  readonly managedPolicies?: readonly string[];
  /** Actions the service may call on STS. @default ['sts:AssumeRole'] */
  readonly trustActions?: readonly string[];
  /** Conditions on assuming the role (e.g. session tags). @default - none */
  readonly trustConditions?: readonly DataAwsIamPolicyDocumentStatementCondition[];
  /** Further permissions, as one inline policy. @default - no inline policy */
  readonly statements?: readonly DataAwsIamPolicyDocumentStatement[];
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The managed policy attachments and the inline policy: depend on these before the service uses the role. */
  readonly attachments: ReadonlyArray<IamRolePolicyAttachment | IamRolePolicy>;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'Trust', {
      statement: [
        {
          effect: 'Allow',
          actions: [...(props.trustActions ?? ['sts:AssumeRole'])],
          principals: [{ type: 'Service', identifiers: [props.service] }],
          ...(props.trustConditions ? { condition: [...props.trustConditions] } : {}),
        },
      ],
    });
    this.role = new IamRole(this, 'Resource', { name: props.roleName, assumeRolePolicy: trust.json });
    const managed = (props.managedPolicies ?? []).map(
      (policy) =>
        new IamRolePolicyAttachment(this, policy.split('/').pop()!, {
          role: this.role.name,
          policyArn: awsManagedPolicyArn(props.region, policy),
        }),
    );
    const statements = props.statements ?? [];
    const inline =
      statements.length === 0
        ? []
        : [
            new IamRolePolicy(this, 'Policy', {
              role: this.role.name,
              name: 'permissions',
              policy: new DataAwsIamPolicyDocument(this, 'Permissions', { statement: [...statements] }).json,
            }),
          ];
    this.attachments = [...managed, ...inline];
  }

  get arn(): string {
    return this.role.arn;
  }
}
