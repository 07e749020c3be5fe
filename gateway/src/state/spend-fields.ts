/**
 * The fields of a period's spend hash: `<scope>:<id>:<measure>`, integer counters.
 * - scope: `k` API key id, `t` tenant, `m` client model name (may itself contain ":")
 * - measure: `c` cost in nano-USD, `r` requests, `i` input tokens, `o` output tokens
 * Nano-USD keeps sums exact in Redis integers (HINCRBY) up to about 9 million USD per field.
 */

export type SpendScope = 'k' | 't' | 'm';
export type SpendMeasure = 'c' | 'r' | 'i' | 'o';

export const NANO_PER_USD = 1e9;

export function spendScope(scope: SpendScope, id: string): string {
  return `${scope}:${id}`;
}

export function spendField(scope: SpendScope, id: string, measure: SpendMeasure): string {
  return `${spendScope(scope, id)}:${measure}`;
}

/** The measures in the order the in-memory store keeps a scope's counters. */
export const SPEND_MEASURES: readonly SpendMeasure[] = ['r', 'i', 'o', 'c'];

/** Where a field sits: its scope (`k:team-a`) and its measure's index in SPEND_MEASURES; undefined for other shapes. */
export function parseSpendField(field: string): { scope: string; measure: number } | undefined {
  const last = field.lastIndexOf(':');
  const measure = SPEND_MEASURES.indexOf(field.slice(last + 1) as SpendMeasure);
  return last > 0 && measure >= 0 ? { scope: field.slice(0, last), measure } : undefined;
}

export function usdToNano(usd: number): number {
  return Math.round(usd * NANO_PER_USD);
}

export interface SpendRow {
  spendUsd: number;
  requests: number;
  inputTokens: number;
  outputTokens: number;
}

/** A spend hash as rows per scope and id. Fields of another shape are ignored. */
export function spendRows(hash: Readonly<Record<string, number>>): Record<SpendScope, Map<string, SpendRow>> {
  const rows: Record<SpendScope, Map<string, SpendRow>> = { k: new Map(), t: new Map(), m: new Map() };
  for (const [field, value] of Object.entries(hash)) {
    const first = field.indexOf(':');
    const last = field.lastIndexOf(':');
    if (first < 1 || last <= first) continue;
    const scope = field.slice(0, first);
    if (scope !== 'k' && scope !== 't' && scope !== 'm') continue;
    const id = field.slice(first + 1, last);
    let row = rows[scope].get(id);
    if (!row) {
      row = { spendUsd: 0, requests: 0, inputTokens: 0, outputTokens: 0 };
      rows[scope].set(id, row);
    }
    switch (field.slice(last + 1)) {
      case 'c':
        row.spendUsd = value / NANO_PER_USD;
        break;
      case 'r':
        row.requests = value;
        break;
      case 'i':
        row.inputTokens = value;
        break;
      case 'o':
        row.outputTokens = value;
        break;
    }
  }
  return rows;
}
