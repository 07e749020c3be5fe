/** Renders a cost estimate for a terminal: an aligned table, then assumptions, warnings, savings. */
import { type CostEstimate, SCALES } from './cost-estimate';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A monthly amount as `$1,234.56`. */
export function formatUsd(amount: number): string {
  return usd.format(amount);
}

function table(rows: readonly string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, col) => Math.max(...rows.map((r) => r[col].length)));
  return rows.map((r) =>
    r
      .map((cell, col) => (rightAligned.has(col) ? cell.padStart(widths[col]) : cell.padEnd(widths[col])))
      .join('  ')
      .trimEnd(),
  );
}

export function renderCostTable(estimate: CostEstimate, configFile: string): string {
  if (estimate.kind === 'no-cloud-bill')
    return [
      `Profile homelab (${configFile})`,
      '',
      estimate.message,
      '',
      'Not counted:',
      ...estimate.notCounted.map((n) => `  - ${n}`),
      '',
    ].join('\n');

  const header = ['component', 'item', 'basis', ...SCALES.map((s) => `at ${s}`)];
  const body = estimate.lines.map((l) => [l.component, l.item, l.basis, ...SCALES.map((s) => formatUsd(l.monthlyUsd[s]))]);
  const total = ['total', '', '', ...SCALES.map((s) => formatUsd(estimate.totals[s]))];
  const rows = table([header, ...body, total], new Set([3, 4, 5]));
  const rule = '-'.repeat(Math.max(...rows.map((r) => r.length)));

  const out = [
    `Monthly cost of profile ${estimate.profile} in ${estimate.region} (${configFile}), USD`,
    '',
    rows[0],
    rule,
    ...rows.slice(1, -1),
    rule,
    rows[rows.length - 1],
    '',
    'Assumptions:',
    ...estimate.assumptions.map((a) => `  - ${a}`),
  ];
  if (estimate.warnings.length > 0) out.push('', 'Warnings:', ...estimate.warnings.map((w) => `  ! ${w}`));
  out.push('', 'Recommendations:');
  if (estimate.recommendations.length === 0)
    out.push(
      '  none: no change in the list (Spot GPU pools, scale to zero, smaller GPU instance, single NAT, standard support) saves money here.',
    );
  estimate.recommendations.forEach((r, i) =>
    out.push(
      `  ${i + 1}. ${r.title}: saves ${formatUsd(r.monthlySavingUsd)} a month at ${r.scale} size.`,
      `     change: ${r.change}`,
      `     trade-off: ${r.tradeOff}`,
    ),
  );
  out.push('', 'Not counted:', ...estimate.notCounted.map((n) => `  - ${n}`), '');
  return out.join('\n');
}
