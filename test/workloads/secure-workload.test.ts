import { SecureJob, hashedJobName } from '../../constructs/kube/secure-job';
import { SecureWorkload, type SecureWorkloadProps } from '../../constructs/kube/secure-workload';
import { securityExceptions } from '../../constructs/kube/security-exception';
import { emptyChart, find, synthObjects, validationErrors } from './synth-scope';

const BASE: SecureWorkloadProps = {
  name: 'echo',
  component: 'example',
  instance: 'switchyard',
  namespace: 'ai-test',
  container: {
    name: 'echo',
    image: { repository: 'docker.io/library/echo', tag: '1.2.3' },
    ports: [{ name: 'http', port: 8080 }],
    resources: { cpuRequest: '100m', cpuLimit: '500m', memoryRequest: '64Mi', memoryLimit: '128Mi' },
    health: { readiness: { httpGet: { path: '/ready', port: 'http' } }, liveness: { httpGet: { path: '/live', port: 'http' } } },
    scratch: [{ name: 'tmp', mountPath: '/tmp', sizeLimit: '32Mi' }],
    env: { LOG_LEVEL: 'info', TOKEN: { secretName: 'echo-token', key: 'token' } },
  },
};

function synth(props: Partial<SecureWorkloadProps> = {}) {
  const chart = emptyChart();
  new SecureWorkload(chart, 'echo', { ...BASE, ...props });
  return { chart, objects: synthObjects(chart) };
}

