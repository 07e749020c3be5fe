/**
 * Observability: how often Prometheus scrapes, how long and how much it keeps, where Grafana's
 * admin credentials come from, and whether the cluster already runs the prometheus-operator (then
 * the platform emits ServiceMonitor and PrometheusRule resources instead of its own Prometheus).
 */
import { z } from 'zod';
import { dnsLabel, labelMap, quantity } from './primitives';

/** A Prometheus retention time: a number and one unit (h, d, w, y), e.g. 15d. */
export const retentionDuration = z.string().regex(/^[1-9][0-9]*(h|d|w|y)$/, { message: 'a duration such as 36h, 15d, 8w or 1y' });

export const observabilitySchema = z.strictObject({
  /** How often Prometheus scrapes every target and evaluates every rule. */
  scrapeIntervalSeconds: z.number().int().min(5).max(300),
  prometheus: z.strictObject({
    /** How long samples are kept (`--storage.tsdb.retention.time`). */
    retention: retentionDuration,
    /**
     * Size of the Prometheus PVC. Prometheus also stops keeping data at 85% of it
     * (`--storage.tsdb.retention.size`), so the volume never fills.
     */
    storageSize: quantity,
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
