/**
 * Prompt token counts for tokens-per-minute reservations, with a real BPE tokenizer: the
 * `o200k_base` encoding (GPT-4o, GPT-4.1, o-series, GPT-5), counted by our own BpePieceCounter
 * over a table the build writes from gpt-tokenizer's ranks. For other model families it is an
 * estimate within ~10-20 %; the reservation is reconciled with the provider's usage anyway.
 *
 * Costs that shaped this class:
 * - Loading takes ~20 ms and ~6 MB of RSS, ~4 MB of it the table (dist/gateway-o200k.bin: token
 *   bytes, offsets and a hash table, read in one go into typed-array views, load-o200k-table.ts).
 *   gpt-tokenizer's bundled encoding, used before, took ~200 ms and ~70 MB of RSS; js-tiktoken,
 *   before that, ~1.5 s and ~150 MB. It is still loaded once per process, in the background after
 *   the server listens, and only when some `tpm` limit is configured; until then reservations use
 *   the byte estimate. (Run from sources, the table is built from gpt-tokenizer first: ~0.5 s.)
 * - BPE merging is quadratic in a piece's length (64 000 repeated letters take seconds), though a
 *   typical piece takes well under a microsecond (~0.2 µs for English words). So the text is split
 *   with the encoding's own pattern, each distinct piece is counted once and remembered (chat
 *   histories repeat), pieces longer than 48 characters are estimated, and a request gets a
 *   bounded amount of exact work (characters and time); the rest is estimated at one token per
 *   three UTF-8 bytes, which over-reserves English.
 * - Splitting with the pattern was still ~2 % of a request's CPU under load, and chat clients
 *   resend the whole history every turn, so whole texts (up to 16 KiB, 4 Mi characters in all)
 *   are remembered too, when they were counted exactly as a fresh count would count them.
 */
import { BpePieceCounter } from './bpe-piece-counter';
import { loadO200kTable } from './load-o200k-table';

/** What the counter needs of an encoding: its pre-tokenization pattern and a piece counter. */
export interface PieceEncoder {
  /** Splits text into the pieces BPE merges independently (global, unicode). */
  readonly splitPattern: RegExp;
  /** Tokens of one piece, special-token text counted as ordinary text. */
  countPiece(piece: string): number;
}

/** Pieces longer than this are estimated, never merged (quadratic). */
const MAX_PIECE_CHARS = 48;
/** Remembered pieces; the memo is cleared when full. */
const MEMO_LIMIT = 200_000;
/** Whole texts remembered (a chat history resends every earlier message each turn), by total characters. */
const TEXT_MEMO_CHARS = 4 * 1024 * 1024;
/** Texts longer than this are not remembered whole (their pieces still are). */
const MAX_MEMO_TEXT_CHARS = 16 * 1024;
/** Exact work one request may get. */
const EXACT_CHARS_PER_REQUEST = 64 * 1024;
const EXACT_MS_PER_REQUEST = 2;

/** What exact counting a request has left; one per request, shared by its count() calls. */
export class CountBudget {
  private readonly deadline: number;

  constructor(
    public chars = EXACT_CHARS_PER_REQUEST,
    ms = EXACT_MS_PER_REQUEST,
  ) {
    this.deadline = performance.now() + ms;
  }

  expired(): boolean {
    return this.chars <= 0 || performance.now() > this.deadline;
  }
}

/** Tokens of text that is not tokenized: one per three UTF-8 bytes, rounded up. */
export function estimateTokens(text: string): number {
  return Math.ceil(Buffer.byteLength(text) / 3);
}

export class TokenCounter {
  private readonly pattern: RegExp;
  private readonly memo = new Map<string, number>();
  /** Counts of whole texts that were counted within budget and time (so as a fresh count would be). */
  private readonly texts = new Map<string, number>();
  private textChars = 0;

  constructor(private readonly encoder: PieceEncoder) {
    this.pattern = new RegExp(encoder.splitPattern.source, 'gu');
  }

  count(text: string, budget: CountBudget): number {
    if (text.length === 0) return 0;
    if (budget.chars <= 0) return estimateTokens(text);
    const rememberable = text.length <= MAX_MEMO_TEXT_CHARS && text.length <= budget.chars;
    if (rememberable) {
      const known = this.texts.get(text);
      if (known !== undefined) {
        budget.chars -= text.length;
        return known;
      }
    }
    const exact = text.length <= budget.chars ? text : text.slice(0, budget.chars);
    budget.chars -= exact.length;
    let tokens = exact.length < text.length ? estimateTokens(text.slice(exact.length)) : 0;
    let timedOut = false;
    for (const match of exact.matchAll(this.pattern)) {
      const piece = match[0];
      const known = this.memo.get(piece);
      if (known !== undefined) tokens += known;
      else if (piece.length > MAX_PIECE_CHARS) tokens += estimateTokens(piece);
      else if (budget.expired()) {
        timedOut = true;
        tokens += estimateTokens(piece);
      } else {
        const counted = this.encoder.countPiece(piece);
        if (this.memo.size >= MEMO_LIMIT) this.memo.clear();
        this.memo.set(piece, counted);
        tokens += counted;
      }
    }
    if (rememberable && !timedOut) this.remember(text, tokens);
    return tokens;
  }

  private remember(text: string, tokens: number): void {
    if (this.textChars + text.length > TEXT_MEMO_CHARS) {
      this.texts.clear();
      this.textChars = 0;
    }
    this.texts.set(text, tokens);
    this.textChars += text.length;
  }
}

const WARM_UP_TEXT = `You are a helpful assistant. Please answer the following question about the weather, the news,
code, or anything else the user asks. What is the capital of France? Summarize this document in three
sentences and return JSON with the fields "title", "summary" and "tags". Thank you!`;

let loading: Promise<TokenCounter> | undefined;

/** The process's counter, built on first call (~20 ms); later calls share it. */
export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= (async () => {
    const counter = new TokenCounter(new BpePieceCounter(await loadO200kTable()));
    // Warm the encoder's code paths and the memo, so the first requests get exact counts too.
    counter.count(WARM_UP_TEXT, new CountBudget(Infinity, Infinity));
    return counter;
  })();
  return loading;
}
