// The benchmark's report: the issue's targets checked against one run's numbers, a text table for
// the terminal, and the generated section of BENCHMARKS.md.
import { readFileSync, writeFileSync } from 'node:fs';
import { stealText } from './cpu-steal.mjs';

export const run = (result, target, stream, connections) =>
  result.runs.find((r) => r.target === target && r.stream === stream && r.connections === connections);
const firstByte = (result, target, connections) => result.firstByte.find((r) => r.target === target && r.connections === connections);
const ms = (v) => (v === undefined || Number.isNaN(v) ? 'n/a' : v < 10 ? v.toFixed(3) : v.toFixed(1));

/** The middle value (the upper one of an even count). */
export const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The median per target of an alternating series' cells (undefined without the series). */
function mediansOf(cells) {
  if (!cells) return undefined;
  return Object.fromEntries(Object.entries(cells).map(([kind, xs]) => [kind, xs.length ? median(xs) : undefined]));
}

/** Median req/s per target of the alternating throughput series (undefined without one). */
const seriesMedians = (result) => mediansOf(result.throughputSeries?.rps);

/** One sentence on the series: medians, ranges, the ratio and the share of the bare proxy. */
function seriesText(result) {
  const s = result.throughputSeries;
  const m = seriesMedians(result);
  if (!s || !m) return '';
  const range = (kind) => `${m[kind].toFixed(0)} req/s (${Math.min(...s.rps[kind]).toFixed(0)}-${Math.max(...s.rps[kind]).toFixed(0)})`;
  const parts = Object.keys(s.rps).map((kind) => `${kind} ${range(kind)}`);
  const ratio = m.portkey ? `; Switchyard / Portkey ${(m.switchyard / m.portkey).toFixed(2)}x` : '';
  const share = m['bare-proxy'] ? `; Switchyard at ${((100 * m.switchyard) / m['bare-proxy']).toFixed(0)} % of the bare proxy` : '';
  return `Throughput series, ${s.connections} connections non-streaming, ${s.rounds} alternating cells of ${s.seconds} s each, median (range): ${parts.join(', ')}${ratio}${share}.`;
}

/** Median of the cells' first-byte medians per target of the alternating series (undefined without one). */
const firstByteSeriesMedians = (result) => mediansOf(result.firstByteSeries?.p50Ms);

/** One sentence on the first-byte series: medians, ranges and what Switchyard adds. */
function firstByteSeriesText(result) {
  const s = result.firstByteSeries;
  const m = firstByteSeriesMedians(result);
  if (!s || !m) return '';
  const parts = Object.keys(s.p50Ms).map(
    (kind) => `${kind} ${ms(m[kind])} ms (${ms(Math.min(...s.p50Ms[kind]))}-${ms(Math.max(...s.p50Ms[kind]))})`,
  );
  const added = m.switchyard !== undefined && m.direct !== undefined ? `; Switchyard adds ${ms(m.switchyard - m.direct)} ms` : '';
  return `First-byte series, ${s.connections} connections, ${s.rounds} alternating cells of ${s.requests} streamed requests, median of the cells' p50 (range): ${parts.join(', ')}${added}.`;
}

