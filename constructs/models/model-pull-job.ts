/**
 * Pulls the configured models into Ollama through its API (`ollama pull` is a client of
 * POST /api/pull), once per change of the model list: the Job's name carries a hash of the list,
 * so an unchanged list leaves the completed Job alone and a changed one runs a new Job. Pulling a
 * model Ollama already has only re-checks its manifest, so a re-run is cheap and idempotent.
 * The Job talks only to Ollama; Ollama itself downloads from its registry.
 */
import { Construct } from 'constructs';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import { SecureJob, hashedJobName } from '../kube/secure-job';
import { OLLAMA_IMAGE } from './ollama';

export interface ModelPullJobProps {
  readonly instance: string;
  readonly namespace: string;
  /** Ollama's base URL, e.g. http://ollama.ai-models.svc.cluster.local:11434. */
  readonly ollamaUrl: string;
  /** Model references as `ollama pull` takes them, in pull order. */
  readonly models: readonly string[];
  /**
   * The Ollama CLI image (the CPU build: the Job needs no GPU).
   * @default OLLAMA_IMAGE
   */
  readonly image?: ImageReference;
  /**
   * Budget for all pulls, retries included (large models take a while).
   * @default 7200
   */
  readonly timeoutSeconds?: number;
}

/**
 * Waits until Ollama answers, then pulls each model given as an argument. Models arrive as
 * positional parameters ("$@"), never spliced into the script, so a name cannot inject shell.
 */
export const PULL_SCRIPT = [
  'set -eu',
  'until ollama list >/dev/null 2>&1; do echo "waiting for Ollama at $OLLAMA_HOST"; sleep 5; done',
  'for model in "$@"; do echo "pulling $model"; ollama pull "$model"; done',
  'ollama list',
].join('\n');

export class ModelPullJob extends Construct {
  readonly job: SecureJob;
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: ModelPullJobProps) {
    super(scope, id);
    this.job = new SecureJob(this, 'Job', {
      name: 'model-pull',
      component: 'model-pull',
      instance: props.instance,
      namespace: props.namespace,
      jobName: hashedJobName('model-pull', props.models),
      activeDeadlineSeconds: props.timeoutSeconds ?? 7200,
      container: {
        name: 'pull',
        image: props.image ?? OLLAMA_IMAGE,
        command: ['/bin/sh', '-c', PULL_SCRIPT, 'model-pull', ...props.models],
        env: { OLLAMA_HOST: props.ollamaUrl, HOME: '/tmp' },
        resources: { cpuRequest: '50m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '256Mi' },
        scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '64Mi' }],
      },
    });
    this.pods = this.job.pods;
  }
}
