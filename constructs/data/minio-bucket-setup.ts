/**
 * Creates MinIO buckets and, for each, a MinIO user limited to that bucket, with the `mc` client:
 * one mc command per step, run in order as init containers (the last as the main container), each
 * idempotent: `mb --ignore-existing`, `admin policy create` (replaces), `admin user add` (updates
 * the secret), `admin policy attach` (a no-op when already attached, since mc RELEASE.2024-10).
 * The Job's name carries a hash of the bucket list, so it runs again only when the list changes.
 *
 * mc reaches MinIO through MC_HOST_minio=http://<root user>:<root password>@<host>: the kubelet
 * expands the two `$(...)` references from the root Secret, so credentials stay out of the
 * manifest. They must be URL-safe (hex from `openssl rand -hex`, as docs/workloads.md shows).
 */
import { Construct } from 'constructs';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import { KubeConfigMap } from '../kube/k8s';
import { workloadLabels } from '../kube/labels';
import type { SecureContainerProps } from '../kube/secure-container';
import { SecureJob, hashedJobName } from '../kube/secure-job';
import type { AccessKeySecret } from './data-secrets';
import type { Minio } from './minio';
import { S3_READ_WRITE_ACTIONS } from './object-store';

export const MC_IMAGE: ImageReference = { repository: 'quay.io/minio/mc', tag: 'RELEASE.2025-08-13T08-35-41Z' };

export interface BucketGrant {
  readonly bucketName: string;
  /** The MinIO user (access key id and secret key) that gets read and write on the bucket. */
  readonly user: AccessKeySecret;
}

export interface MinioBucketSetupProps {
  readonly instance: string;
  readonly namespace: string;
  readonly minio: Minio;
  readonly buckets: readonly BucketGrant[];
  /** @default MC_IMAGE */
  readonly image?: ImageReference;
}

/** An IAM-style policy allowing one bucket's objects to be listed, read, written and deleted. */
export function bucketPolicy(bucketName: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: [...S3_READ_WRITE_ACTIONS.bucket], Resource: [`arn:aws:s3:::${bucketName}`] },
      { Effect: 'Allow', Action: [...S3_READ_WRITE_ACTIONS.objects], Resource: [`arn:aws:s3:::${bucketName}/*`] },
    ],
  };
}

const ALIAS = 'minio';

export class MinioBucketSetup extends Construct {
  readonly job: SecureJob;
  readonly pods: PodGroup;

  constructor(scope: Construct, id: string, props: MinioBucketSetupProps) {
    super(scope, id);
    this.node.addValidation({
      validate: () => (props.buckets.length === 0 ? ['buckets is empty: give at least one bucket to set up'] : []),
    });
    const policies = new KubeConfigMap(this, 'Policies', {
      metadata: {
        name: 'minio-setup-policies',
        namespace: props.namespace,
        labels: workloadLabels({ name: 'minio-setup', component: 'object-store-setup', instance: props.instance }),
      },
      data: Object.fromEntries(props.buckets.map((b) => [`${b.bucketName}.json`, JSON.stringify(bucketPolicy(b.bucketName), null, 2)])),
    });

    const root = props.minio.rootCredentials;
    const host = props.minio.endpointUrl.replace('://', '://$(MINIO_ROOT_USER):$(MINIO_ROOT_PASSWORD)@');
    const step = (name: string, args: string[], user?: AccessKeySecret): SecureContainerProps => ({
      name,
      image: props.image ?? MC_IMAGE,
      command: ['mc'],
      args: ['--quiet', ...args],
      env: {
        MINIO_ROOT_USER: { secretName: root.secretName, key: root.accessKeyIdKey },
        MINIO_ROOT_PASSWORD: { secretName: root.secretName, key: root.secretAccessKeyKey },
        [`MC_HOST_${ALIAS}`]: host,
        // mc keeps its config in $HOME/.mc: on the /tmp emptyDir.
        HOME: '/tmp',
        ...(user
          ? {
              BUCKET_ACCESS_KEY_ID: { secretName: user.secretName, key: user.accessKeyIdKey },
              BUCKET_SECRET_ACCESS_KEY: { secretName: user.secretName, key: user.secretAccessKeyKey },
            }
          : {}),
      },
      resources: { cpuRequest: '50m', cpuLimit: '250m', memoryRequest: '32Mi', memoryLimit: '128Mi' },
      scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '16Mi' }],
      mounts: [{ name: 'policies', mountPath: '/policies', readOnly: true }],
    });
    const steps = props.buckets.flatMap((b, i) => [
      step(`bucket-${i}`, ['mb', '--ignore-existing', `${ALIAS}/${b.bucketName}`]),
      step(`policy-${i}`, ['admin', 'policy', 'create', ALIAS, `${b.bucketName}-rw`, `/policies/${b.bucketName}.json`]),
      step(`user-${i}`, ['admin', 'user', 'add', ALIAS, '$(BUCKET_ACCESS_KEY_ID)', '$(BUCKET_SECRET_ACCESS_KEY)'], b.user),
      step(`grant-${i}`, ['admin', 'policy', 'attach', ALIAS, `${b.bucketName}-rw`, '--user', '$(BUCKET_ACCESS_KEY_ID)'], b.user),
    ]);

    this.job = new SecureJob(this, 'Job', {
      name: 'minio-setup',
      component: 'object-store-setup',
      instance: props.instance,
      namespace: props.namespace,
      jobName: hashedJobName('minio-setup', props.buckets),
      initContainers: steps.slice(0, -1),
      container: steps[steps.length - 1] ?? step('none', ['--version']),
      volumes: [{ name: 'policies', configMap: { name: policies.name } }],
      activeDeadlineSeconds: 900,
    });
    this.pods = this.job.pods;
  }
}