/** The targets of issue 8, each with the measured value (undefined when not measured). */
export function evaluateTargets(result) {
  const sy = run(result, 'switchyard', false, 10);
  const direct = run(result, 'direct', false, 10);
  const bare = run(result, 'bare-proxy', false, 10);
  const peak = Math.max(result.memory.switchyard?.peakRssMb ?? 0, result.longRun?.peakRssMb ?? 0);
  const t = (name, value, limit, unit, met, scale) => ({
    name,
    value,
    limit,
    unit,
    met: value !== undefined && met,
    ...(scale ? { scale } : {}),
  });
  const minus = (a, b) => (a !== undefined && b !== undefined ? a - b : undefined);
  // Throughput and first byte are read from their alternating series when the run has them, else
  // from the single cells at 10 connections.
  const medians = seriesMedians(result);
  const rps = (kind) => (medians ? medians[kind] : run(result, kind, false, 10)?.rps);
  const ttfbMedians = firstByteSeriesMedians(result);
  const ttfb = (kind) => (ttfbMedians ? ttfbMedians[kind] : firstByte(result, kind, 10)?.p50Ms);
  const ratio = rps('switchyard') && rps('portkey') ? rps('switchyard') / rps('portkey') : undefined;
  const addedP50 = minus(sy?.p50Ms, direct?.p50Ms);
  const addedP99 = minus(sy?.p99Ms, direct?.p99Ms);
  const addedTtfb = minus(ttfb('switchyard'), ttfb('direct'));
  // For scale, the featureless bare proxy (the issue's "practical limit") read the same way, and
  // Switchyard at 1 connection, where the latency has no queue in it.
  const sy1 = run(result, 'switchyard', false, 1);
  const direct1 = run(result, 'direct', false, 1);
  // "the bare proxy adds X ms; at 1 connection Switchyard adds Y ms", from the parts measured.
  const addedScale = (bareAdded, oneConnectionAdded) =>
    [
      bareAdded === undefined ? undefined : `the bare proxy adds ${ms(bareAdded)} ms`,
      oneConnectionAdded === undefined ? undefined : `at 1 connection Switchyard adds ${ms(oneConnectionAdded)} ms`,
    ]
      .filter(Boolean)
      .join('; ') || undefined;
  const latencyScale = (key) => addedScale(minus(bare?.[key], direct?.[key]), minus(sy1?.[key], direct1?.[key]));
  const throughputScale =
    rps('bare-proxy') && rps('portkey')
      ? `10x Portkey is ${(10 * rps('portkey')).toFixed(0)} req/s, ${((1000 * rps('portkey')) / rps('bare-proxy')).toFixed(0)} % of the bare proxy's ${rps('bare-proxy').toFixed(0)}`
      : undefined;
  const ttfbScale = addedScale(
    minus(ttfb('bare-proxy'), ttfb('direct')),
    minus(firstByte(result, 'switchyard', 1)?.p50Ms, firstByte(result, 'direct', 1)?.p50Ms),
  );
  const barePeak = result.memory['bare-proxy']?.peakRssMb;
  const rssScale = barePeak ? `the bare proxy peaks at ${barePeak.toFixed(1)} MB` : undefined;
  return [
    t(
      `throughput vs Portkey, 10 connections, non-streaming${medians?.portkey ? ` (median of ${result.throughputSeries.rounds} alternating cells)` : ''}`,
      ratio,
      10,
      'x',
      ratio >= 10,
      throughputScale,
    ),
    t('added median latency, 10 connections', addedP50, 0.3, 'ms', addedP50 <= 0.3, latencyScale('p50Ms')),
    t('added p99 latency, 10 connections', addedP99, 1.5, 'ms', addedP99 <= 1.5, latencyScale('p99Ms')),
    t(
      `added time to first streamed byte (median), 10 connections${ttfbMedians ? ` (median of ${result.firstByteSeries.rounds} alternating cells)` : ''}`,
      addedTtfb,
      1,
      'ms',
      addedTtfb <= 1,
      ttfbScale,
    ),
    t(
      `peak RSS under load${result.settings.defaultMemoryProfile ? `, default memory profile (${result.settings.defaultMemoryProfile})` : ''}`,
      peak || undefined,
      120,
      'MB',
      peak <= 120,
      rssScale,
    ),
    ...(result.memory['switchyard-lean']
      ? [
          t(
            'peak RSS under load, `gateway.memoryProfile: lean`',
            result.memory['switchyard-lean'].peakRssMb,
            120,
            'MB',
            result.memory['switchyard-lean'].peakRssMb <= 120,
          ),
        ]
      : []),
    t(`RSS growth over ${result.longRun?.requests ?? '?'} requests`, result.longRun?.growthPct, 10, '%', result.longRun?.growthPct <= 10),
    t(
      'cold start to first served request (median)',
      result.coldStart.switchyard?.medianMs,
      300,
      'ms',
      result.coldStart.switchyard?.medianMs <= 300,
    ),
  ];
}

/**
 * The lean memory profile against the default, from the same run: throughput at 10 connections
 * (non-streaming, and as a multiple of Portkey's) and peak RSS; undefined without a lean row.
 */
export function memoryProfileComparison(result) {
  const lean = run(result, 'switchyard-lean', false, 10);
  const sy = run(result, 'switchyard', false, 10);
  const portkey = run(result, 'portkey', false, 10);
  if (!lean || !sy || !result.memory['switchyard-lean']) return undefined;
  const profile = (r, kind) => ({
    rps: r.rps,
    vsPortkey: portkey ? r.rps / portkey.rps : undefined,
    peakRssMb: result.memory[kind]?.peakRssMb,
  });
  return { standard: profile(sy, 'switchyard'), lean: profile(lean, 'switchyard-lean') };
}

