import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { loadPlatformConfig } from '../../config/load-config';
import { ManifestValidationError } from '../../synth/manifest-problem';
import { synthKubernetes } from '../../synth/synth-kubernetes';
import { synthPlatform } from '../../synth/synth-platform';
import { type KubeObject, validateManifests } from '../../synth/validate-manifests';
import { DEFAULT_CONFIG, tempDir } from '../support/paths';

const config = loadPlatformConfig(DEFAULT_CONFIG);

function problems(objects: KubeObject[]): string[] {
  return validateManifests(objects).map((p) => `${p.kind} ${p.namespace ? `${p.namespace}/` : ''}${p.name} ${p.field}: ${p.message}`);
}

const deployment = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'ai-ui' },
  spec,
});
const podTemplate = (container: Record<string, unknown>) => ({
  selector: { matchLabels: { app: 'web' } },
  template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'web', image: 'nginx:1.27', ...container }] } },
});

describe('the validation gate', () => {
  it('passes every object the default config synthesizes', () => {
    expect(() => synthKubernetes(config)).not.toThrow();
  });

  it('rejects an unknown field deep in a core object, as kubectl --validate=strict would', () => {
    expect(problems([deployment(podTemplate({ imagePullPolicey: 'Always' }))])).toEqual([
      'Deployment ai-ui/web spec.template.spec.containers[0].imagePullPolicey: unknown field (kubectl --validate=strict rejects it)',
    ]);
  });

  it('rejects a wrong type and a missing required field', () => {
    expect(problems([deployment({ ...podTemplate({}), replicas: 'three' })])).toEqual([
      'Deployment ai-ui/web spec.replicas: must be integer',
    ]);
    expect(problems([deployment({ template: podTemplate({}).template })])).toEqual([
      'Deployment ai-ui/web spec.selector: required field is missing',
    ]);
  });

  it('rejects unknown fields inside maps of typed values and lists', () => {
    const bad: KubeObject = {
      apiVersion: 'networking.k8s.io/v1',
      kind: 'NetworkPolicy',
      metadata: { name: 'x', namespace: 'ai-ui' },
      spec: { podSelector: {}, ingress: [{ from: [{ podSelector: { matchLabel: { a: 'b' } } }] }] },
    };
    expect(problems([bad])).toEqual([
      'NetworkPolicy ai-ui/x spec.ingress[0].from[0].podSelector.matchLabel: unknown field (kubectl --validate=strict rejects it)',
    ]);
  });

  it('checks custom resources against their real CRD: unknown field, wrong enum, missing required', () => {
    const pool = (spec: Record<string, unknown>): KubeObject => ({
      apiVersion: 'metallb.io/v1beta1',
      kind: 'IPAddressPool',
      metadata: { name: 'lan', namespace: 'metallb-system' },
      spec,
    });
    expect(problems([pool({ addresses: ['192.168.1.101-192.168.1.102'] })])).toEqual([]);
    expect(problems([pool({ addresses: ['192.168.1.101-192.168.1.102'], autoAssing: true })])).toEqual([
      'IPAddressPool metallb-system/lan spec.autoAssing: unknown field (not in the CRD schema)',
    ]);
    expect(problems([pool({ autoAssign: true })])).toEqual(['IPAddressPool metallb-system/lan spec.addresses: required field is missing']);
    const route: KubeObject = {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: 'api', namespace: 'ai-edge' },
      spec: { rules: [{ matches: [{ path: { type: 'Sometimes', value: '/v1' } }] }] },
    };
    expect(problems([route])).toEqual([
      'HTTPRoute ai-edge/api spec.rules[0].matches[0].path.type: must be equal to one of the allowed values',
    ]);
  });

  it('rejects kinds it has no schema for, and duplicate objects', () => {
    const unknownKind: KubeObject = { apiVersion: 'example.com/v1', kind: 'Widget', metadata: { name: 'w' } };
    expect(problems([unknownKind])).toEqual(['Widget w apiVersion: no CRD schema for example.com/v1 Widget in imports/crd-schemas']);
    const ns: KubeObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'a' } };
    expect(problems([ns, { ...ns }])).toEqual(['Namespace a metadata.name: another object has the same kind, namespace and name']);
  });

  it('stops synth with the kind, name and failing field of an injected bad object, and writes nothing', () => {
    const root = tempDir();
    let error: unknown;
    try {
      synthPlatform({
        configFile: DEFAULT_CONFIG,
        rootDir: root,
        inject: (objects) => objects.push(deployment(podTemplate({ securityContext: { runAsUser: 'root' } }))),
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ManifestValidationError);
    expect((error as Error).message).toContain(
      'Deployment ai-ui/web: spec.template.spec.containers[0].securityContext.runAsUser: must be integer',
    );
    expect(existsSync(join(root, 'dist'))).toBe(false);
    expect(existsSync(join(root, 'cdktf.out'))).toBe(false);
  });
});
