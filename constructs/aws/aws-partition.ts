/** The ARN partition of a region: `aws`, `aws-cn` (China) or `aws-us-gov` (GovCloud). */
export function awsPartition(region: string): string {
  if (region.startsWith('cn-')) return 'aws-cn';
  if (region.startsWith('us-gov-')) return 'aws-us-gov';
  return 'aws';
}

/** ARN of an AWS managed IAM policy, by name with any path (`service-role/AmazonEBSCSIDriverPolicy`). */
export function awsManagedPolicyArn(region: string, policy: string): string {
  return `arn:${awsPartition(region)}:iam::aws:policy/${policy}`;
}
