/**
 * A private, regional GKE Standard cluster, secure by default:
 * - private nodes (no public IPs; egress through Cloud NAT); the control plane's endpoint is
 *   reachable only from `authorizedNetworks`, and with none it is private (VPC only);
 * - Workload Identity (`<project>.svc.id.goog`), so pods get Google credentials without keys;
 * - shielded nodes, no legacy ABAC, no client certificate, a release channel for upgrades;
 * - Dataplane V2 (`ADVANCED_DATAPATH`), which enforces NetworkPolicy without the Calico add-on;
 * - system and workload logs and system metrics to Cloud Logging and Monitoring;
 * - the default node pool removed (node pools are `GkeNodePool`s), and while it briefly exists
 *   it already runs as the least-privilege node account with GKE metadata and secure boot.
 * GKE's own Gateway API CRDs are disabled: Envoy Gateway installs the Gateway API CRDs it needs.
 */
import { ContainerCluster } from '@cdktf/provider-google/lib/container-cluster';
import { Construct } from 'constructs';
import { POD_RANGE_NAME, SERVICE_RANGE_NAME, type GcpNetwork } from './gcp-network';

export interface AuthorizedNetwork {
  readonly name: string;
  readonly cidr: string;
}

export interface GkeClusterProps {
  readonly name: string;
  readonly project: string;
  /** A region: the control plane and node pools span its zones. */
  readonly region: string;
  readonly network: GcpNetwork;
  readonly releaseChannel: 'RAPID' | 'REGULAR' | 'STABLE';
  /**
   * The lowest control plane version (`min_master_version`), e.g. a minor version `1.33`; GKE
   * upgrades from there along the release channel.
   * @default - the release channel's default version
   */
  readonly kubernetesVersion?: string;
  /** The /28 of the control plane's private endpoint. */
  readonly masterCidr: string;
  /** Networks allowed to reach the control plane; empty keeps the endpoint private. */
  readonly authorizedNetworks: readonly AuthorizedNetwork[];
  /** Email of the node service account. */
  readonly nodeServiceAccountEmail: string;
  readonly labels?: Readonly<Record<string, string>>;
  /**
   * Daily maintenance window start (UTC, HH:MM): when GKE may upgrade and repair.
   * @default '03:00'
   */
  readonly maintenanceStartTime?: string;
}

export class GkeCluster extends Construct {
  readonly cluster: ContainerCluster;
  readonly name: string;
  readonly region: string;
  readonly project: string;
  /** True when the endpoint is private only (no authorized networks). */
  readonly privateEndpoint: boolean;

  constructor(scope: Construct, id: string, props: GkeClusterProps) {
    super(scope, id);
    this.name = props.name;
    this.region = props.region;
    this.project = props.project;
    this.privateEndpoint = props.authorizedNetworks.length === 0;
    this.cluster = new ContainerCluster(this, 'Resource', {
      name: props.name,
      location: props.region,
      network: props.network.network.id,
      subnetwork: props.network.subnet.id,
      networkingMode: 'VPC_NATIVE',
      ipAllocationPolicy: { clusterSecondaryRangeName: POD_RANGE_NAME, servicesSecondaryRangeName: SERVICE_RANGE_NAME },
      removeDefaultNodePool: true,
      initialNodeCount: 1,
      deletionProtection: true,
      privateClusterConfig: {
        enablePrivateNodes: true,
        enablePrivateEndpoint: this.privateEndpoint,
        masterIpv4CidrBlock: props.masterCidr,
      },
      masterAuthorizedNetworksConfig: {
        cidrBlocks: props.authorizedNetworks.map((n) => ({ displayName: n.name, cidrBlock: n.cidr })),
        gcpPublicCidrsAccessEnabled: false,
      },
      masterAuth: { clientCertificateConfig: { issueClientCertificate: false } },
      enableLegacyAbac: false,
      enableShieldedNodes: true,
      releaseChannel: { channel: props.releaseChannel },
      minMasterVersion: props.kubernetesVersion,
      datapathProvider: 'ADVANCED_DATAPATH',
      workloadIdentityConfig: { workloadPool: `${props.project}.svc.id.goog` },
      loggingService: 'logging.googleapis.com/kubernetes',
      monitoringService: 'monitoring.googleapis.com/kubernetes',
      loggingConfig: { enableComponents: ['SYSTEM_COMPONENTS', 'WORKLOADS'] },
      monitoringConfig: { enableComponents: ['SYSTEM_COMPONENTS'] },
      gatewayApiConfig: { channel: 'CHANNEL_DISABLED' },
      maintenancePolicy: { dailyMaintenanceWindow: { startTime: props.maintenanceStartTime ?? '03:00' } },
      resourceLabels: props.labels ? { ...props.labels } : undefined,
      nodeConfig: {
        serviceAccount: props.nodeServiceAccountEmail,
        oauthScopes: ['https://www.googleapis.com/auth/cloud-platform'],
        workloadMetadataConfig: { mode: 'GKE_METADATA' },
        shieldedInstanceConfig: { enableSecureBoot: true, enableIntegrityMonitoring: true },
      },
      // The default pool's node_config only matters until GKE removes that pool.
      lifecycle: { ignoreChanges: ['node_config'] },
    });
  }

  /** `gcloud container clusters get-credentials ...` for this cluster. */
  get credentialsCommand(): string {
    const internal = this.privateEndpoint ? ' --internal-ip' : '';
    return `gcloud container clusters get-credentials ${this.name} --region ${this.region} --project ${this.project}${internal}`;
  }
}
