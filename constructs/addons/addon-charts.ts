/**
 * The Helm charts Switchyard installs as cluster add-ons, each pinned to one chart version. A pin
 * records where the version was read and when, so a reviewer can re-check it; bump a pin in its
 * own commit, after reading the chart's release notes (values keys do move between versions).
 */

export interface AddonChart {
  /** Helm repository URL, or for an OCI chart the registry path above it (`oci://docker.io/envoyproxy`). */
  readonly repository: string;
  /** Chart name in the repository (for OCI, the last path segment). */
  readonly chart: string;
  /** The exact chart version installed: never a range. */
  readonly version: string;
  /** ISO date the pin was last checked against its source. */
  readonly checkedOn: string;
  /** Where the version was read. */
  readonly source: string;
}

/**
 * Envoy Gateway. Its `crds/` directory carries the Gateway API and Envoy Gateway CRDs, which Helm
 * installs on first install and never upgrades (Helm's CRD rule); upgrading CRDs is a manual step
 * documented in docs/infrastructure.md.
 */
export const ENVOY_GATEWAY_CHART: AddonChart = {
  repository: 'oci://docker.io/envoyproxy',
  chart: 'gateway-helm',
  version: 'v1.9.1',
  checkedOn: '2026-11-23',
  source:
    'envoyproxy/gateway release v1.9.1, as Renovate proposed it for envoyproxy/gateway-helm in ajaykumar4/cluster-template#457 (2026-09-11)',
};

/** NVIDIA device plugin: advertises `nvidia.com/gpu` on nodes with NVIDIA drivers. */
export const NVIDIA_DEVICE_PLUGIN_CHART: AddonChart = {
  repository: 'https://nvidia.github.io/k8s-device-plugin',
  chart: 'nvidia-device-plugin',
  version: '0.19.0',
  checkedOn: '2026-11-23',
  source:
    'NVIDIA/k8s-device-plugin CHANGELOG v0.19.0, as Renovate proposed it for nvidia-device-plugin in shaman007/home-k3s#111 (2026-04-02)',
};

/** AMD (ROCm) GPU device plugin: advertises `amd.com/gpu` on nodes with the amdgpu driver. */
export const AMD_GPU_DEVICE_PLUGIN_CHART: AddonChart = {
  repository: 'https://rocm.github.io/k8s-device-plugin',
  chart: 'amd-gpu',
  version: '0.22.0',
  checkedOn: '2026-11-23',
  source: 'ROCm/k8s-device-plugin helm/amd-gpu/README.md version badge (chart 0.22.0, app 1.31.0.9)',
};

/** MetalLB: LoadBalancer Services on bare metal. Its CRDs come with the chart (`crds.enabled`). */
export const METALLB_CHART: AddonChart = {
  repository: 'https://metallb.github.io/metallb',
  chart: 'metallb',
  version: '0.16.1',
  checkedOn: '2026-11-23',
  source:
    'metallb/metallb v0.16.1, as Renovate proposed it in sylva-projects/sylva-core MR 8010; CRDs in ../shared/crds/metallb are v0.16.x',
};

/** Tailscale Kubernetes operator: exposes Services on the tailnet. Installs its own CRDs. */
export const TAILSCALE_OPERATOR_CHART: AddonChart = {
  repository: 'https://pkgs.tailscale.com/helmcharts',
  chart: 'tailscale-operator',
  version: '1.98.9',
  checkedOn: '2026-11-23',
  source:
    'tailscale/tailscale v1.98.9 (chart version = release tag), as Renovate proposed it in maxim-mityutko/home-infra#1980 (2026-07-18)',
};

/** metrics-server: the resource metrics API behind HorizontalPodAutoscalers and `kubectl top`. */
export const METRICS_SERVER_CHART: AddonChart = {
  repository: 'https://kubernetes-sigs.github.io/metrics-server',
  chart: 'metrics-server',
  version: '3.14.0',
  checkedOn: '2026-11-23',
  source: 'kubernetes-sigs/metrics-server chart 3.14.0, per entigolabs/entigo-infralib#1641 (2026-08-26, 3.13.1 -> 3.14.0)',
};

/** Argo CD, installed when `gitops.enabled`: syncs dist/<profile>/ from the configured repo. */
export const ARGO_CD_CHART: AddonChart = {
  repository: 'https://argoproj.github.io/argo-helm',
  chart: 'argo-cd',
  version: '9.5.14',
  checkedOn: '2026-11-23',
  source: 'argoproj/argo-helm release argo-cd-9.5.14 (Argo CD v3.4.2), per ocf/kubernetes#99',
};

/** Every pinned chart, for the docs table and the pin tests. */
export const ADDON_CHARTS = {
  envoyGateway: ENVOY_GATEWAY_CHART,
  nvidiaDevicePlugin: NVIDIA_DEVICE_PLUGIN_CHART,
  amdGpuDevicePlugin: AMD_GPU_DEVICE_PLUGIN_CHART,
  metallb: METALLB_CHART,
  tailscaleOperator: TAILSCALE_OPERATOR_CHART,
  metricsServer: METRICS_SERVER_CHART,
  argoCd: ARGO_CD_CHART,
} as const;
