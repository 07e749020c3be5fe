/**
 * Checks a request's AWS SigV4 signature the way AWS does: re-signs what the server received, at
 * the instant it names (`x-amz-date`), with the same secret, and compares the two `authorization`
 * headers. The reference signer is the AWS SDK's own.
 */
import { Sha256 } from '@aws-crypto/sha256-js';
import { SignatureV4 } from '@smithy/signature-v4';
import type { SeenRequest } from './fake-upstream';

export interface TestCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

export async function expectedAuthorization(
  request: SeenRequest,
  origin: string,
  credentials: TestCredentials,
  service: string,
  region: string,
): Promise<string> {
  const authorization = String(request.headers.authorization);
  const signedHeaders = /SignedHeaders=([^,]+)/.exec(authorization)?.[1].split(';') ?? [];
  const amzDate = String(request.headers['x-amz-date']);
  const signingDate = new Date(
    `${amzDate.slice(0, 4)}-${amzDate.slice(4, 6)}-${amzDate.slice(6, 8)}T${amzDate.slice(9, 11)}:${amzDate.slice(11, 13)}:${amzDate.slice(13, 15)}Z`,
  );
  const headers = Object.fromEntries(signedHeaders.map((name) => [name, String(request.headers[name])]));
  const url = new URL(origin);
  const verifier = new SignatureV4({ service, region, credentials, sha256: Sha256 });
  const signed = await verifier.sign(
    {
      method: request.method,
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: request.path,
      query: {},
      headers,
      body: request.body,
    },
    { signingDate },
  );
  return signed.headers.authorization;
}
