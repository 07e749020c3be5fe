/**
 * The whole platform config: one YAML file (platform.yaml) that every chart and stack reads.
 * A discriminated union on `profile`: each profile has its own `cluster` section.
 * Profile defaults (`profile-defaults.ts`) are merged in before this schema parses.
 */
import { z } from 'zod';
import { awsClusterSchema } from './cluster-aws';
import { gcpClusterSchema } from './cluster-gcp';
import { homelabClusterSchema } from './cluster-homelab';
import { componentsSchema } from './components';
import { dataServicesSchema } from './data-services';
import { exposureSchema } from './exposure';
import { gatewayDeploymentSchema } from './gateway';
import { gitopsSchema } from './gitops';
import { modelsSchema } from './models';
import { namespacesSchema } from './namespaces';
import { ollamaSchema } from './ollama';
import { observabilitySchema } from './observability';
import { openWebUiSchema } from './open-webui';
import { dnsLabel } from './primitives';
import { storageSchema } from './storage';

export const PROFILES = ['aws', 'gcp', 'homelab'] as const;
export type Profile = (typeof PROFILES)[number];

const common = {
  /** Prefix of every cloud resource and Kubernetes release name. */
  name: dnsLabel.max(20),
  /** dev, staging, prod, ...: tags and labels every resource. */
  environment: dnsLabel.max(20),
  namespaces: namespacesSchema,
  components: componentsSchema,
  exposure: exposureSchema,
  storage: storageSchema,
  models: modelsSchema,
  ollama: ollamaSchema,
  data: dataServicesSchema,
  gateway: gatewayDeploymentSchema,
  openWebUi: openWebUiSchema,
  gitops: gitopsSchema.optional(),
  observability: observabilitySchema,
};

export const platformConfigSchema = z.discriminatedUnion('profile', [
  z.strictObject({ profile: z.literal('aws'), cluster: awsClusterSchema, ...common }),
  z.strictObject({ profile: z.literal('gcp'), cluster: gcpClusterSchema, ...common }),
  z.strictObject({ profile: z.literal('homelab'), cluster: homelabClusterSchema, ...common }),
]);

/**
 * The keys every profile shares, for a config whose `profile` is missing or unknown, so its other
 * keys are still checked and unknown keys still reported. What depends on the profile is not
 * checked: `cluster` is only allowed, and `storage.storageClass` may be left to the profile default.
 */
export const sharedKeysSchema = z.strictObject({
  profile: z.unknown().optional(),
  cluster: z.unknown().optional(),
  ...common,
  storage: storageSchema.partial({ storageClass: true }).optional(),
});

export type PlatformConfig = z.infer<typeof platformConfigSchema>;
export type AwsPlatformConfig = Extract<PlatformConfig, { profile: 'aws' }>;
export type GcpPlatformConfig = Extract<PlatformConfig, { profile: 'gcp' }>;
export type HomelabPlatformConfig = Extract<PlatformConfig, { profile: 'homelab' }>;
