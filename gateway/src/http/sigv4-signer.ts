/**
 * AWS Signature Version 4 for requests that ask for it (`UpstreamRequest.sigv4`: bedrock), with
 * credentials from the AWS SDK's default Node chain (env, SSO, shared files, EKS Pod Identity,
 * IRSA web identity, ECS, IMDS): the gateway never holds AWS keys in config. The SDK modules load
 * on first use, so gateways without bedrock providers do not pay for them at startup.
 */
import type { SignatureV4 } from '@smithy/signature-v4';

/** The AWS SDK's credential provider type, as SignatureV4 takes it. */
export type CredentialProvider = ConstructorParameters<typeof SignatureV4>[0]['credentials'];

export interface SignableRequest {
  readonly method: string;
  readonly url: URL;
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: string | Uint8Array;
}

interface Signer {
  sign(request: {
    method: string;
    protocol: string;
    hostname: string;
    port?: number;
    path: string;
    query: Record<string, string>;
    headers: Record<string, string>;
    body?: unknown;
  }): Promise<{ headers: Record<string, string> }>;
}

export class SigV4Signer {
  private credentials: CredentialProvider | undefined;
  private readonly signers = new Map<string, Promise<Signer>>();

  /** `credentials` replaces the default chain (tests). */
  constructor(credentials?: CredentialProvider) {
    this.credentials = credentials;
  }

  /** Returns the request's headers plus `host`, `x-amz-date`, `x-amz-security-token` and `authorization`. */
  async sign(request: SignableRequest, scope: { readonly service: string; readonly region: string }): Promise<Record<string, string>> {
    const signer = await this.signerFor(scope.service, scope.region);
    const query: Record<string, string> = {};
    request.url.searchParams.forEach((value, key) => (query[key] = value));
    const signed = await signer.sign({
      method: request.method,
      protocol: request.url.protocol,
      hostname: request.url.hostname,
      port: request.url.port ? Number(request.url.port) : undefined,
      path: request.url.pathname,
      query,
      headers: { ...request.headers, host: request.url.host },
      body: request.body,
    });
    return signed.headers;
  }

  private signerFor(service: string, region: string): Promise<Signer> {
    const id = `${service}/${region}`;
    let signer = this.signers.get(id);
    if (!signer) {
      signer = this.createSigner(service, region);
      this.signers.set(id, signer);
      signer.catch(() => this.signers.delete(id));
    }
    return signer;
  }

  private async createSigner(service: string, region: string): Promise<Signer> {
    const { SignatureV4, Sha256, fromNodeProviderChain } = await import('../vendor/aws');
    this.credentials ??= fromNodeProviderChain();
    return new SignatureV4({
      service,
      region,
      credentials: this.credentials,
      sha256: Sha256,
      uriEscapePath: true,
      applyChecksum: true,
    }) as Signer;
  }
}
