/** Reading JSON from upstream bodies and events: a parsed object, or a clear "unreadable" failure. */
import { unreadable } from './upstream-errors';

/** The JSON value of `text`, or undefined when it is not JSON (error bodies may be anything). */
export function tryJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** A JSON object from an upstream body or event; anything else throws `unreadable(what)`. */
export function readJsonObject<T extends object = Record<string, unknown>>(text: string, what: string): T {
  const value = tryJson(text);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unreadable(what);
  return value as T;
}