/** A whole number with its sign, + included. */
const signed = (x) => `${x >= 0 ? '+' : ''}${x.toFixed(0)}`;

function memoryProfileText(result) {
  const c = memoryProfileComparison(result);
  if (!c) return undefined;
  const one = (name, p) =>
    `${name} ${p.rps.toFixed(0)} req/s${p.vsPortkey === undefined ? '' : ` (${p.vsPortkey.toFixed(1)}x Portkey)`}, peak RSS ${p.peakRssMb?.toFixed(1)} MB`;
  const name = result.settings.defaultMemoryProfile;
  return `memory profiles, 10 connections non-streaming: ${one(name ? `${name} (default)` : 'default', c.standard)}; ${one('lean', c.lean)} (${signed(100 * (c.lean.rps / c.standard.rps - 1))} % throughput, ${signed(c.lean.peakRssMb - c.standard.peakRssMb)} MB peak RSS)`;
}

function rows(result) {
  const lines = [];
  for (const stream of [false, true]) {
    for (const c of result.settings.connections) {
      const direct = run(result, 'direct', stream, c);
      for (const r of result.runs.filter((x) => x.stream === stream && x.connections === c)) {
        const added = r.target === 'direct' ? '' : `${ms(r.p50Ms - direct.p50Ms)} / ${ms(r.p99Ms - direct.p99Ms)}`;
        lines.push([
          stream ? 'stream' : 'json',
          String(c),
          r.target,
          r.rps.toFixed(0),
          ms(r.p50Ms),
          ms(r.p99Ms),
          added,
          String(r.errors),
          stealText(r),
        ]);
      }
    }
  }
  return lines;
}

function table(header, body) {
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}

const LOAD_HEADER = ['mode', 'conns', 'target', 'req/s', 'p50 ms', 'p99 ms', 'added p50 / p99 ms', 'errors', 'steal'];
const stealLine = (result) =>
  result.machine.stealPct === undefined
    ? ''
    : `hypervisor steal over the whole run ${result.machine.stealPct.toFixed(1)} %; a cell measured with more than ${result.settings.maxStealPct} % steal was run again, up to ${result.settings.attempts} times, keeping the calmest attempt`;

function coldStartText(result) {
  return Object.entries(result.coldStart)
    .map(
      ([k, v]) =>
        `${k} ${v.medianMs.toFixed(0)} ms${v.readyMedianMs !== undefined ? ` (ready ${v.readyMedianMs.toFixed(0)} ms)` : ''}${v.stealPct >= 1 ? ` [steal ${stealText(v)}]` : ''}`,
    )
    .join(', ');
}

export function renderTable(result) {
  const m = result.machine;
  const out = [
    `machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB, Linux ${m.kernel}, Node ${m.node}, ${m.loadGenerator}`,
    stealLine(result),
    '',
    table(LOAD_HEADER, rows(result)),
    '',
  ];
  out.push(
    table(
      ['conns', 'target', '', 'first byte p50 ms', 'p99 ms', 'steal'],
      result.firstByte.map((r) => [String(r.connections), r.target, '', ms(r.p50Ms), ms(r.p99Ms), stealText(r)]),
    ),
    '',
  );
  if (result.firstByteSeries) out.push(firstByteSeriesText(result), '');
  out.push(
    `memory after the load runs (MB): ${Object.entries(result.memory)
      .map(([k, v]) => `${k} ${v.rssMb.toFixed(1)} (peak ${v.peakRssMb.toFixed(1)})`)
      .join(', ')}`,
  );
  if (result.longRun)
    out.push(
      `long run: ${result.longRun.requests} requests, RSS ${result.longRun.rssBeforeMb.toFixed(1)} -> ${result.longRun.rssAfterMb.toFixed(1)} MB (${result.longRun.growthPct.toFixed(1)} %)`,
    );
  if (result.scaling)
    out.push(
      `scaling (Redis state): one process ${result.scaling.oneProcessRps?.toFixed(0)} req/s, two processes ${result.scaling.twoProcessesRps.toFixed(0)} req/s (x${result.scaling.ratio?.toFixed(2)} on ${result.scaling.cores} cores shared with the load generator, the mock and Redis)`,
    );
  const seriesLine = seriesText(result);
  if (seriesLine) out.push(seriesLine);
  const profiles = memoryProfileText(result);
  if (profiles) out.push(profiles);
  out.push(`cold start (median of ${result.settings.coldStarts}): ${coldStartText(result)}`, '');
  out.push('targets:');
  for (const t of result.targets)
    out.push(
      `  ${t.met ? 'met   ' : 'MISSED'} ${t.name}: ${t.value === undefined ? 'not measured' : `${t.value.toFixed(2)} ${t.unit}`} (target ${t.unit === 'x' ? '>=' : '<='} ${t.limit} ${t.unit}${t.scale ? `; ${t.scale}` : ''})`,
    );
  return `${out.join('\n')}\n`;
}

