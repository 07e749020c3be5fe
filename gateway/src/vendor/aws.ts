/**
 * The AWS libraries the gateway uses (SigV4 signing, credentials, Bedrock's event-stream framing),
 * behind one module that is only ever imported dynamically, on the first Bedrock request. The
 * build bundles it into a file of its own (scripts/build.mjs: dist/gateway-aws.js), so a gateway
 * without Bedrock never parses ~600 KiB of AWS code at startup.
 */
export { getChunkedStream } from '@smithy/core/event-streams';
export { EventStreamCodec } from '@smithy/eventstream-codec';
export { fromUtf8, toUtf8 } from '@smithy/util-utf8';
export { SignatureV4 } from '@smithy/signature-v4';
export { Sha256 } from '@aws-crypto/sha256-js';
export { fromNodeProviderChain } from '@aws-sdk/credential-providers';
