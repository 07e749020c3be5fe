/** Reads go-vcr (version 2) cassettes: the real OpenAI traffic recorded in ../shared/fixtures. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const RECORDED_DIR = join(__dirname, '..', '..', '..', '..', 'shared', 'fixtures', 'openai-recorded');

export interface Interaction {
  readonly name: string;
  readonly request: { readonly url: string; readonly method: string; readonly body: string };
  readonly response: { readonly code: number; readonly headers: Record<string, string[]>; readonly body: string };
}

interface CassetteFile {
  interactions: Array<{
    request: { url: string; method: string; body: string };
    response: { code: number; headers: Record<string, string[]>; body: string };
  }>;
}

export function loadCassette(file: string): Interaction {
  const cassette = parse(readFileSync(join(RECORDED_DIR, file), 'utf8')) as CassetteFile;
  const [first] = cassette.interactions;
  return { name: file.replace(/\.yaml$/, ''), request: first.request, response: first.response };
}

/** Cassettes of the OpenAI API (not Azure), for one endpoint path such as `/v1/chat/completions`. */
export function cassettesFor(path: string): Interaction[] {
  return readdirSync(RECORDED_DIR)
    .filter((f) => f.endsWith('.yaml'))
    .map(loadCassette)
    .filter((c) => c.request.url === `https://api.openai.com${path}`);
}

export function contentType(interaction: Interaction): string {
  const entry = Object.entries(interaction.response.headers).find(([name]) => name.toLowerCase() === 'content-type');
  return entry?.[1][0] ?? 'application/json';
}

/** The `data:` payloads of an SSE body, parsed (without [DONE]). */
export function sseData(body: string): Array<Record<string, unknown>> {
  return body
    .split(/\r?\n/)
    .filter((line) => line.startsWith('data: ') && line !== 'data: [DONE]')
    .map((line) => JSON.parse(line.slice(6)) as Record<string, unknown>);
}