describe('SecureWorkload', () => {
  const { objects } = synth();
  const deployment = find(objects, 'Deployment', 'echo');
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];

  it('runs non-root with a fixed UID/GID, seccomp RuntimeDefault and no token', () => {
    expect(pod.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      fsGroupChangePolicy: 'OnRootMismatch',
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.enableServiceLinks).toBe(false);
    expect(pod.serviceAccountName).toBe('echo');
    expect(find(objects, 'ServiceAccount', 'echo').automountServiceAccountToken).toBe(false);
  });

  it('locks the container down: read-only root, no escalation, all capabilities dropped', () => {
    expect(container.securityContext).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('mounts scratch directories as sized emptyDirs', () => {
    expect(pod.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '32Mi' } }]);
    expect(container.volumeMounts).toEqual([{ name: 'tmp', mountPath: '/tmp' }]);
  });

  it('sets requests and limits and the pinned image', () => {
    expect(container.image).toBe('docker.io/library/echo:1.2.3');
    expect(container.resources).toEqual({ requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '500m', memory: '128Mi' } });
  });

  it('probes startup, readiness and liveness on the given paths', () => {
    expect(container.readinessProbe).toMatchObject({ httpGet: { path: '/ready', port: 'http', scheme: 'HTTP' }, periodSeconds: 10 });
    expect(container.livenessProbe).toMatchObject({ httpGet: { path: '/live', port: 'http' }, failureThreshold: 3 });
    expect(container.startupProbe).toMatchObject({ httpGet: { path: '/live', port: 'http' }, periodSeconds: 5, failureThreshold: 60 });
  });

  it('references secrets by name and key, never by value', () => {
    expect(container.env).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'TOKEN', valueFrom: { secretKeyRef: { name: 'echo-token', key: 'token', optional: false } } },
    ]);
  });

  it('labels pods with the selector charts/pod-groups.ts expects', () => {
    expect(deployment.spec.selector.matchLabels).toEqual({ 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'switchyard' });
    expect(deployment.spec.template.metadata.labels).toMatchObject({
      'app.kubernetes.io/component': 'example',
      'app.kubernetes.io/part-of': 'switchyard',
    });
  });

  it('adds a ClusterIP Service on the named ports and a PDB that never blocks a drain', () => {
    expect(find(objects, 'Service', 'echo').spec.ports).toEqual([{ name: 'http', port: 8080, targetPort: 'http', protocol: 'TCP' }]);
    expect(find(objects, 'PodDisruptionBudget', 'echo').spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { 'app.kubernetes.io/name': 'echo', 'app.kubernetes.io/instance': 'switchyard' } },
    });
  });

  it('spreads over zones only with more than one replica', () => {
    expect(pod.topologySpreadConstraints).toBeUndefined();
    const spread = find(synth({ replicas: 3 }).objects, 'Deployment', 'echo').spec.template.spec.topologySpreadConstraints;
    expect(spread.map((c: { topologyKey: string }) => c.topologyKey)).toEqual(['topology.kubernetes.io/zone', 'kubernetes.io/hostname']);
    expect(spread[0]).toMatchObject({ maxSkew: 1, whenUnsatisfiable: 'ScheduleAnyway' });
  });

  it('leaves replicas to an autoscaler when one is asked for', () => {
    const { objects: scaled } = synth({ autoscaling: { minReplicas: 2, maxReplicas: 5 } });
    expect(find(scaled, 'Deployment', 'echo').spec.replicas).toBeUndefined();
    expect(find(scaled, 'HorizontalPodAutoscaler', 'echo').spec).toMatchObject({
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'echo' },
      minReplicas: 2,
      maxReplicas: 5,
    });
  });

  it('as a StatefulSet, claims storage on the given class and governs a headless Service', () => {
    const { objects: stateful } = synth({
      kind: 'StatefulSet',
      persistentStorage: [{ name: 'data', mountPath: '/data', size: '10Gi', storageClassName: 'gp3' }],
    });
    const set = find(stateful, 'StatefulSet', 'echo');
    expect(set.spec.serviceName).toBe('echo-headless');
    expect(find(stateful, 'Service', 'echo-headless').spec.clusterIP).toBe('None');
    expect(set.spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '10Gi' } },
    });
    expect(set.spec.template.spec.containers[0].volumeMounts).toContainEqual({ name: 'data', mountPath: '/data' });
  });

  it('weakens a default only through a named exception, annotated and reported', () => {
    const { chart, objects: weak } = synth({ exceptions: { writableRootFilesystem: 'writes its cache under /app' } });
    const set = find(weak, 'Deployment', 'echo');
    expect(set.metadata!.annotations).toEqual({ 'exempt.policy.switchyard.dev/read-only-root-filesystem': 'writes its cache under /app' });
    expect(set.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem).toBe(false);
    expect(securityExceptions(chart)).toEqual(['test/echo: ai-test/echo: writableRootFilesystem (writes its cache under /app)']);
  });

  it('mounts the token only when the workload says it calls the Kubernetes API', () => {
    const { objects: api } = synth({ exceptions: { kubernetesApiToken: 'watches ConfigMaps' } });
    expect(find(api, 'Deployment', 'echo').spec.template.spec.automountServiceAccountToken).toBe(true);
    expect(find(api, 'ServiceAccount', 'echo').automountServiceAccountToken).toBe(true);
  });

  it.each([
    [
      'the image is latest',
      { container: { ...BASE.container, image: { repository: 'echo', tag: 'latest' } } },
      'container echo: image "echo:latest" has tag "latest": expected a version tag, not "latest"',
    ],
    [
      'the image is untagged',
      { container: { ...BASE.container, image: { repository: 'echo' } } },
      'container echo: image "echo" is not pinned: give a version tag or a sha256 digest',
    ],
    [
      'the namespace is default',
      { namespace: 'default' },
      'namespace is "default": workloads run in their tier namespace, never in "default"',
    ],
    [
      'the container has no probes',
      { container: { ...BASE.container, health: undefined } },
      'container echo: health is missing; a long-running workload needs probes on its health check',
    ],
    [
      'a request is above its limit',
      { container: { ...BASE.container, resources: { ...BASE.container.resources, memoryRequest: '1Gi' } } },
      'container echo: resources.memoryRequest (1Gi) is above resources.memoryLimit (128Mi)',
    ],
    [
      'a Deployment asks for claims',
      { persistentStorage: [{ name: 'd', mountPath: '/d', size: '1Gi', storageClassName: 'gp3' }] },
      'persistentStorage needs kind "StatefulSet" (a Deployment\'s replicas would share one ReadWriteOnce claim)',
    ],
  ] as const)('fails when %s', (_case, props, message) => {
    const chart = emptyChart();
    new SecureWorkload(chart, 'echo', { ...BASE, ...(props as Partial<SecureWorkloadProps>) });
    expect(validationErrors(chart)).toEqual([message]);
  });
});

describe('SecureJob', () => {
  it('runs once with the same secure pod and no probes', () => {
    const chart = emptyChart();
    new SecureJob(chart, 'job', {
      ...BASE,
      name: 'setup',
      jobName: hashedJobName('setup', ['a']),
      container: { ...BASE.container, health: undefined },
    });
    const objects = synthObjects(chart);
    const job = find(objects, 'Job', hashedJobName('setup', ['a']));
    const pod = job.spec.template.spec;
    expect(pod.restartPolicy).toBe('Never');
    expect(pod.automountServiceAccountToken).toBe(false);
    expect(pod.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
    expect(pod.containers[0].readinessProbe).toBeUndefined();
    expect(job.spec).toMatchObject({ backoffLimit: 6, activeDeadlineSeconds: 3600 });
  });

  it('names a Job after a hash of its inputs, so a change makes a new Job', () => {
    expect(hashedJobName('model-pull', ['llama3.2:3b'])).toMatch(/^model-pull-[0-9a-f]{8}$/);
    expect(hashedJobName('model-pull', ['llama3.2:3b'])).toBe(hashedJobName('model-pull', ['llama3.2:3b']));
    expect(hashedJobName('model-pull', ['gemma2'])).not.toBe(hashedJobName('model-pull', ['llama3.2:3b']));
  });
});
