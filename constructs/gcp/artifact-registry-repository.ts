/**
 * A Docker repository in Artifact Registry for the gateway image. Tags are immutable, so a
 * deployed tag always means the same image. `grantPull` gives one principal read access to this
 * repository only (roles/artifactregistry.reader on the repository, not the project).
 */
import { ArtifactRegistryRepository as RepositoryResource } from '@cdktf/provider-google/lib/artifact-registry-repository';
import { ArtifactRegistryRepositoryIamMember } from '@cdktf/provider-google/lib/artifact-registry-repository-iam-member';
import { Construct } from 'constructs';

export interface ArtifactRegistryRepositoryProps {
  readonly project: string;
  readonly region: string;
  /** Repository ID: lower-case letters, digits and hyphens. */
  readonly repositoryId: string;
  readonly description?: string;
}

export class ArtifactRegistryRepository extends Construct {
  readonly repository: RepositoryResource;
  /** Where images are pushed: `<region>-docker.pkg.dev/<project>/<repository>`. */
  readonly url: string;
  private readonly props: ArtifactRegistryRepositoryProps;

  constructor(scope: Construct, id: string, props: ArtifactRegistryRepositoryProps) {
    super(scope, id);
    this.props = props;
    this.repository = new RepositoryResource(this, 'Resource', {
      repositoryId: props.repositoryId,
      location: props.region,
      format: 'DOCKER',
      description: props.description,
      dockerConfig: { immutableTags: true },
    });
    this.url = `${props.region}-docker.pkg.dev/${props.project}/${props.repositoryId}`;
  }

  /** Lets `member` (`serviceAccount:<email>`) pull images from this repository, and nothing else. */
  grantPull(id: string, member: string): ArtifactRegistryRepositoryIamMember {
    return new ArtifactRegistryRepositoryIamMember(this, id, {
      project: this.props.project,
      location: this.props.region,
      repository: this.repository.name,
      role: 'roles/artifactregistry.reader',
      member,
    });
  }
}
