/**
 * An OpenAI-compatible upstream's own text for a chunk, kept so the stream writer can send the
 * chunk without serialising it again.
 *
 * OpenAI, vLLM and llama.cpp write each chunk as compact JSON whose first keys are `id`, `object`,
 * `created` and `model`. The gateway replaces exactly those values (and drops `usage`), so when a
 * chunk reaches the writer unchanged otherwise, its text is the gateway's identity prefix followed
 * by the upstream's text after its own prefix: the "tail". The tail is taken only when that is
 * provably so:
 * - the upstream's text starts with the identity prefix that its parsed values serialise to
 *   (same key order, no whitespace, `"object":"chat.completion.chunk"`);
 * - `usage`, when present, is a top-level `,"usage":null` (OpenAI sends one on every chunk when
 *   usage is asked for, which the gateway always does), and is cut out;
 * - the rest names none of the identity keys or `usage` again (a duplicate key would win in a
 *   client's parser); a string value equal to one of those names also falls back, harmlessly.
 * Any other chunk has no tail and is serialised from its object, as before. Text deltas, most of
 * a stream, are not parsed at all once the prefix is known (`content-delta.ts`).
 */
import type { StreamContext } from './contract';
import type { ChatCompletionChunk } from './openai-types';

/** The upstream's text after its identity prefix, without `usage` (a symbol key: JSON.stringify skips it). */
export const UPSTREAM_TAIL = Symbol('upstreamTail');

export type TailedChunk = ChatCompletionChunk & { [UPSTREAM_TAIL]?: string };

/** `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,` as JSON.stringify writes it. */
export function identityPrefix(id: string, created: number, model: string): string {
  return `{"id":${JSON.stringify(id)},"object":"chat.completion.chunk","created":${JSON.stringify(created)},"model":${JSON.stringify(model)},`;
}

const IDENTITY_OR_USAGE_KEY = /"(?:id|object|created|model|usage)"/;
const USAGE_NULL = ',"usage":null';

/**
 * Finds a chunk's tail, remembering the upstream's last prefix (one stream repeats it). Call it
 * with the chunk as parsed, before its identity is replaced.
 */
export class ChunkTailReader {
  private prefix = '';
  private id = '';
  private created = Number.NaN;
  private model = '';

  /** The length of the stream's identity prefix so far when `text` starts with it, else 0. */
  knownPrefixLength(text: string): number {
    return this.prefix !== '' && startsWith(text, this.prefix) ? this.prefix.length : 0;
  }

  tailOf(text: string, parsed: ChatCompletionChunk): string | undefined {
    const { id, created, model } = parsed;
    if (typeof id !== 'string' || typeof created !== 'number' || typeof model !== 'string') return undefined;
    if (id !== this.id || created !== this.created || model !== this.model) {
      this.prefix = identityPrefix(id, created, model);
      this.id = id;
      this.created = created;
      this.model = model;
    }
    if (!startsWith(text, this.prefix)) return undefined;
    let tail = text.slice(this.prefix.length);
    if (parsed.usage !== undefined) {
      // The first `,"usage":null` ending a value is cut; if it was not the top-level one, the
      // top-level one is still in the tail and the key test below refuses it.
      const at = tail.indexOf(USAGE_NULL);
      const after = tail[at + USAGE_NULL.length];
      if (parsed.usage !== null || at === -1 || (after !== ',' && after !== '}')) return undefined;
      tail = tail.slice(0, at) + tail.slice(at + USAGE_NULL.length);
    }
    return IDENTITY_OR_USAGE_KEY.test(tail) ? undefined : tail;
  }
}

/**
 * `text.startsWith(prefix)`, for the ~100-character identity prefix: V8's `startsWith` took ~0.4 us
 * on the decoder's sliced strings, comparing a slice ~0.05 us (one chunk's whole parse with the
 * text deltas of content-delta.ts is ~1 us).
 */
function startsWith(text: string, prefix: string): boolean {
  return text.length >= prefix.length && text.slice(0, prefix.length) === prefix;
}

/** The chunk's text under the gateway's identity, when its tail is known and it still matches. */
export function tailedText(chunk: TailedChunk, identity: StreamContext, prefix: string): string | undefined {
  const tail = chunk[UPSTREAM_TAIL];
  if (tail === undefined || chunk.id !== identity.id || chunk.created !== identity.created || chunk.model !== identity.model)
    return undefined;
  return prefix + tail;
}
