/**
 * Argo CD sync waves: the order in which one sync applies the platform's objects. Argo CD applies
 * wave by wave, lowest first, and waits for each wave to be healthy before the next:
 *
 *   -3  Namespaces: everything else lives in one
 *   -2  infrastructure custom resources others build on: the GatewayClass and EnvoyProxy the
 *       Gateway refers to, MetalLB's address pools that LoadBalancer Services draw from
 *   -1  what workloads mount or are governed by: ServiceAccounts, ConfigMaps, claims and volumes,
 *       RBAC, NetworkPolicies; the Gateway, its client policy and the ReferenceGrants
 *    0  workloads and their Services, autoscalers, disruption budgets, monitoring objects
 *    1  what needs running workloads: Jobs (model pulls, bucket setup), HTTPRoutes and their
 *       backend policies (routes to Services that now have ready endpoints)
 *
 * Any kind not listed is wave 0.
 */
import { ApiObject } from 'cdk8s';
import type { IConstruct } from 'constructs';

export const SYNC_WAVE_ANNOTATION = 'argocd.argoproj.io/sync-wave';

const WAVES: Readonly<Record<string, number>> = {
  Namespace: -3,
  GatewayClass: -2,
  EnvoyProxy: -2,
  IPAddressPool: -2,
  L2Advertisement: -2,
  ServiceAccount: -1,
  ConfigMap: -1,
  PersistentVolume: -1,
  PersistentVolumeClaim: -1,
  StorageClass: -1,
  Role: -1,
  RoleBinding: -1,
  ClusterRole: -1,
  ClusterRoleBinding: -1,
  NetworkPolicy: -1,
  Gateway: -1,
  ClientTrafficPolicy: -1,
  ReferenceGrant: -1,
  Job: 1,
  CronJob: 1,
  HTTPRoute: 1,
  BackendTrafficPolicy: 1,
};

/** The wave of a kind. */
export function syncWaveOf(kind: string): number {
  return WAVES[kind] ?? 0;
}

/** Annotates every Kubernetes object under `scopes` (the synced charts) with its sync wave. */
export function applySyncWaves(scopes: readonly IConstruct[]): void {
  for (const construct of scopes.flatMap((scope) => scope.node.findAll())) {
    if (construct instanceof ApiObject) construct.metadata.addAnnotation(SYNC_WAVE_ANNOTATION, String(syncWaveOf(construct.kind)));
  }
}
