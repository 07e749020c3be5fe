/**
 * Incremental decoder of the AWS event stream (`application/vnd.amazon.eventstream`, Bedrock's
 * ConverseStream body). Messages are decoded by the AWS codec (`@smithy/eventstream-codec`): it
 * checks the prelude and message CRC32s and parses the typed headers. This class only finds where
 * each message ends, from the total length that opens every prelude, as the SDK's own chunker
 * does, so bytes may arrive split anywhere: inside the prelude, a header or the payload.
 */
import { EventStreamCodec, type Message } from '@smithy/eventstream-codec';
import { fromUtf8, toUtf8 } from '@smithy/util-utf8';
import { UpstreamStreamError } from '../contract';
import { unreadable } from '../upstream-errors';

export type { Message as EventStreamMessage };

/** Bytes of the total-length field that opens a message's prelude (big-endian uint32). */
const TOTAL_LENGTH_BYTES = 4;
/** Prelude (12 bytes) plus message CRC (4): the smallest message. */
const MIN_MESSAGE_BYTES = 16;
/** The format's limits: 16 MiB of payload and 128 KiB of headers, plus the framing. */
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024 + 128 * 1024 + MIN_MESSAGE_BYTES;

export class EventStreamDecoder {
  private readonly codec = new EventStreamCodec(toUtf8, fromUtf8);
  private buffer: Uint8Array = new Uint8Array(0);

  /** Feeds bytes; returns the messages they complete, in order. */
  push(bytes: Uint8Array): Message[] {
    this.buffer = this.buffer.length === 0 ? bytes : concat(this.buffer, bytes);
    const messages: Message[] = [];
    let offset = 0;
    while (this.buffer.length - offset >= TOTAL_LENGTH_BYTES) {
      const total = new DataView(this.buffer.buffer, this.buffer.byteOffset + offset, TOTAL_LENGTH_BYTES).getUint32(0, false);
      if (total < MIN_MESSAGE_BYTES || total > MAX_MESSAGE_BYTES) throw unreadable('an event stream message of impossible length');
      if (this.buffer.length - offset < total) break;
      messages.push(this.decode(this.buffer.subarray(offset, offset + total)));
      offset += total;
    }
    this.buffer = this.buffer.subarray(offset);
    return messages;
  }

  /** The end of the body: a message cut short means the stream broke. */
  end(): void {
    if (this.buffer.length > 0) throw new UpstreamStreamError({ kind: 'connection', status: 502, retryable: true, message: 'the provider stream ended inside an event' });
  }

  private decode(message: Uint8Array): Message {
    try {
      return this.codec.decode(message);
    } catch {
      // A CRC mismatch or malformed headers: the bytes were damaged on the way.
      throw unreadable('a damaged event stream message');
    }
  }
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a, 0);
  out.set(b, a.length);
  return out;
}
