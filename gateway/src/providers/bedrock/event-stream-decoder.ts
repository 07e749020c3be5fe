/**
 * The AWS event stream (`application/vnd.amazon.eventstream`, Bedrock's ConverseStream body),
 * read with the AWS libraries only, as the Bedrock runtime client reads it:
 * - `eventStreamMessages` splits the body into whole messages with the SDK's own chunker
 *   (`getChunkedStream` from `@smithy/core/event-streams`, the splitter behind the SDK's
 *   event-stream marshaller), so bytes may arrive split anywhere: inside the prelude, a header or
 *   the payload;
 * - `decodeEventStreamMessage` decodes one message with the AWS codec
 *   (`@smithy/eventstream-codec`), which checks the prelude and message CRC32s and parses the
 *   typed headers.
 * Nothing here reads the framing itself. The AWS modules load with the first Bedrock stream, so
 * gateways without Bedrock providers do not pay for them at startup.
 */
import type { getChunkedStream as GetChunkedStream } from '@smithy/core/event-streams';
import type { EventStreamCodec, Message } from '@smithy/eventstream-codec';
import { UpstreamStreamError } from '../contract';
import { unreadable } from '../upstream-errors';

export type { Message as EventStreamMessage };

/**
 * The format's limits (16 MiB of payload, 128 KiB of headers, 16 bytes of prelude and CRC): a body
 * that sends more than this without completing a message is damaged, and is refused before the
 * chunker buffers any more of it.
 */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 128 * 1024 + 16;

interface AwsEventStream {
  readonly chunk: typeof GetChunkedStream;
  readonly codec: EventStreamCodec;
}
let aws: AwsEventStream | undefined;
let loadingAws: Promise<AwsEventStream> | undefined;

function loadAws(): Promise<AwsEventStream> {
  loadingAws ??= import('../../vendor/aws').then((lib) => {
    aws = { chunk: lib.getChunkedStream, codec: new lib.EventStreamCodec(lib.toUtf8, lib.fromUtf8) };
    return aws;
  });
  return loadingAws;
}

/**
 * The body's messages, one whole message per item. The body's own failures (a reset, a timeout)
 * pass through unchanged; a body that ends inside a message is a broken stream, one that sends
 * more than a message may hold without completing it is unreadable.
 */
export async function* eventStreamMessages(body: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array, void, undefined> {
  const { chunk } = await loadAws();
  let sourceError: { error: unknown } | undefined;
  let pendingBytes = 0;
  async function* source(): AsyncGenerator<Uint8Array, void, undefined> {
    try {
      for await (const bytes of body) {
        // The chunker has split every earlier piece before it asks for this one: what is still
        // pending is the start of one message.
        if (pendingBytes > MAX_MESSAGE_BYTES) throw unreadable('an event stream message longer than the format allows');
        pendingBytes += bytes.length;
        yield bytes;
      }
    } catch (error) {
      sourceError = { error };
      throw error;
    }
  }
  try {
    for await (const message of chunk(source())) {
      pendingBytes -= message.length;
      yield message;
    }
  } catch {
    if (sourceError) throw sourceError.error;
    // The chunker's own refusal: the body stopped inside the message it had started.
    throw brokenStream();
  }
  // The chunker ends quietly when the body stops inside a message's first four bytes.
  if (pendingBytes !== 0) throw brokenStream();
}

function brokenStream(): UpstreamStreamError {
  return new UpstreamStreamError({
    kind: 'connection',
    status: 502,
    retryable: true,
    message: 'the provider stream ended inside an event',
  });
}

/** Decodes one whole message (as `eventStreamMessages` yields them, which loads the codec first). */
export function decodeEventStreamMessage(message: Uint8Array): Message {
  if (!aws) throw new Error('decodeEventStreamMessage before eventStreamMessages loaded the AWS codec');
  try {
    return aws.codec.decode(message);
  } catch {
    // A CRC mismatch, malformed headers, or bytes that are not one whole message.
    throw unreadable('a damaged event stream message');
  }
}
