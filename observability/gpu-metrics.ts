/**
 * GPU metrics per vendor. The platform's GPUs come from the profile: NVIDIA on AWS and GCP GPU
 * pools, and on homelab whatever `cluster.gpuVendor` says. Each vendor's exporter names its series
 * differently; recording rules turn them into the vendor-neutral `switchyard:gpu_*` series that
 * alerts and dashboards read, so those never depend on the vendor.
 */
import { type GpuVendor, profileGpuVendor } from '../config/ollama';
import type { PlatformConfig } from '../config/platform-config';

export type { GpuVendor };

/** The GPU vendor of the platform's model nodes, or undefined when it has no GPU. */
export function platformGpuVendor(config: PlatformConfig): GpuVendor | undefined {
  return profileGpuVendor(config);
}

/** What the vendor's exporter exposes and how its series map onto the neutral ones. */
export interface GpuExporterMetrics {
  /** The exporter's port and path. */
  readonly port: number;
  /** The exporter's label holding the GPU index, renamed to `gpu` at scrape time. */
  readonly gpuIndexLabel: string;
  readonly path: string;
  /** The exporter's own metric names used by the recording rules. */
  readonly metricNames: readonly string[];
  /**
   * The labels of those series a query may use, as stored (the GPU index already renamed to
   * `gpu`; `namespace`, `pod`, `container`: the pod using the GPU, when one does).
   */
  readonly seriesLabels: readonly string[];
  /** PromQL for GPU utilisation in 0..1, one series per GPU. */
  readonly utilizationRatio: string;
  /** PromQL for used / total GPU memory in 0..1, one series per GPU. */
  readonly memoryUsedRatio: string;
  /** PromQL for used GPU memory in bytes, one series per GPU. */
  readonly memoryUsedBytes: string;
}

/** Labels kept on every neutral GPU series: the node, the GPU, and the pod using it (when mapped). */
export const GPU_SERIES_LABELS = ['node', 'gpu', 'namespace', 'pod'] as const;

export const GPU_EXPORTER_METRICS: Readonly<Record<GpuVendor, GpuExporterMetrics>> = {
  // NVIDIA DCGM exporter: utilisation in percent, frame buffer in MiB (used and free).
  nvidia: {
    port: 9400,
    gpuIndexLabel: 'gpu',
    path: '/metrics',
    metricNames: ['DCGM_FI_DEV_GPU_UTIL', 'DCGM_FI_DEV_FB_USED', 'DCGM_FI_DEV_FB_FREE'],
    seriesLabels: ['gpu', 'UUID', 'device', 'modelName', 'Hostname', 'namespace', 'pod', 'container'],
    utilizationRatio: 'DCGM_FI_DEV_GPU_UTIL / 100',
    memoryUsedRatio: 'DCGM_FI_DEV_FB_USED / (DCGM_FI_DEV_FB_USED + DCGM_FI_DEV_FB_FREE)',
    memoryUsedBytes: 'DCGM_FI_DEV_FB_USED * 1048576',
  },
  // AMD device-metrics-exporter: graphics engine activity in percent, VRAM in MB.
  amd: {
    port: 5000,
    gpuIndexLabel: 'gpu_id',
    path: '/metrics',
    metricNames: ['gpu_gfx_activity', 'gpu_used_vram', 'gpu_total_vram'],
    seriesLabels: ['gpu', 'serial_number', 'card_model', 'hostname', 'namespace', 'pod', 'container'],
    utilizationRatio: 'gpu_gfx_activity / 100',
    memoryUsedRatio: 'gpu_used_vram / gpu_total_vram',
    memoryUsedBytes: 'gpu_used_vram * 1048576',
  },
};
