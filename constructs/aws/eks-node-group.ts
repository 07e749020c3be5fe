/**
 * An EKS managed node group with its own launch template. The launch template carries what
 * managed node groups leave open: IMDSv2 required with a hop limit of 1 (pods cannot reach the
 * node's instance metadata or its IAM role; they use Pod Identity), and an encrypted gp3 root
 * volume. GPU pools boot the NVIDIA AMI and carry the `nvidia.com/gpu=true:NoSchedule` taint, so
 * only pods that tolerate it (model servers, the device plugin) land there. No SSH access is
 * configured; nodes are reached through the Kubernetes API.
 */
import { EksNodeGroup as EksNodeGroupResource, type EksNodeGroupTaint } from '@cdktf/provider-aws/lib/eks-node-group';
import { LaunchTemplate } from '@cdktf/provider-aws/lib/launch-template';
import { Construct } from 'constructs';
import { defaultDiskSizeGb } from '../../config/node-pools';
import { type ITerraformDependable, Token } from '../cdktf';
import { eksAmiType } from './eks-ami-type';

/** The taint on every GPU node: the key the NVIDIA device plugin advertises, value `true`. */
export const GPU_TAINT = { key: 'nvidia.com/gpu', value: 'true', effect: 'NO_SCHEDULE' } as const;
/** Labels every node of a pool carries; GPU pools add `nvidia.com/gpu.present=true`. */
export const NODE_POOL_LABEL = 'switchyard.dev/node-pool';
export const GPU_PRESENT_LABEL = 'nvidia.com/gpu.present';

const TAINT_EFFECTS = { NoSchedule: 'NO_SCHEDULE', PreferNoSchedule: 'PREFER_NO_SCHEDULE', NoExecute: 'NO_EXECUTE' } as const;

export interface EksNodeGroupTaintProps {
  readonly key: string;
  readonly value: string;
  readonly effect: keyof typeof TAINT_EFFECTS;
}

export interface EksNodeGroupProps {
  /** The cluster name as a reference (EksCluster.name), so the group waits for the cluster. */
  readonly clusterName: string;
  /** IAM role of the nodes (EksNodeRole). */
  readonly nodeRoleArn: string;
  /** Private subnets the nodes run in. */
  readonly subnetIds: string[];
  /** Pool name: prefixes the node group name and labels its nodes. */
  readonly name: string;
  readonly instanceType: string;
  /** 0 lets the pool scale to zero (GPU pools). */
  readonly minSize: number;
  /** Node count at creation; later owned by the autoscaler (changes to it are ignored). */
  readonly desiredSize: number;
  readonly maxSize: number;
  /**
   * Root volume size in GiB.
   * @default 200 on a GPU pool (the NVIDIA AMI's driver stack and model server images), 100 otherwise
   */
  readonly diskSizeGb?: number;
  /** @default false */
  readonly spot?: boolean;
  /** A GPU pool: NVIDIA AMI, GPU taint and label. @default false */
  readonly gpu?: boolean;
  /** @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Taints beyond the GPU taint. @default [] */
  readonly taints?: readonly EksNodeGroupTaintProps[];
  /** What nodes need before they can become Ready (the node add-ons, the node role's policies). @default [] */
  readonly dependsOn?: ITerraformDependable[];
}

export class EksNodeGroup extends Construct {
  readonly nodeGroup: EksNodeGroupResource;
  readonly launchTemplate: LaunchTemplate;

  constructor(scope: Construct, id: string, props: EksNodeGroupProps) {
    super(scope, id);
    const gpu = props.gpu ?? false;
    this.launchTemplate = new LaunchTemplate(this, 'LaunchTemplate', {
      namePrefix: `${props.name}-`,
      description: `EKS node group ${props.name}: IMDSv2 only, encrypted gp3 root volume`,
      updateDefaultVersion: true,
      metadataOptions: {
        httpEndpoint: 'enabled',
        httpTokens: 'required',
        httpPutResponseHopLimit: 1,
        instanceMetadataTags: 'disabled',
      },
      blockDeviceMappings: [
        {
          // The root device of the Amazon Linux 2023 EKS AMIs.
          deviceName: '/dev/xvda',
          ebs: {
            volumeSize: props.diskSizeGb ?? defaultDiskSizeGb(gpu),
            volumeType: 'gp3',
            encrypted: 'true',
            deleteOnTermination: 'true',
          },
        },
      ],
      tagSpecifications: ['instance', 'volume', 'network-interface'].map((resourceType) => ({
        resourceType,
        tags: { Name: `${props.name}-node`, [NODE_POOL_LABEL]: props.name },
      })),
    });

    const taints: EksNodeGroupTaint[] = [
      ...(gpu ? [{ ...GPU_TAINT }] : []),
      ...(props.taints ?? []).map((t) => ({ key: t.key, value: t.value, effect: TAINT_EFFECTS[t.effect] })),
    ];
    this.nodeGroup = new EksNodeGroupResource(this, 'Resource', {
      clusterName: props.clusterName,
      nodeGroupNamePrefix: `${props.name}-`,
      nodeRoleArn: props.nodeRoleArn,
      subnetIds: props.subnetIds,
      amiType: eksAmiType(props.instanceType, gpu),
      instanceTypes: [props.instanceType],
      capacityType: props.spot ? 'SPOT' : 'ON_DEMAND',
      scalingConfig: { minSize: props.minSize, desiredSize: props.desiredSize, maxSize: props.maxSize },
      updateConfig: { maxUnavailable: 1 },
      launchTemplate: { id: this.launchTemplate.id, version: Token.asString(this.launchTemplate.latestVersion) },
      labels: { ...props.labels, [NODE_POOL_LABEL]: props.name, ...(gpu ? { [GPU_PRESENT_LABEL]: 'true' } : {}) },
      ...(taints.length > 0 ? { taint: taints } : {}),
      // Replaces unhealthy nodes (including GPU and driver failures) automatically.
      nodeRepairConfig: { enabled: true },
      lifecycle: { createBeforeDestroy: true, ignoreChanges: ['scaling_config[0].desired_size'] },
      ...(props.dependsOn ? { dependsOn: props.dependsOn } : {}),
    });
  }
}
