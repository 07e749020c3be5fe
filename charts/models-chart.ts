/**
 * The models tier: Ollama (GPU or CPU per profile, models on a volume or a homelab host path),
 * the Job that pulls `config.models` into it, and the flows they need: the gateway and the pull
 * Job reach Ollama on 11434; Ollama reaches the internet on 443 to download models.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { allowTraffic } from '../constructs/kube/allow-traffic';
import { PUBLIC_INTERNET } from '../constructs/kube/internet';
import { gpuSchedulingFor } from '../constructs/models/gpu-scheduling';
import { LocalModelVolume } from '../constructs/models/local-model-volume';
import { ModelPullJob } from '../constructs/models/model-pull-job';
import { OLLAMA_PORT, Ollama } from '../constructs/models/ollama';
import { platformPodGroups } from './pod-groups';

export interface ModelsChartProps {
  readonly config: PlatformConfig;
}

export class ModelsChart extends Chart {
  readonly ollama?: Ollama;

  constructor(scope: Construct, id: string, props: ModelsChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    if (!config.components.ollama) return;
    const namespace = config.namespaces.models;
    const groups = platformPodGroups(config);

    const hostStorage = config.profile === 'homelab' ? config.storage.modelStorage : undefined;
    const localVolume = hostStorage
      ? new LocalModelVolume(this, 'ModelStorage', {
          instance: config.name,
          hostPath: hostStorage.hostPath,
          nodeName: hostStorage.nodeName,
          size: hostStorage.size,
          claim: { namespace, name: `${Ollama.MODELS_CLAIM}-ollama-0` },
        })
      : undefined;

    this.ollama = new Ollama(this, 'Ollama', {
      instance: config.name,
      namespace,
      resources: config.ollama.resources,
      gpu: gpuSchedulingFor(config),
      storage: localVolume
        ? { size: hostStorage!.size, storageClassName: localVolume.storageClassName, volumeName: localVolume.volumeName }
        : { size: config.ollama.storageSize, storageClassName: config.storage.storageClass },
    });
    allowTraffic(this, 'OllamaToInternet', { from: groups.ollama, to: PUBLIC_INTERNET, ports: [443] });
    if (config.components.gateway) allowTraffic(this, 'GatewayToOllama', { from: groups.gateway, to: groups.ollama, ports: [OLLAMA_PORT] });

    if (config.models.length > 0) {
      new ModelPullJob(this, 'ModelPull', {
        instance: config.name,
        namespace,
        ollamaUrl: this.ollama.url,
        models: config.models.map((m) => m.name),
      });
      allowTraffic(this, 'ModelPullToOllama', { from: groups['model-pull'], to: groups.ollama, ports: [OLLAMA_PORT] });
    }
  }
}
