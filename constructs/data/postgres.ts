/**
 * PostgreSQL from the official image, as a StatefulSet: one database and its owner created on
 * first start (POSTGRES_DB, POSTGRES_USER), the password from a Secret, running as an unprivileged
 * high UID (the image's entrypoint gives initdb a passwd entry for it through nss_wrapper, in /tmp)
 * on a read-only root filesystem: the data directory is a sub-directory of the volume (a volume's
 * root may hold lost+found, which initdb refuses), and the socket directory, /tmp and /dev/shm are
 * emptyDirs. Ready when `pg_isready` says it accepts connections.
 */
import { Construct } from 'constructs';
import type { ComputeResources } from '../kube/compute-resources';
import type { PodGroup } from '../kube/allow-traffic';
import type { ImageReference } from '../kube/image-reference';
import type { SecretKeyReference } from '../kube/secure-container';
import { SecureWorkload } from '../kube/secure-workload';

export const POSTGRES_IMAGE: ImageReference = { repository: 'docker.io/library/postgres', tag: '17.9' };
export const POSTGRES_PORT = 5432;
const VOLUME_DIR = '/var/lib/postgresql/data';

export interface PostgresProps {
  readonly instance: string;
  readonly namespace: string;
  /** The database created on first start. */
  readonly database: string;
  /** Its owner. */
  readonly user: string;
  readonly passwordSecret: SecretKeyReference;
  readonly storage: { readonly size: string; readonly storageClassName: string };
  /** @default - 250m/2 CPU, 256Mi/1Gi memory */
  readonly resources?: ComputeResources;
  /** @default POSTGRES_IMAGE */
  readonly image?: ImageReference;
}

export class Postgres extends Construct {
  readonly workload: SecureWorkload;
  readonly pods: PodGroup;
  readonly host: string;
  readonly port = POSTGRES_PORT;
  readonly database: string;
  readonly user: string;
  readonly passwordSecret: SecretKeyReference;

  constructor(scope: Construct, id: string, props: PostgresProps) {
    super(scope, id);
    this.database = props.database;
    this.user = props.user;
    this.passwordSecret = props.passwordSecret;
    const ready = [
      'pg_isready',
      '--host',
      '127.0.0.1',
      '--port',
      String(POSTGRES_PORT),
      '--username',
      props.user,
      '--dbname',
      props.database,
    ];
    this.workload = new SecureWorkload(this, 'Workload', {
      name: 'postgres',
      component: 'database',
      instance: props.instance,
      namespace: props.namespace,
      kind: 'StatefulSet',
      container: {
        name: 'postgres',
        image: props.image ?? POSTGRES_IMAGE,
        env: {
          POSTGRES_DB: props.database,
          POSTGRES_USER: props.user,
          POSTGRES_PASSWORD: props.passwordSecret,
          POSTGRES_INITDB_ARGS: '--auth-host=scram-sha-256',
          PGDATA: `${VOLUME_DIR}/pgdata`,
        },
        ports: [{ name: 'postgres', port: POSTGRES_PORT }],
        resources: props.resources ?? { cpuRequest: '250m', cpuLimit: '2', memoryRequest: '256Mi', memoryLimit: '1Gi' },
        health: { readiness: { exec: ready }, startupBudgetSeconds: 600 },
        scratch: [
          { name: 'run', mountPath: '/var/run/postgresql', sizeLimit: '1Mi' },
          { name: 'tmp', mountPath: '/tmp', sizeLimit: '256Mi' },
          { name: 'shm', mountPath: '/dev/shm', sizeLimit: '256Mi', medium: 'Memory' },
        ],
      },
      persistentStorage: [{ name: 'data', mountPath: VOLUME_DIR, ...props.storage }],
      terminationGracePeriodSeconds: 60,
    });
    this.pods = this.workload.pods;
    this.host = this.workload.serviceHost;
  }
}
