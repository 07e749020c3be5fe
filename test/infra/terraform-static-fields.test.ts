/** `staticFieldProblems`: each static-only field of a Terraform JSON stack, and the exact message when it is not static. */
import { staticFieldProblems } from '../support/terraform-static-fields';

type Stack = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A small stack with every static-only field set correctly. */
function goodStack(): Stack {
  return {
    terraform: {
      required_providers: { google: { source: 'google', version: '6.50.0' }, helm: { source: 'helm', version: '3.1.1' } },
      backend: { local: { path: '../../terraform.x.tfstate' } },
    },
    provider: { google: [{ project: 'p' }, { alias: 'west', project: 'p', region: '${var.region}' }], helm: [{}] },
    data: { google_client_config: { client: {} } },
    resource: {
      google_project_service: { api: { service: 'container.googleapis.com' } },
      google_container_cluster: {
        cluster: {
          name: '${google_project_service.api.service}',
          provider: 'google.west',
          depends_on: ['google_project_service.api', 'data.google_client_config.client'],
          lifecycle: { ignore_changes: ['node_config', 'labels["a"]'], create_before_destroy: true },
        },
      },
      helm_release: {
        envoy: {
          depends_on: ['google_container_cluster.cluster'],
          lifecycle: { ignore_changes: 'all', replace_triggered_by: ['google_container_cluster.cluster.id'] },
        },
      },
    },
    output: { name: { value: '${google_container_cluster.cluster.name}', depends_on: ['helm_release.envoy'] } },
  };
}

describe('staticFieldProblems', () => {
  it('accepts literals and bare references, and templates in ordinary attributes', () => {
    expect(staticFieldProblems(goodStack())).toEqual([]);
  });

  const cases: Array<[string, (s: Stack) => void, string]> = [
    [
      'a depends_on entry is a ${...} template (cdktf fqn)',
      (s) => (s.resource.helm_release.envoy.depends_on = ['${google_container_cluster.cluster}']),
      'resource.helm_release.envoy.depends_on[0]: got "${google_container_cluster.cluster}"; expected a bare address such as aws_eks_node_group.system (no ${...} template)',
    ],
    [
      'a depends_on entry names no block of the stack',
      (s) => (s.resource.helm_release.envoy.depends_on = ['google_container_node_pool.gone']),
      'resource.helm_release.envoy.depends_on[0]: got "google_container_node_pool.gone"; expected the address of a resource or data source of the stack',
    ],
    [
      'depends_on points at an attribute, not a block',
      (s) => (s.resource.helm_release.envoy.depends_on = ['google_container_cluster.cluster.name']),
      'resource.helm_release.envoy.depends_on[0]: got "google_container_cluster.cluster.name"; expected the address of a resource or data source of the stack',
    ],
    [
      'an output depends_on is a template',
      (s) => (s.output.name.depends_on = ['${helm_release.envoy}']),
      'output.name.depends_on[0]: got "${helm_release.envoy}"; expected a bare address such as aws_eks_node_group.system (no ${...} template)',
    ],
    [
      'a data source depends_on is not a list',
      (s) => (s.data.google_client_config.client.depends_on = 'google_project_service.api'),
      'data.google_client_config.client.depends_on: got "google_project_service.api"; expected a list of bare block addresses',
    ],
    [
      'provider is a template',
      (s) => (s.resource.google_container_cluster.cluster.provider = '${google.west}'),
      'resource.google_container_cluster.cluster.provider: got "${google.west}"; expected a bare provider reference such as aws or aws.west',
    ],
    [
      'provider names an alias nobody configured',
      (s) => (s.resource.google_container_cluster.cluster.provider = 'google.east'),
      'resource.google_container_cluster.cluster.provider: got "google.east"; expected a provider configured in the stack',
    ],
    [
      'ignore_changes holds a template',
      (s) => (s.resource.google_container_cluster.cluster.lifecycle.ignore_changes = ['${node_config}']),
      'resource.google_container_cluster.cluster.lifecycle.ignore_changes[0]: got "${node_config}"; expected a bare attribute path such as tags or scaling_config[0].desired_size',
    ],
    [
      'create_before_destroy is an expression',
      (s) => (s.resource.google_container_cluster.cluster.lifecycle.create_before_destroy = '${true}'),
      'resource.google_container_cluster.cluster.lifecycle.create_before_destroy: got "${true}"; expected true or false',
    ],
    [
      'replace_triggered_by refers to no resource of the stack',
      (s) => (s.resource.helm_release.envoy.lifecycle.replace_triggered_by = ['google_container_node_pool.gone.id']),
      'resource.helm_release.envoy.lifecycle.replace_triggered_by[0]: got "google_container_node_pool.gone.id"; expected a reference to a resource of the stack',
    ],
    [
      'a provider alias is an expression',
      (s) => (s.provider.helm[0].alias = '${var.alias}'),
      'provider.helm[0].alias: got "${var.alias}"; expected a literal name',
    ],
    [
      'a provider version is an expression',
      (s) => (s.terraform.required_providers.helm.version = '${var.helm_version}'),
      'terraform.required_providers.helm.version: got "${var.helm_version}"; expected a literal string',
    ],
    [
      'the backend reads a variable',
      (s) => (s.terraform.backend.local.path = '${var.state}'),
      'terraform.backend.local.path: got "${var.state}"; expected a literal (backends take no expressions)',
    ],
  ];

  it.each(cases)('fails when %s', (_, breakIt, message) => {
    const stack = goodStack();
    breakIt(stack);
    expect(staticFieldProblems(stack)).toEqual([message]);
  });
});
