/** GitOps with Argo CD: where the synthesized manifests are synced from. */
import { z } from 'zod';

export const gitopsSchema = z.strictObject({
  enabled: z.boolean(),
  repoUrl: z.string().regex(/^(https:\/\/|ssh:\/\/|git@)[^\s]+$/, { message: 'a git URL (https://, ssh:// or git@)' }),
  /** Path in the repo holding `dist/<profile>/`; defaults to that path. */
  path: z.string().min(1),
  revision: z.string().min(1),
});

export type GitopsConfig = z.infer<typeof gitopsSchema>;
