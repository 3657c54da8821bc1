/**
 * The reports of a sweep: one outline (headings, paragraphs, lists, tables, charts) written out as
 * Markdown (charts left out: they are in the HTML) and as one self-contained HTML page with the
 * charts inline as SVG. Nothing in either depends on the time or the machine.
 */
import { dataLabel, parseDataSpec } from './data.js';
import { paretoFront, type Chart } from './charts.js';
import type { Claim } from './presets.js';
import type { ExploreDoc, ResultRow } from './results.js';
import { recipeLabel } from './sweep.js';

type Block =
  | { readonly h: string; readonly level: 1 | 2 | 3 }
  | { readonly p: string }
  | { readonly list: readonly string[] }
  | { readonly head: readonly string[]; readonly rows: readonly (readonly string[])[] }
  | { readonly chart: Chart };

const num = (x: number | null | undefined, digits = 4): string => (x === null || x === undefined ? '—' : x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? String(Number(x.toPrecision(digits))) : x.toExponential(digits - 1));
const pct = (x: number): string => (x === 0 ? '0' : `${(100 * x).toPrecision(3)}%`);
const costText = (c: { cells: number; depth: number } | null | undefined): string => (c ? `${c.cells.toLocaleString('en-US')} / ${c.depth}` : '—');

function sweepText(doc: ExploreDoc): string {
  const s = doc.sweep;
  const on = (b: boolean) => (b ? 'on' : 'off');
  return [
    `elements ${s.elem.join(', ')}`,
    `scales ${s.scale.join(', ')}`,
    `recipes ${s.recipe.join(', ')}`,
    `guard ${s.guard.map(on).join(', ')}`,
    `tensor scale ${s.tensorScale.join(', ')}`,
    `k ${s.block.join(', ')}`,
    `element rounding ${s.round}`,
    `data ${s.data.join('; ')} (${s.values.toLocaleString('en-US')} values per synthetic set, seed ${s.seed})`,
    s.area.length > 0 ? `hardware cost by Yosys flows ${s.area.join(', ')}` : 'no hardware cost (--area)',
  ].join('; ');
}

function outline(doc: ExploreDoc, claims: readonly Claim[], charts: readonly Chart[]): Block[] {
  const b: Block[] = [];
  b.push({ h: `mxrtl explore${doc.preset ? `: ${doc.preset}` : ''}`, level: 1 });
  b.push({ p: `Sweep: ${sweepText(doc)}.` });
  const skipped = Object.entries(doc.skipped);
  b.push({ p: `${doc.results.length} points${doc.shard.count > 1 ? ` (shard ${doc.shard.index}/${doc.shard.count} of ${doc.total})` : ''}.${skipped.length > 0 ? ` Combinations skipped: ${skipped.map(([why, n]) => `${n} (${why})`).join('; ')}.` : ''}` });
  b.push({ p: 'Relative MSE is sum (x - q)^2 / sum x^2 with q the exact dequantized value; SQNR = -10 log10 of it; flushed: blocks with a non-zero value whose scale decodes to 0; saturated: elements above max_elem x scale, clipped; bits per element include the block scale, one byte per block (and a tensor scale, 32 bits per tensor). Cells / depth: Yosys generic cells and logic depth of the generated unit.' });
  if (claims.length > 0) {
    b.push({ h: 'Checked statements', level: 2 });
    b.push({ list: claims.map((c) => `${c.holds ? 'HOLDS' : 'FAILS'}: ${c.text}. Measured: ${c.evidence}.`) });
  }
  for (const chart of charts) {
    b.push({ h: chart.title, level: 2 });
    b.push({ chart });
  }
  const flow = doc.sweep.area.find((f) => f !== 'generic');
  const lut = (r: ResultRow, u: 'dot' | 'quant'): string => {
    const c = r.cost?.[u];
    return c && flow ? String(c.luts[flow] ?? '—') : '—';
  };
  const datas = [...new Set(doc.results.map((r) => r.point.data))];
  for (const data of datas) {
    const rows = doc.results.filter((r) => r.point.data === data);
    b.push({ h: `Results: ${dataLabel(parseDataSpec(data))}`, level: 2 });
    const front = new Set(paretoFront(rows.map((r) => ({ cost: r.metrics.bitsPerElement, error: r.metrics.relMse, r }))).map((x) => x.r));
    b.push({ p: `Pareto front on bits per element and relative MSE: ${[...front].map((r) => `${r.point.elem.toUpperCase()} x ${r.point.scale.toUpperCase()} k=${r.point.block} ${recipeLabel(r.point)} (${num(r.metrics.bitsPerElement, 6)} bits, ${num(r.metrics.relMse, 3)})`).join('; ')}.` });
    const head = ['elements', 'scale', 'recipe', 'k', 'bits / element', 'relative MSE', 'SQNR dB', 'max abs error', 'flushed blocks', 'saturated'];
    const withCost = doc.sweep.area.length > 0;
    if (withCost) head.push('dot cells / depth', ...(flow ? [`dot ${flow} LUTs`] : []), 'quant cells / depth', ...(flow ? [`quant ${flow} LUTs`] : []));
    b.push({
      head,
      rows: rows.map((r) => {
        const m = r.metrics;
        const cells = [r.point.elem.toUpperCase(), r.point.scale.toUpperCase(), recipeLabel(r.point), String(r.point.block), num(m.bitsPerElement, 6), num(m.relMse), m.sqnrDb === null ? 'inf' : m.sqnrDb.toFixed(2), num(m.maxAbsError, 3), pct(m.flushedBlocks), pct(m.saturated)];
        if (withCost) cells.push(costText(r.cost?.dot), ...(flow ? [lut(r, 'dot')] : []), r.cost?.quant ? costText(r.cost.quant) : r.cost?.notes.join('; ') || '—', ...(flow ? [lut(r, 'quant')] : []));
        return cells;
      }),
    });
    const nonFinite = rows.reduce((n, r) => n + r.metrics.nonFiniteBlocks, 0);
    if (nonFinite > 0) b.push({ p: `Blocks holding NaN or Inf, left out of the figures: ${nonFinite} over all points.` });
  }
  return b;
}

