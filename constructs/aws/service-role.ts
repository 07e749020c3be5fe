/**
 * An IAM role an AWS service assumes (the EKS control plane, EC2 nodes), with AWS managed
 * policies attached by name. The trust policy names only that service principal.
 */
import { DataAwsIamPolicyDocument } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
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
  /** AWS managed policy names to attach, e.g. `AmazonEKSClusterPolicy`. @default [] */
  readonly managedPolicies?: readonly string[];
  /** Actions the service may call on STS. @default ['sts:AssumeRole'] */
  readonly trustActions?: readonly string[];
}

export class ServiceRole extends Construct {
  readonly role: IamRole;
  /** The managed policy attachments: depend on these before the service uses the role. */
  readonly attachments: readonly IamRolePolicyAttachment[];

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const trust = new DataAwsIamPolicyDocument(this, 'Trust', {
      statement: [
        {
          effect: 'Allow',
          actions: [...(props.trustActions ?? ['sts:AssumeRole'])],
          principals: [{ type: 'Service', identifiers: [props.service] }],
        },
      ],
    });
    this.role = new IamRole(this, 'Resource', { name: props.roleName, assumeRolePolicy: trust.json });
    this.attachments = (props.managedPolicies ?? []).map(
      (policy) => new IamRolePolicyAttachment(this, policy, { role: this.role.name, policyArn: awsManagedPolicyArn(props.region, policy) }),
    );
  }

  get arn(): string {
    return this.role.arn;
  }
}
