/** How the platform is reached: the edge hostname, TLS, and on homelab MetalLB and Tailscale. */
import { z } from 'zod';
import { addressRange, dnsLabel, dnsName } from './primitives';

export const tlsSchema = z.discriminatedUnion('mode', [
  /** A kubernetes.io/tls Secret the operator creates in the edge namespace. */
  z.strictObject({ mode: z.literal('secret'), secretName: dnsLabel }),
  /** cert-manager issues the certificate into `secretName` from `clusterIssuer`. */
  z.strictObject({ mode: z.literal('cert-manager'), secretName: dnsLabel, clusterIssuer: dnsLabel }),
  /** HTTP only. Only for a network you trust; the README explains the risk. */
  z.strictObject({ mode: z.literal('none') }),
]);

export const metallbSchema = z.strictObject({
  addressPools: z
    .array(
      z.strictObject({
        name: dnsLabel,
        addresses: z.array(addressRange).min(1),
      }),
    )
    .min(1),
});

export const tailscaleSchema = z.strictObject({
  enabled: z.boolean(),
  /** The name the edge gets on the tailnet. */
  hostname: dnsLabel,
  /** Secret (in the operator's namespace) holding client_id and client_secret of the OAuth client. */
  oauthSecretName: dnsLabel,
});

export const exposureSchema = z.strictObject({
  /** The edge hostname: /v1 and /api go to the gateway, / to OpenWebUI, /grafana to Grafana. */
  hostname: dnsName,
  tls: tlsSchema,
  /** Homelab only: the address pools MetalLB hands to LoadBalancer Services. */
  metallb: metallbSchema.optional(),
  /** Homelab only: remote access over Tailscale. */
  tailscale: tailscaleSchema.optional(),
});

export type ExposureConfig = z.infer<typeof exposureSchema>;
