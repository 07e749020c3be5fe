/**
 * The Google APIs the stack's resources need, enabled in the project. They stay enabled on
 * destroy (other workloads in the project may use them). `requiredBy` makes resources wait for
 * their API. Service Usage and Cloud Resource Manager, which this itself calls, are on by
 * default in new projects.
 */
import { ProjectService } from '@cdktf/provider-google/lib/project-service';
import { Construct } from 'constructs';
import { dependable } from '../cdktf';

export const GCP_PROJECT_APIS = [
  'compute.googleapis.com',
  'container.googleapis.com',
  'artifactregistry.googleapis.com',
  'iam.googleapis.com',
] as const;
export type GcpProjectApi = (typeof GCP_PROJECT_APIS)[number];

/** A Terraform resource that can wait on others (cdktf's `dependsOn`, as static addresses). */
interface DependentResource {
  dependsOn?: string[];
}

export class GcpProjectApis extends Construct {
  private readonly services = new Map<GcpProjectApi, ProjectService>();

  constructor(scope: Construct, id: string, props: { readonly project: string }) {
    super(scope, id);
    for (const service of GCP_PROJECT_APIS) {
      this.services.set(
        service,
        new ProjectService(this, service.split('.')[0], { project: props.project, service, disableOnDestroy: false }),
      );
    }
  }

  /**
   * Makes each resource wait until `api` is enabled. The entry is `dependable(service)`, which
   * renders the bare address Terraform requires in `depends_on` (`fqn` would render a `${...}`
   * template, which `terraform init` rejects).
   */
  requiredBy(api: GcpProjectApi, ...resources: DependentResource[]): void {
    const service = this.services.get(api);
    if (!service) throw new Error(`unknown API ${api}`);
    for (const resource of resources) resource.dependsOn = [...(resource.dependsOn ?? []), dependable(service)];
  }
}
