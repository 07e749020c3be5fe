/**
 * A container image pinned to a version: a tag that is not `latest`, or a digest. Workloads refuse
 * anything else at synth, because an unpinned image changes under a running platform.
 */

export interface ImageReference {
  /** Registry and repository, e.g. docker.io/ollama/ollama. */
  readonly repository: string;
  /**
   * A version tag such as 0.12.6.
   * @default - none: then `digest` is required
   */
  readonly tag?: string;
  /**
   * A content digest (sha256:...). With a tag, the digest wins at pull time and the tag documents it.
   * @default - none: then `tag` is required
   */
  readonly digest?: string;
}

const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;

/** The image as Kubernetes takes it: `repository:tag`, `repository@digest` or `repository:tag@digest`. */
export function imageString(image: ImageReference): string {
  return `${image.repository}${image.tag ? `:${image.tag}` : ''}${image.digest ? `@${image.digest}` : ''}`;
}

/** What is wrong with an image reference, as messages naming the value and what is allowed. */
export function imageProblems(image: ImageReference): string[] {
  const shown = JSON.stringify(imageString(image));
  const problems: string[] = [];
  if (!image.repository || /[:@\s]/.test(image.repository.split('/').pop() ?? ''))
    problems.push(
      `image repository ${JSON.stringify(image.repository)} is not a repository name (put the tag in "tag", the digest in "digest")`,
    );
  if (!image.tag && !image.digest) problems.push(`image ${shown} is not pinned: give a version tag or a sha256 digest`);
  if (image.tag !== undefined && (image.tag === 'latest' || !TAG.test(image.tag)))
    problems.push(`image ${shown} has tag ${JSON.stringify(image.tag)}: expected a version tag, not "latest"`);
  if (image.digest !== undefined && !DIGEST.test(image.digest))
    problems.push(`image ${shown} has digest ${JSON.stringify(image.digest)}: expected sha256:<64 hex digits>`);
  return problems;
}
