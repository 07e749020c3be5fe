/**
 * Real AWS event-stream bytes for Bedrock tests, produced by the AWS codec itself
 * (`EventStreamCodec.encode`): the headers ConverseStream sends and JSON payloads, CRCs included.
 */
import { EventStreamCodec } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { readFileSync } from 'node:fs';
import { FIXTURES_DIR } from './stream-replay';

/** One ConverseStream message: an event (`event` names its `:event-type`) or an exception. */
export type StreamMessage =
  { readonly event: string; readonly payload: unknown } | { readonly exception: string; readonly payload: unknown };

const codec = new EventStreamCodec(toUtf8, fromUtf8);
const str = (value: string) => ({ type: 'string' as const, value });

export function encodeMessage(message: StreamMessage): Uint8Array {
  const body = fromUtf8(JSON.stringify(message.payload));
  if ('exception' in message)
    return codec.encode({
      headers: { ':exception-type': str(message.exception), ':content-type': str('application/json'), ':message-type': str('exception') },
      body,
    });
  return codec.encode({
    headers: { ':event-type': str(message.event), ':content-type': str('application/json'), ':message-type': str('event') },
    body,
  });
}

export function encodeStream(messages: readonly StreamMessage[]): Buffer {
  return Buffer.concat(messages.map(encodeMessage));
}

export function bedrockFixture(name: string): StreamMessage[] {
  return JSON.parse(readFileSync(`${FIXTURES_DIR}/bedrock/${name}`, 'utf8')) as StreamMessage[];
}
