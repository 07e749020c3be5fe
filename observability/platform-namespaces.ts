/** The namespaces the platform runs pods in: the tiers, plus the GPU exporter's when there is one. */
import type { PlatformConfig } from '../config/platform-config';
import { TIERS } from '../config/namespaces';
import { platformGpuVendor } from './gpu-metrics';
import { oneOf } from './promql-regex';

/**
 * The GPU exporter's namespace. It needs host devices and the kubelet's pod-resources socket, which
 * Pod Security "restricted" forbids, so it gets a namespace of its own at "privileged" rather than
 * weakening a tier namespace.
 */
export function gpuExporterNamespace(config: PlatformConfig): string {
  return `${config.namespaces.observability}-gpu`;
}

export function platformNamespaces(config: PlatformConfig): string[] {
  const tiers = TIERS.map((tier) => config.namespaces[tier]);
  return platformGpuVendor(config) ? [...tiers, gpuExporterNamespace(config)] : tiers;
}

/** A PromQL regex matching exactly the platform's namespaces, for `namespace=~"..."`. */
export function platformNamespaceMatcher(config: PlatformConfig): string {
  return oneOf(platformNamespaces(config));
}