const BEGIN = '<!-- bench:begin (generated by `npm run bench -- --markdown`; edit outside these markers) -->';
const END = '<!-- bench:end -->';

export function renderMarkdown(result, file) {
  const m = result.machine;
  const md = (header, body) =>
    [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...body.map((r) => `| ${r.join(' | ')} |`)].join('\n');
  const section = [
    BEGIN,
    '',
    `Run of ${m.date.slice(0, 10)} on ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GiB, Linux ${m.kernel}, Node ${m.node}; load generator ${m.loadGenerator}, ${result.settings.seconds} s per cell after ${result.settings.warmupSeconds} s of warm-up${result.settings.serverWarmupSeconds ? `, each server first warmed for ${result.settings.serverWarmupSeconds} s non-streaming and ${result.settings.serverWarmupSeconds / 2} s streaming at 10 connections` : ''}.`,
    stealLine(result) ? `${stealLine(result).replace(/^h/, 'H')}.` : '',
    '',
    md(LOAD_HEADER, rows(result)),
    '',
    'Time to the first streamed event (`data:` of the first SSE frame), streamed requests:',
    '',
    md(
      ['conns', 'target', 'p50 ms', 'p99 ms', 'steal'],
      result.firstByte.map((r) => [String(r.connections), r.target, ms(r.p50Ms), ms(r.p99Ms), stealText(r)]),
    ),
    '',
    ...(result.firstByteSeries ? [firstByteSeriesText(result), ''] : []),
    `Memory after the load runs: ${Object.entries(result.memory)
      .map(([k, v]) => `${k} ${v.rssMb.toFixed(1)} MB (peak ${v.peakRssMb.toFixed(1)} MB)`)
      .join('; ')}.`,
    result.longRun
      ? `Long run: ${result.longRun.requests} requests at 10 connections, Switchyard RSS ${result.longRun.rssBeforeMb.toFixed(1)} -> ${result.longRun.rssAfterMb.toFixed(1)} MB (${result.longRun.growthPct.toFixed(1)} %).`
      : '',
    result.scaling
      ? `Scaling out (Redis state): one process ${result.scaling.oneProcessRps?.toFixed(0)} req/s at 10 connections; two processes sharing one Redis, 5 connections each at once, ${result.scaling.twoProcessesRps.toFixed(0)} req/s together (x${result.scaling.ratio?.toFixed(2)}; ${result.scaling.cores} cores shared with the load generator, the mock and Redis).`
      : '',
    seriesText(result),
    memoryProfileText(result) ? `${memoryProfileText(result).replace(/^m/, 'M')}.` : '',
    `Cold start, spawn to the first chat completion served (median of ${result.settings.coldStarts}): ${coldStartText(result)}.`,
    '',
    md(
      ['target', 'measured', 'required', '', 'for scale, the same run'],
      result.targets.map((t) => [
        t.name,
        t.value === undefined ? 'not measured' : `${t.value.toFixed(2)} ${t.unit}`,
        `${t.unit === 'x' ? '>=' : '<='} ${t.limit} ${t.unit}`,
        t.met ? 'met' : '**missed**',
        t.scale ?? '',
      ]),
    ),
    '',
    END,
  ].join('\n');
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = `# Gateway benchmarks\n\n${BEGIN}\n${END}\n`;
  }
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  writeFileSync(
    file,
    start === -1 || end === -1 ? `${text.trimEnd()}\n\n${section}\n` : `${text.slice(0, start)}${section}${text.slice(end + END.length)}`,
  );
}
