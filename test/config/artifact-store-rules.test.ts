import { parsePlatformConfig } from '../../config/load-config';
import { configProblems as problemsOf } from '../support/config-problems';

const s3 = (store: Record<string, unknown>) => ({
  data: { mlflow: { artifactStore: { type: 's3', bucket: 'acme-mlflow', region: 'us-east-1', ...store } } },
});

describe('MLflow artifact store config', () => {
  it('defaults to the MinIO bucket mlflow-artifacts, with MinIO on', () => {
    const config = parsePlatformConfig({ profile: 'homelab' });
    expect(config.data.mlflow.artifactStore).toEqual({ type: 'minio', bucket: 'mlflow-artifacts' });
    expect(config.components.minio).toBe(true);
  });

  it('leaves MinIO out when nothing stores objects in it: an s3 artifact store, or MLflow off', () => {
    const external = parsePlatformConfig({ profile: 'aws', ...s3({}) });
    expect(external.data.mlflow.artifactStore).toEqual({ type: 's3', bucket: 'acme-mlflow', region: 'us-east-1' });
    expect(external.components.minio).toBe(false);
    expect(parsePlatformConfig({ profile: 'homelab', components: { mlflow: false } }).components.minio).toBe(false);
  });

  it('replaces the default store instead of merging into it (no MinIO bucket left in an s3 store)', () => {
    const config = parsePlatformConfig({
      profile: 'gcp',
      cluster: { project: 'demo-project-1' },
      ...s3({ endpoint: 'https://storage.googleapis.com', credentialsSecretName: 'mlflow-gcs-hmac' }),
    });
    expect(config.data.mlflow.artifactStore).toEqual({
      type: 's3',
      bucket: 'acme-mlflow',
      region: 'us-east-1',
      endpoint: 'https://storage.googleapis.com',
      credentialsSecretName: 'mlflow-gcs-hmac',
    });
  });

  it("accepts an AWS S3 bucket without keys on aws (the MLflow pod's IAM role), and a Secret anywhere", () => {
    expect(problemsOf({ profile: 'aws', ...s3({}) })).toEqual([]);
    expect(
      problemsOf({
        profile: 'homelab',
        ...s3({ endpoint: 'https://abc123.r2.cloudflarestorage.com', region: 'auto', credentialsSecretName: 'mlflow-r2' }),
      }),
    ).toEqual([]);
  });

  it('fails when MinIO is turned on while MLflow is off', () => {
    expect(problemsOf({ profile: 'homelab', components: { mlflow: false, minio: true } })).toEqual([
      "components.minio: got true; expected false or unset while components.mlflow is false (MinIO holds only MLflow's artifacts)",
    ]);
  });

  it("fails when MinIO is turned on while MLflow's artifacts go to an s3 bucket", () => {
    expect(problemsOf({ profile: 'aws', components: { minio: true }, ...s3({}) })).toEqual([
      "components.minio: got true; expected false or unset while data.mlflow.artifactStore is an s3 bucket (MinIO holds only MLflow's artifacts)",
    ]);
  });

  it('fails when a bucket outside AWS has no credentials Secret on aws', () => {
    expect(problemsOf({ profile: 'aws', ...s3({ endpoint: 'https://storage.googleapis.com' }) })).toEqual([
      "data.mlflow.artifactStore.credentialsSecretName: got missing; expected the name of a Secret in ai-data with the keys accessKeyId and secretAccessKey (the MLflow pod's IAM role reaches AWS S3 only: leave out endpoint to use it)",
    ]);
  });

  it.each(['gcp', 'homelab'] as const)('fails when the bucket has no credentials Secret on %s', (profile) => {
    const cluster = profile === 'gcp' ? { cluster: { project: 'demo-project-1' } } : {};
    expect(problemsOf({ profile, ...cluster, ...s3({ endpoint: 'https://storage.googleapis.com' }) })).toEqual([
      'data.mlflow.artifactStore.credentialsSecretName: got missing; expected the name of a Secret in ai-data with the keys accessKeyId and secretAccessKey (only the aws profile can give MLflow an IAM role instead)',
    ]);
  });

  const endpointExpected =
    'an https:// URL of a public host name on port 443, such as https://storage.googleapis.com (no IP address, in-cluster or LAN name: MLflow reaches it through the internet egress policy, 443 only)';
  it.each([
    ['is plain HTTP', 'http://storage.googleapis.com'],
    ['has a port other than 443', 'https://s3.example.com:9000'],
    ['is an IP address', 'https://203.0.113.10'],
    ['is an in-cluster Service', 'https://minio.ai-data.svc'],
    ['is a LAN name', 'https://nas.home.arpa'],
    ['is a bare host name', 'https://minio'],
    ['carries credentials', 'https://key:secret@s3.example.com'],
    ['is not a URL', 's3.example.com'],
  ])('fails when the endpoint %s', (_case, endpoint) => {
    expect(problemsOf({ profile: 'homelab', ...s3({ endpoint, credentialsSecretName: 'mlflow-s3' }) })).toEqual([
      `data.mlflow.artifactStore.endpoint: got ${JSON.stringify(endpoint)}; expected ${endpointExpected}`,
    ]);
  });

  it('fails when the bucket, region or Secret name is malformed', () => {
    expect(problemsOf({ profile: 'aws', ...s3({ bucket: 'Acme_Bucket', region: 'US East', credentialsSecretName: 'Mlflow S3' }) })).toEqual(
      [
        'data.mlflow.artifactStore.bucket: got "Acme_Bucket"; expected an S3 bucket name: 3-63 lower-case letters, digits, "." and "-"',
        'data.mlflow.artifactStore.region: got "US East"; expected a region name such as us-east-1 or auto',
        'data.mlflow.artifactStore.credentialsSecretName: got "Mlflow S3"; expected a DNS name such as ai.example.com (lower case)',
      ],
    );
  });

  it('fails when the store type is unknown, or a key belongs to the other type', () => {
    expect(problemsOf({ profile: 'homelab', data: { mlflow: { artifactStore: { type: 'gcs', bucket: 'b-1' } } } })).toEqual([
      'data.mlflow.artifactStore.type: got "gcs"; expected one of "minio", "s3"',
    ]);
    expect(problemsOf({ profile: 'homelab', data: { mlflow: { artifactStore: { region: 'us-east-1' } } } })).toEqual([
      'data.mlflow.artifactStore.region: got unknown key "region"; expected one of the keys type, bucket',
    ]);
  });

  it('fails when the old artifactBucket key is used', () => {
    expect(problemsOf({ profile: 'homelab', data: { mlflow: { artifactBucket: 'mlflow-artifacts' } } })).toEqual([
      'data.mlflow.artifactBucket: got unknown key "artifactBucket"; expected one of the keys artifactStore',
    ]);
  });
});
