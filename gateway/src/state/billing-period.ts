/**
 * Budgets and spend count per calendar month in UTC (`2025-06`), read from the gateway's clock. A
 * period's spend lives in one hash, `spend:<period>`; a new month starts from zero.
 */

/** `YYYY-MM` */
export const PERIOD_PATTERN = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** The last period computed and the times it covers (requests ask for the same one all month). */
let memo = { period: '', from: 0, to: 0 };

export function periodOf(time: number): string {
  if (time >= memo.from && time < memo.to) return memo.period;
  const date = new Date(time);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  memo = { period: `${year}-${String(month + 1).padStart(2, '0')}`, from: Date.UTC(year, month, 1), to: Date.UTC(year, month + 1, 1) };
  return memo.period;
}

export function spendKey(period: string): string {
  return `spend:${period}`;
}

/** First instant of the period and of the next one, as ISO strings. */
export function periodBounds(period: string): { start: string; end: string } {
  const match = PERIOD_PATTERN.exec(period);
  if (!match) throw new Error(`not a period: ${period}`);
  const year = Number(match[1]);
  const month = Number(match[2]) - 1;
  return { start: new Date(Date.UTC(year, month, 1)).toISOString(), end: new Date(Date.UTC(year, month + 1, 1)).toISOString() };
}
