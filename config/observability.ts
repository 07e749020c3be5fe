/**
 * Observability: how often Prometheus scrapes, how long and how much it keeps, where Grafana's
 * admin credentials come from, and whether the cluster already runs the prometheus-operator (then
 * the platform emits ServiceMonitor and PrometheusRule resources instead of its own Prometheus).
 */
import { z } from 'zod';
import { dnsLabel, labelMap } from './primitives';

/** A Prometheus retention time: a number and one unit (h, d, w, y), e.g. 15d. */
export const retentionDuration = z.string().regex(/^[1-9][0-9]*(h|d|w|y)$/, { message: 'a duration such as 36h, 15d, 8w or 1y' });

const MEBIBYTES_PER_UNIT = { Mi: 1, Gi: 1024, Ti: 1024 * 1024 } as const;
/** The smallest Prometheus volume: its write-ahead log alone keeps several 128 MiB segments. */
export const MIN_PROMETHEUS_VOLUME_MEBIBYTES = 1024;

/** A size in binary units (`512Mi`, `50Gi`, `1.5Ti`) in MiB, or undefined for anything else. */
export function binarySizeMebibytes(size: string): number | undefined {
  const match = /^([0-9]+(?:\.[0-9]+)?)(Mi|Gi|Ti)$/.exec(size);
  return match ? Number(match[1]) * MEBIBYTES_PER_UNIT[match[2] as keyof typeof MEBIBYTES_PER_UNIT] : undefined;
}

/**
 * The Prometheus volume: a size in Mi, Gi or Ti of at least 1Gi. Only binary units, because
 * `--storage.tsdb.retention.size` is derived from it and Prometheus counts sizes in base 2; a
 * decimal quantity (100G) or a bare number of bytes would have to be converted and rounded.
 */
export const prometheusVolumeSize = z.string().refine((size) => (binarySizeMebibytes(size) ?? 0) >= MIN_PROMETHEUS_VOLUME_MEBIBYTES, {
  message: 'a volume size in binary units (Mi, Gi or Ti) of at least 1Gi, such as 50Gi or 1.5Ti (not 100G, 2 or 500m)',
});

export const observabilitySchema = z.strictObject({
  /** How often Prometheus scrapes every target and evaluates every rule. */
  scrapeIntervalSeconds: z.number().int().min(5).max(300),
  prometheus: z.strictObject({
    /** How long samples are kept (`--storage.tsdb.retention.time`). */
    retention: retentionDuration,
    /**
     * Size of the Prometheus PVC, in Mi, Gi or Ti, at least 1Gi. Prometheus also stops keeping data
     * at 85% of it (`--storage.tsdb.retention.size`), so the volume never fills.
     */
    storageSize: prometheusVolumeSize,
  }),
  grafana: z.strictObject({
    /**
     * Secret in the observability namespace with keys `admin-user` and `admin-password`; the
     * operator creates it (the platform never holds the password).
     */
    adminSecretName: dnsLabel,
  }),
  prometheusOperator: z.strictObject({
    /**
     * The cluster runs the prometheus-operator (kube-prometheus-stack): emit ServiceMonitor and
     * PrometheusRule resources for it and deploy no Prometheus of our own.
     */
    enabled: z.boolean(),
    /** Labels the operator's `serviceMonitorSelector` and `ruleSelector` match. */
    selectorLabels: labelMap,
    /** The operator's Prometheus, as Grafana's datasource URL. */
    prometheusUrl: z.url({ protocol: /^https?$/, message: 'an http(s) URL such as http://prometheus-operated.monitoring.svc:9090' }),
  }),
});

export type ObservabilityConfig = z.infer<typeof observabilitySchema>;
