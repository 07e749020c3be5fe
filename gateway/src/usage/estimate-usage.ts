/**
 * Token counts when a provider reported none: a stream cut by the client or an upstream failure
 * before the usage event, or a server that never sends usage. A cheap estimate (about four
 * characters per token for English text, at least one token per streamed chunk), flagged as
 * estimated in the audit log. Loading a real BPE tokenizer costs ~1 s and ~150 MB per process,
 * too much for a path that only runs when the provider is silent.
 */
import type { TokenUsage } from '../providers/contract';

const CHARS_PER_TOKEN = 4;
/** Per-message framing tokens OpenAI's chat format adds. */
const TOKENS_PER_MESSAGE = 4;

export function estimateInputTokens(promptChars: number, messages: number): number {
  return Math.ceil(promptChars / CHARS_PER_TOKEN) + messages * TOKENS_PER_MESSAGE;
}

export function estimateOutputTokens(outputChars: number, chunks: number): number {
  return Math.max(chunks, Math.ceil(outputChars / CHARS_PER_TOKEN));
}

/**
 * The provider's usage when it gave one, else an estimate; with the flag. For a stream that was cut
 * (`complete` false), the provider's counts may trail what was streamed (Anthropic reports output
 * tokens at the end only): its output count is raised to the estimate when that is higher.
 */
export function usageOrEstimate(
  reported: TokenUsage | undefined,
  estimate: () => TokenUsage,
  complete = true,
): { usage: TokenUsage; estimated: boolean } {
  if (!reported || (reported.inputTokens === 0 && reported.outputTokens === 0)) return { usage: estimate(), estimated: true };
  if (complete) return { usage: reported, estimated: false };
  const streamed = estimate().outputTokens;
  return streamed > reported.outputTokens
    ? { usage: { ...reported, outputTokens: streamed }, estimated: true }
    : { usage: reported, estimated: false };
}
