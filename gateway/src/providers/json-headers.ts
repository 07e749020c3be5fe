/**
 * Request headers for JSON APIs that take a bearer key (OpenAI-compatible servers, Ollama behind
 * a proxy, `http` inference services). One object per key, built on first use and shared by every request after it: the
 * HTTP client only reads them.
 */
const NO_KEY: Readonly<Record<string, string>> = Object.freeze({ 'content-type': 'application/json' });
const byKey = new Map<string, Readonly<Record<string, string>>>();

export function bearerJsonHeaders(apiKey: string | undefined): Readonly<Record<string, string>> {
  if (!apiKey) return NO_KEY;
  let headers = byKey.get(apiKey);
  if (!headers) {
    headers = Object.freeze({ 'content-type': 'application/json', authorization: `Bearer ${apiKey}` });
    byKey.set(apiKey, headers);
  }
  return headers;
}
