/**
 * The text deltas of an OpenAI-compatible stream, read without `JSON.parse`.
 *
 * Almost every chunk of a streamed answer adds text to choice 0 and nothing else:
 * `{"id":…,"object":"chat.completion.chunk","created":…,"model":…,"system_fingerprint":…,
 * "choices":[{"index":0,"delta":{"content":"…"},"logprobs":null,"finish_reason":null}],
 * "usage":null}`. The gateway sends such a chunk as its identity prefix followed by the upstream's
 * text after its own (`chunk-tail.ts`), so all it needs from it is that text, the delta's content
 * (for output estimates and the cache) and the certainty that nothing else is in it. One regular
 * expression gives all three at about a quarter of the cost of `JSON.parse`, and no objects for
 * the GC: through the parser and the writer a long OpenAI stream went from ~2.7 to ~1.2 us per
 * chunk (BENCHMARKS.md, thirteenth round).
 *
 * A chunk is read this way only when it starts with the identity prefix of the stream's chunks
 * so far and, after that prefix, is exactly (compact JSON, no whitespace):
 *
 *   *( member "," ) "\"choices\":[{\"index\":0,\"delta\":{\"content\":" string "}"
 *     *( ",\"" ("logprobs" | "finish_reason" | "stop_reason") "\":null" ) "}]" *( "," member ) "}"
 *   member = "\"usage\":null" | "\"" key "\":" (string | number | true | false | null)
 *   key    = [a-z_][a-z0-9_]*, and none of id, object, created, model, usage, error, choices
 *
 * with `"usage":null` at most once; it is cut from the tail (chunks never carry usage).
 *
 * Everything this accepts is valid JSON. It has one choice, index 0, whose delta holds only text
 * and which does not finish; it repeats none of the identity keys (a client's parser would take
 * the last) and is no error. Other fields are flat values the gateway passes through untouched.
 * Every other chunk (the role chunk, the finish chunk, usage, tool calls, several choices,
 * whitespace, another key order) is parsed as before. `content-delta.test.ts` holds the two paths
 * to the same chunk and the same output.
 */
import { type TailedChunk, UPSTREAM_TAIL } from './chunk-tail';

/** A text delta for choice 0, kept as the upstream's text. */
export class ContentDelta {
  constructor(
    /** The text it adds. */
    readonly content: string,
    /** The upstream's text after its identity prefix, without `usage`. */
    readonly tail: string,
  ) {}

  /** The chunk `JSON.parse` would have made, under the identity whose prefix is given (for the rules' rare cases). */
  toChunk(prefix: string): TailedChunk {
    const chunk = JSON.parse(prefix + this.tail) as TailedChunk;
    chunk[UPSTREAM_TAIL] = this.tail;
    return chunk;
  }
}

const STRING = String.raw`"(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"`;
const NUMBER = String.raw`-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?`;
/** A flat member, or the `usage` that OpenAI sends as null on every chunk when usage is asked for. */
const MEMBER = String.raw`(?:"usage":null|"(?!(?:id|object|created|model|usage|error|choices)")[a-z_][a-z0-9_]*":(?:${STRING}|${NUMBER}|null|true|false))`;
const TEXT_DELTA = new RegExp(
  String.raw`^(?:${MEMBER},)*"choices":\[\{"index":0,"delta":\{"content":(${STRING})\}(?:,"(?:logprobs|finish_reason|stop_reason)":null)*\}\](?:,${MEMBER})*\}$`,
);

const USAGE_NULL = '"usage":null';

/** The chunk `text` as a text delta when it is one (see above); `prefixLength`: its identity prefix's. */
export function readContentDelta(text: string, prefixLength: number): ContentDelta | undefined {
  let tail = text.slice(prefixLength);
  const match = TEXT_DELTA.exec(tail);
  if (match === null) return undefined;
  // Quotes inside strings are escaped, so a `"usage":null` found is a top-level member (the
  // pattern allows it nowhere else); it is cut out, and a chunk with two is left to the full parse.
  const at = tail.indexOf(USAGE_NULL);
  if (at !== -1) {
    if (tail.indexOf(USAGE_NULL, at + USAGE_NULL.length) !== -1) return undefined;
    tail = at === 0 ? tail.slice(USAGE_NULL.length + 1) : tail.slice(0, at - 1) + tail.slice(at + USAGE_NULL.length);
  }
  const literal = match[1];
  return new ContentDelta(literal.includes('\\') ? (JSON.parse(literal) as string) : literal.slice(1, -1), tail);
}
