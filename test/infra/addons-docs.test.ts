/** docs/infrastructure.md's add-on table names every pinned chart at its pinned version and date. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ADDON_CHARTS } from '../../constructs/addons/addon-charts';
import { ROOT } from '../support/paths';

const docs = readFileSync(join(ROOT, 'docs', 'infrastructure.md'), 'utf8');
/** The rows of the table in the "Cluster add-ons" section that carry a check date. */
const section = docs.slice(docs.indexOf('\n## Cluster add-ons'), docs.indexOf('\n## ', docs.indexOf('\n## Cluster add-ons') + 1));
const tableRows = section.split('\n').filter((line) => /^\|.*\| \d{4}-\d{2}-\d{2} \|/.test(line));

describe('add-on versions table', () => {
  it.each(Object.entries(ADDON_CHARTS))('%s: its row shows the pinned chart, version and check date', (_name, chart) => {
    const row = tableRows.find((line) => line.includes(`\`${chart.chart}\``) || line.includes(`/${chart.chart}\``));
    expect(row).toBeDefined();
    const cells = (row ?? '').split('|').map((cell) => cell.trim());
    expect(cells).toContain(chart.version);
    expect(cells).toContain(chart.checkedOn);
    if (chart.repository.startsWith('https://')) expect(row).toContain(chart.repository);
    else expect(row).toContain(`${chart.repository}/${chart.chart}`);
  });

  it('has one row per pinned chart', () => {
    expect(tableRows).toHaveLength(Object.keys(ADDON_CHARTS).length);
  });
});