const mdCell = (t: string): string => t.replace(/\|/g, '\\|').replace(/\s+/g, ' ');

/** The Markdown summary (the charts are named, drawn in report.html). */
export function markdownReport(doc: ExploreDoc, claims: readonly Claim[], charts: readonly Chart[]): string {
  const out: string[] = [];
  for (const blk of outline(doc, claims, charts)) {
    if ('h' in blk) out.push(`${'#'.repeat(blk.level)} ${blk.h}`, '');
    else if ('p' in blk) out.push(blk.p, '');
    else if ('list' in blk) out.push(...blk.list.map((x) => `- ${x}`), '');
    else if ('head' in blk) out.push(`| ${blk.head.map(mdCell).join(' | ')} |`, `|${blk.head.map(() => '---').join('|')}|`, ...blk.rows.map((r) => `| ${r.map(mdCell).join(' | ')} |`), '');
    else out.push(`(chart: ${blk.chart.points} points, in report.html)`, '');
  }
  return out.join('\n');
}

const esc = (t: string): string => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** One HTML page, no external resources: the outline with the charts inline. */
export function htmlReport(doc: ExploreDoc, claims: readonly Claim[], charts: readonly Chart[]): string {
  const body: string[] = [];
  for (const blk of outline(doc, claims, charts)) {
    if ('h' in blk) body.push(`<h${blk.level}>${esc(blk.h)}</h${blk.level}>`);
    else if ('p' in blk) body.push(`<p>${esc(blk.p)}</p>`);
    else if ('list' in blk) body.push('<ul>', ...blk.list.map((x) => `<li class="${x.startsWith('HOLDS') ? 'holds' : x.startsWith('FAILS') ? 'fails' : ''}">${esc(x)}</li>`), '</ul>');
    else if ('head' in blk) {
      body.push('<table>', `<tr>${blk.head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`, ...blk.rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`), '</table>');
    } else body.push(`<figure id="${blk.chart.id}">${blk.chart.svg}</figure>`);
  }
  const title = esc(`mxrtl explore${doc.preset ? `: ${doc.preset}` : ''}`);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
body { font-family: sans-serif; margin: 2em; max-width: 90em; color: #222; }
table { border-collapse: collapse; font-size: 0.85em; margin: 1em 0; }
th, td { border: 1px solid #ccc; padding: 0.2em 0.5em; text-align: right; }
th { background: #f0f0f0; }
td:nth-child(-n+3) { text-align: left; }
li.holds::marker { color: #080; }
li.fails { color: #a00; }
figure { margin: 1em 0; }
</style>
</head>
<body>
${body.join('\n')}
</body>
</html>
`;
}
