/** The email of a user-managed GCP service account, known before it exists (for annotations). */
export function gcpServiceAccountEmail(accountId: string, project: string): string {
  return `${accountId}@${project}.iam.gserviceaccount.com`;
}
