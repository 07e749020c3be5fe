/**
 * The UI tier: OpenWebUI, and its flows to the Switchyard gateway (chats and embeddings) and to
 * Qdrant (RAG). The edge chart opens the flow from the Envoy proxies into it.
 */
import { Chart } from 'cdk8s';
import type { Construct } from 'constructs';
import type { PlatformConfig } from '../config/platform-config';
import { allowTraffic } from '../constructs/kube/allow-traffic';
import { OpenWebUi } from '../constructs/ui/open-webui';
import { EDGE_BACKEND_PORTS } from './edge-chart';
import { platformPodGroups } from './pod-groups';

export const QDRANT_HTTP_PORT = 6333;

export interface UiChartProps {
  readonly config: PlatformConfig;
}

export class UiChart extends Chart {
  readonly openWebUi: OpenWebUi;

  constructor(scope: Construct, id: string, props: UiChartProps) {
    super(scope, id, { disableResourceNameHashes: true });
    const { config } = props;
    const groups = platformPodGroups(config);
    const serviceUrl = (group: { name: string; namespace: string }, port: number) =>
      `http://${group.name}.${group.namespace}.svc.cluster.local:${port}`;
    const scheme = config.exposure.tls.mode === 'none' ? 'http' : 'https';

    this.openWebUi = new OpenWebUi(this, 'OpenWebUi', {
      namespace: config.namespaces.ui,
      instance: config.name,
      gatewayUrl: `${serviceUrl(groups.gateway, EDGE_BACKEND_PORTS.gateway)}/v1`,
      qdrantUrl: config.components.qdrant ? serviceUrl(groups.qdrant, QDRANT_HTTP_PORT) : undefined,
      embeddingModel: config.openWebUi.embeddingModel,
      storageClassName: config.storage.storageClass,
      publicUrl: `${scheme}://${config.exposure.hostname}`,
    });

    if (config.components.gateway)
      allowTraffic(this, 'OpenWebUiToGateway', { from: this.openWebUi.pods, to: groups.gateway, ports: [EDGE_BACKEND_PORTS.gateway] });
    if (config.components.qdrant)
      allowTraffic(this, 'OpenWebUiToQdrant', { from: this.openWebUi.pods, to: groups.qdrant, ports: [QDRANT_HTTP_PORT] });
  }
}
