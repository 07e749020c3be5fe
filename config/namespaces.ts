/** The tier namespaces: one per tier of the seed architecture, plus the edge. */
import { z } from 'zod';
import { dnsLabel } from './primitives';

/** The tiers, in the order their namespaces are created. */
export const TIERS = ['edge', 'gateway', 'models', 'data', 'ui', 'observability'] as const;
export type Tier = (typeof TIERS)[number];

export const namespacesSchema = z.strictObject({
  edge: dnsLabel,
  gateway: dnsLabel,
  models: dnsLabel,
  data: dnsLabel,
  ui: dnsLabel,
  observability: dnsLabel,
});

export type NamespacesConfig = z.infer<typeof namespacesSchema>;
