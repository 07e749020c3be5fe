/**
 * Reading OpenAI chat messages for adapters whose providers structure them differently (ollama,
 * anthropic, bedrock): the text of a message, its images, and tool-call arguments as objects.
 * Anything a provider cannot express is refused with `untranslatable`, naming the request part.
 */
import type { ChatMessage, ContentPart } from './openai-types';
import { untranslatable } from './upstream-errors';

/** An image as providers take it inline: media type and base64 data. */
export interface InlineImage {
  readonly mediaType: string;
  readonly base64: string;
}

/** A message's content part: text, or an image given inline (data URL) or by URL. */
export type MessagePart =
  { readonly kind: 'text'; readonly text: string } | { readonly kind: 'image'; readonly inline?: InlineImage; readonly url?: string };

const DATA_URL = /^data:([a-z]+\/[a-z0-9.+-]+);base64,([A-Za-z0-9+/=\s]*)$/i;

/** `data:image/png;base64,...` as media type and data; undefined for any other URL. */
export function parseDataUrl(url: string): InlineImage | undefined {
  const match = DATA_URL.exec(url);
  return match ? { mediaType: match[1].toLowerCase(), base64: match[2].replace(/\s+/g, '') } : undefined;
}

/** The parts of a message's content, in order; `at` names the message (`messages[2]`) in errors. */
export function messageParts(content: ChatMessage['content'], at: string): MessagePart[] {
  if (content === null || content === undefined) return [];
  if (typeof content === 'string') return content.length > 0 ? [{ kind: 'text', text: content }] : [];
  return content.map((part: ContentPart, p) => {
    if (part.type === 'text' && typeof part.text === 'string') return { kind: 'text', text: part.text };
    if (part.type === 'image_url') {
      const url = (part.image_url as { url?: unknown } | undefined)?.url;
      if (typeof url !== 'string') throw untranslatable(`${at}.content[${p}].image_url.url`, 'expected a string URL');
      const inline = parseDataUrl(url);
      return inline ? { kind: 'image', inline } : { kind: 'image', url };
    }
    throw untranslatable(
      `${at}.content[${p}].type`,
      `content parts of type ${JSON.stringify(part.type)} are not supported by this provider (text and image_url are)`,
    );
  });
}

/** All text of a message's content, parts joined by newlines (images left out). */
export function messageText(content: ChatMessage['content'], at: string): string {
  return messageParts(content, at)
    .flatMap((part) => (part.kind === 'text' ? [part.text] : []))
    .join('\n');
}

/** A message's content that may only be text (system prompts, tool results), parts joined by newlines. */
export function textOnlyContent(content: ChatMessage['content'], at: string): string {
  return messageParts(content, at)
    .map((part, p) => {
      if (part.kind !== 'text') throw untranslatable(`${at}.content[${p}]`, 'only text is allowed here on this provider');
      return part.text;
    })
    .join('\n');
}

/** A tool call's JSON `arguments` as the object providers take; empty means no arguments. */
export function toolArguments(text: string, param: string): Record<string, unknown> {
  if (text.trim().length === 0) return {};
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw untranslatable(param, 'expected a JSON object of tool arguments');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw untranslatable(param, 'expected a JSON object of tool arguments');
  return value as Record<string, unknown>;
}

/** `stop` as a list. */
export function stopSequences(stop: string | string[] | undefined): string[] | undefined {
  if (stop === undefined || stop === null) return undefined;
  return typeof stop === 'string' ? [stop] : stop;
}

/** Providers that answer with one choice refuse `n` > 1 rather than silently answer once. */
export function requireSingleChoice(n: number | undefined): void {
  if (n !== undefined && n !== null && n !== 1) throw untranslatable('n', `this provider returns one choice per request; got ${n}`);
}
