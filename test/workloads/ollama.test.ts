import { execFileSync } from 'node:child_process';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PULL_SCRIPT } from '../../constructs/models/model-pull-job';
import { tempDir } from '../support/paths';
import { find, type Obj } from './synth-scope';
import { configOf, ingressSources, objectsOf, podPeer, podSpecOf, policy, selector } from './platform-objects';

const cpuOnlyAws = { name: 'system', instanceType: 'm6i.large', minSize: 2, desiredSize: 2, maxSize: 4 };

describe('Ollama', () => {
  const homelab = objectsOf('homelab');
  const pod = podSpecOf(homelab, 'StatefulSet', 'ollama');
  const container = pod.containers[0];

  it('runs non-root with HOME and OLLAMA_MODELS on the models volume', () => {
    expect(pod.securityContext).toMatchObject({
      runAsNonRoot: true,
      runAsUser: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(container.securityContext).toMatchObject({
      readOnlyRootFilesystem: true,
      allowPrivilegeEscalation: false,
      capabilities: { drop: ['ALL'] },
    });
    expect(container.env).toEqual(
      expect.arrayContaining([
        { name: 'HOME', value: '/ollama/home' },
        { name: 'OLLAMA_MODELS', value: '/ollama/models' },
        { name: 'OLLAMA_HOST', value: '0.0.0.0:11434' },
      ]),
    );
    expect(container.volumeMounts).toEqual([
      { name: 'tmp', mountPath: '/tmp' },
      { name: 'models', mountPath: '/ollama' },
    ]);
    expect(pod.automountServiceAccountToken).toBe(false);
  });

  it('probes its real endpoints: / to start, /api/version for readiness and liveness', () => {
    expect(container.startupProbe.httpGet).toEqual({ path: '/', port: 'http', scheme: 'HTTP' });
    expect(container.readinessProbe.httpGet).toEqual({ path: '/api/version', port: 'http', scheme: 'HTTP' });
    expect(container.livenessProbe.httpGet).toEqual({ path: '/api/version', port: 'http', scheme: 'HTTP' });
  });

  it('on homelab AMD: ROCm image, amd.com/gpu, the video group, models on the host path PV pinned to its node', () => {
    expect(container.image).toBe('docker.io/ollama/ollama:0.24.0-rocm');
    expect(container.resources.limits).toEqual({ cpu: '4', memory: '12Gi', 'amd.com/gpu': 1 });
    expect(pod.securityContext.supplementalGroups).toEqual([44]);
    expect(pod.tolerations).toEqual([{ key: 'amd.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    const claim = find(homelab, 'StatefulSet', 'ollama').spec.volumeClaimTemplates[0];
    expect(claim.spec).toMatchObject({
      storageClassName: 'switchyard-local-models',
      volumeName: 'switchyard-ollama-models',
      resources: { requests: { storage: '1500Gi' } },
    });
    const pv = find(homelab, 'PersistentVolume', 'switchyard-ollama-models');
    expect(pv.spec).toMatchObject({
      local: { path: '/mnt/evo4t' },
      persistentVolumeReclaimPolicy: 'Retain',
      claimRef: { namespace: 'ai-models', name: 'models-ollama-0' },
      nodeAffinity: {
        required: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'kubernetes.io/hostname', operator: 'In', values: ['ryzen-ai'] }] }] },
      },
    });
    expect(find(homelab, 'StorageClass', 'switchyard-local-models')).toMatchObject({
      provisioner: 'kubernetes.io/no-provisioner',
      volumeBindingMode: 'WaitForFirstConsumer',
    });
  });

  it("on aws: nvidia.com/gpu, the EKS GPU taint, pinned to the GPU pools' instance types, models on gp3", () => {
    const objects = objectsOf('aws');
    const spec = podSpecOf(objects, 'StatefulSet', 'ollama');
    expect(spec.containers[0].image).toBe('docker.io/ollama/ollama:0.24.0');
    expect(spec.containers[0].resources.limits['nvidia.com/gpu']).toBe(1);
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' }]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'node.kubernetes.io/instance-type', operator: 'In', values: ['g6.xlarge'] }] },
    ]);
    expect(find(objects, 'StatefulSet', 'ollama').spec.volumeClaimTemplates[0].spec).toEqual({
      accessModes: ['ReadWriteOnce'],
      storageClassName: 'gp3',
      resources: { requests: { storage: '200Gi' } },
    });
    expect(objects.some((o) => o.kind === 'PersistentVolume')).toBe(false);
  });

  it('on gcp: the GKE GPU taint and accelerator label', () => {
    const spec = podSpecOf(objectsOf('gcp'), 'StatefulSet', 'ollama');
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Equal', value: 'present', effect: 'NoSchedule' }]);
    expect(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms).toEqual([
      { matchExpressions: [{ key: 'cloud.google.com/gke-accelerator', operator: 'In', values: ['nvidia-l4'] }] },
    ]);
  });

  it('on homelab NVIDIA: the CUDA image, nvidia.com/gpu, the GPU node selector from the config', () => {
    const config = configOf({
      profile: 'homelab',
      cluster: { gpuVendor: 'nvidia', gpuNodeSelector: { 'nvidia.com/gpu.present': 'true' } },
      ollama: { gpus: 2 },
    });
    const spec = podSpecOf(objectsOf(config), 'StatefulSet', 'ollama');
    expect(spec.containers[0].image).toBe('docker.io/ollama/ollama:0.24.0');
    expect(spec.containers[0].resources.requests['nvidia.com/gpu']).toBe(2);
    expect(spec.nodeSelector).toEqual({ 'nvidia.com/gpu.present': 'true' });
    expect(spec.tolerations).toEqual([{ key: 'nvidia.com/gpu', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(spec.securityContext.supplementalGroups).toBeUndefined();
  });

  it('tolerates the taints the config puts on GPU pools', () => {
    const pool = {
      name: 'gpu',
      instanceType: 'g5.xlarge',
      minSize: 0,
      desiredSize: 1,
      maxSize: 2,
      gpu: { count: 1 },
      taints: [{ key: 'team', value: 'ml', effect: 'NoSchedule' }],
    };
    const spec = podSpecOf(objectsOf(configOf({ profile: 'aws', cluster: { nodePools: [cpuOnlyAws, pool] } })), 'StatefulSet', 'ollama');
    expect(spec.tolerations).toEqual([
      { key: 'nvidia.com/gpu', operator: 'Equal', value: 'true', effect: 'NoSchedule' },
      { key: 'team', operator: 'Equal', value: 'ml', effect: 'NoSchedule' },
    ]);
  });

  it('runs CPU-only where the profile has no GPU nodes', () => {
    const spec = podSpecOf(objectsOf(configOf({ profile: 'aws', cluster: { nodePools: [cpuOnlyAws] } })), 'StatefulSet', 'ollama');
    expect(spec.containers[0].resources.limits).toEqual({ cpu: '4', memory: '12Gi' });
    expect(spec.tolerations).toBeUndefined();
    expect(spec.affinity).toBeUndefined();
  });

  it('is reachable only from the gateway and the model pull, and reaches only the public internet on 443', () => {
    expect(policy(homelab, 'ai-models', 'ollama-from-gateway').spec).toEqual({
      podSelector: { matchLabels: selector('ollama') },
      policyTypes: ['Ingress'],
      ingress: [{ from: [podPeer('ai-gateway', 'gateway')], ports: [{ protocol: 'TCP', port: 11434 }] }],
    });
    expect(policy(homelab, 'ai-models', 'ollama-from-model-pull').spec.ingress).toEqual([
      { from: [podPeer('ai-models', 'model-pull')], ports: [{ protocol: 'TCP', port: 11434 }] },
    ]);
    expect(policy(homelab, 'ai-models', 'ollama-to-internet').spec.egress).toEqual([
      {
        to: [
          {
            ipBlock: {
              cidr: '0.0.0.0/0',
              except: ['10.0.0.0/8', '100.64.0.0/10', '127.0.0.0/8', '169.254.0.0/16', '172.16.0.0/12', '192.168.0.0/16'],
            },
          },
        ],
        ports: [{ protocol: 'TCP', port: 443 }],
      },
    ]);
    expect(ingressSources(homelab, 'ai-models', 'ollama')).toEqual(['ai-gateway/gateway -> 11434', 'ai-models/model-pull -> 11434']);
  });
});

describe('model pull Job', () => {
  const objects = objectsOf('homelab');
  const job = objects.find((o) => o.kind === 'Job' && o.metadata!.name!.startsWith('model-pull-')) as Obj & { metadata: { name: string } };

  it("pulls the configured models through Ollama's API, names passed as arguments", () => {
    const container = job.spec.template.spec.containers[0];
    expect(container.command).toEqual([
      '/bin/sh',
      '-c',
      PULL_SCRIPT,
      'model-pull',
      'codellama',
      'llama3.2:3b',
      'gemma2',
      'nomic-embed-text',
    ]);
    expect(container.env).toEqual([
      { name: 'OLLAMA_HOST', value: 'http://ollama.ai-models.svc.cluster.local:11434' },
      { name: 'HOME', value: '/tmp' },
    ]);
    expect(container.image).toBe('docker.io/ollama/ollama:0.24.0');
    expect(job.spec.template.spec.restartPolicy).toBe('Never');
  });

  it('is named after the model list, so only a changed list runs again', () => {
    const other = objectsOf(configOf({ profile: 'homelab', models: [{ name: 'gemma2' }, { name: 'nomic-embed-text' }] })).find(
      (o) => o.kind === 'Job',
    )!;
    expect(job.metadata.name).toMatch(/^model-pull-[0-9a-f]{8}$/);
    expect(other.metadata!.name).not.toBe(job.metadata.name);
    expect(objectsOf('homelab').find((o) => o.kind === 'Job')!.metadata!.name).toBe(job.metadata.name);
  });

  it('may reach only Ollama', () => {
    expect(policy(objects, 'ai-models', 'model-pull-to-ollama').spec).toEqual({
      podSelector: { matchLabels: selector('model-pull') },
      policyTypes: ['Egress'],
      egress: [{ to: [podPeer('ai-models', 'ollama')], ports: [{ protocol: 'TCP', port: 11434 }] }],
    });
    expect(objects.filter((o) => o.kind === 'NetworkPolicy' && o.metadata!.name!.startsWith('model-pull-to-')).length).toBe(1);
  });

  it('the script waits for Ollama, then pulls each model in order, without evaluating names', () => {
    const dir = tempDir();
    const log = join(dir, 'calls');
    const ollama = join(dir, 'ollama');
    // A stand-in `ollama` CLI: `list` fails once (server not up yet), every call is logged.
    writeFileSync(
      ollama,
      `#!/bin/sh\necho "$*" >> "${log}"\nif [ "$1" = list ] && [ ! -e "${dir}/up" ]; then touch "${dir}/up"; exit 1; fi\n`,
    );
    chmodSync(ollama, 0o755);
    const models = ['llama3.2:3b', 'x; touch pwned', '$(touch pwned)'];
    execFileSync('/bin/sh', ['-c', PULL_SCRIPT, 'model-pull', ...models], {
      env: { PATH: `${dir}:/usr/bin:/bin`, OLLAMA_HOST: 'http://127.0.0.1:1' },
      cwd: dir,
      stdio: 'pipe',
    });
    expect(readFileSync(log, 'utf8').trim().split('\n')).toEqual([
      'list',
      'list',
      'pull llama3.2:3b',
      'pull x; touch pwned',
      'pull $(touch pwned)',
      'list',
    ]);
    expect(() => readFileSync(join(dir, 'pwned'))).toThrow();
  });

  it('the script fails the Job when a pull fails', () => {
    const dir = tempDir();
    const ollama = join(dir, 'ollama');
    writeFileSync(ollama, '#!/bin/sh\nif [ "$1" = pull ]; then echo "pull model manifest: file does not exist" >&2; exit 1; fi\n');
    chmodSync(ollama, 0o755);
    expect(() =>
      execFileSync('/bin/sh', ['-c', PULL_SCRIPT, 'model-pull', 'nosuchmodel'], {
        env: { PATH: `${dir}:/usr/bin:/bin`, OLLAMA_HOST: 'x' },
        stdio: 'pipe',
      }),
    ).toThrow(/file does not exist/);
  });
});
