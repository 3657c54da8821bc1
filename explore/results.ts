/**
 * The results of a sweep as a document: what a shard writes as JSON, what `merge` joins, and what
 * every report (Markdown, HTML, CSV) is made from. Numbers are written as JavaScript prints them
 * (shortest round trip), an exact result's SQNR (infinite) as null.
 */
import { UsageError } from '../generator/cli-args.js';
import { GENERATOR_VERSION } from '../generator/version.js';
import type { ErrorMetrics } from './metrics.js';
import type { PointCost } from './area.js';
import type { PointResult } from './evaluate.js';
import { normalizeSweep, type Point, type Sweep } from './sweep.js';

export const DOC_TOOL = 'mxrtl explore';

export interface ResultRow {
  readonly point: Point;
  readonly metrics: Omit<ErrorMetrics, 'sqnrDb'> & { readonly sqnrDb: number | null };
  readonly cost?: PointCost;
}

export interface ExploreDoc {
  readonly tool: typeof DOC_TOOL;
  readonly version: string;
  readonly preset: string | null;
  readonly sweep: Sweep;
  /** points in the whole sweep */
  readonly total: number;
  readonly shard: { readonly index: number; readonly count: number };
  readonly skipped: Readonly<Record<string, number>>;
  readonly results: readonly ResultRow[];
}

export function toRow(r: PointResult): ResultRow {
  const { sqnrDb, ...rest } = r.metrics;
  return { point: r.point, metrics: { ...rest, sqnrDb: Number.isFinite(sqnrDb) ? sqnrDb : null }, ...(r.cost ? { cost: r.cost } : {}) };
}

export function makeDoc(a: Omit<ExploreDoc, 'tool' | 'version'>): ExploreDoc {
  return { tool: DOC_TOOL, version: GENERATOR_VERSION, ...a };
}

/** Read a results document (a shard or a whole sweep), checked enough that merge and the reports can trust it. */
export function parseDoc(text: string, name: string): ExploreDoc {
  let d: ExploreDoc;
  try {
    d = JSON.parse(text) as ExploreDoc;
  } catch (e) {
    throw new UsageError(`'${name}' is not JSON: ${(e as Error).message.split('\n')[0]}`);
  }
  if (d === null || typeof d !== 'object' || d.tool !== DOC_TOOL) throw new UsageError(`'${name}' is not a results file of mxrtl explore`);
  if (!Array.isArray(d.results) || !Number.isInteger(d.total) || typeof d.shard?.index !== 'number' || typeof d.shard?.count !== 'number') {
    throw new UsageError(`'${name}': malformed results file (results, total or shard missing)`);
  }
  try {
    normalizeSweep(d.sweep as unknown as Record<string, unknown>);
  } catch (e) {
    throw new UsageError(`'${name}': its sweep is not valid: ${(e as Error).message}`);
  }
  for (const r of d.results) {
    if (!Number.isInteger(r?.point?.index) || r.point.index < 0 || r.point.index >= d.total || typeof r.metrics?.relMse !== 'number') {
      throw new UsageError(`'${name}': malformed result row`);
    }
  }
  return d;
}

/** Join shard documents of one sweep into the whole (UsageError when they do not fit together). */
export function mergeDocs(docs: readonly { doc: ExploreDoc; name: string }[]): ExploreDoc {
  if (docs.length === 0) throw new UsageError('merge needs at least one results file');
  const first = docs[0].doc;
  const sweepText = JSON.stringify(first.sweep);
  const byIndex = new Map<number, ResultRow>();
  const shards = new Set<number>();
  for (const { doc, name } of docs) {
    if (JSON.stringify(doc.sweep) !== sweepText || doc.total !== first.total || doc.preset !== first.preset) throw new UsageError(`'${name}' holds another sweep than '${docs[0].name}'`);
    if (doc.shard.count !== first.shard.count) throw new UsageError(`'${name}' is shard ${doc.shard.index}/${doc.shard.count}, '${docs[0].name}' of ${first.shard.count} shards`);
    if (shards.has(doc.shard.index)) throw new UsageError(`shard ${doc.shard.index}/${doc.shard.count} is given twice ('${name}')`);
    shards.add(doc.shard.index);
    for (const r of doc.results) byIndex.set(r.point.index, r);
  }
  const missing = [];
  for (let i = 1; i <= first.shard.count; i++) if (!shards.has(i)) missing.push(`${i}/${first.shard.count}`);
  if (missing.length > 0) throw new UsageError(`shard${missing.length > 1 ? 's' : ''} ${missing.join(', ')} missing`);
  if (byIndex.size !== first.total) throw new UsageError(`the shards hold ${byIndex.size} of the sweep's ${first.total} points`);
  const results = [...byIndex.values()].sort((a, b) => a.point.index - b.point.index);
  return { ...first, shard: { index: 1, count: 1 }, results };
}

/** The hardware cost of a row as one number: dot product + quantizer generic cells, when both exist. */
export function rowArea(r: ResultRow): number | null {
  return r.cost?.dot && r.cost.quant ? r.cost.dot.cells + r.cost.quant.cells : null;
}

const CSV_COLUMNS = [
  'data', 'elem', 'scale', 'recipe', 'guard', 'tensor_scale', 'k', 'bits_per_element', 'values', 'blocks',
  'rel_mse', 'sqnr_db', 'max_abs_error', 'flushed_blocks', 'saturated', 'nonfinite_blocks',
  'dot_cells', 'dot_depth', 'dot_luts', 'quant_cells', 'quant_depth', 'quant_luts',
] as const;

const csvField = (v: string | number | boolean | null | undefined): string => {
  if (v === null || v === undefined) return '';
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** LUTs of the one FPGA flow asked for (or the first of several, named in the header). */
const lutFlow = (s: Sweep): string | undefined => s.area.find((f) => f !== 'generic');

/** One line per point, the columns of CSV_COLUMNS. */
export function toCsv(doc: ExploreDoc): string {
  const flow = lutFlow(doc.sweep);
  const header = CSV_COLUMNS.map((c) => (c.endsWith('_luts') && flow ? `${c}_${flow}` : c));
  const lines = [header.join(',')];
  for (const r of doc.results) {
    const p = r.point;
    const m = r.metrics;
    const d = r.cost?.dot;
    const q = r.cost?.quant;
    lines.push(
      [
        p.data, p.elem, p.scale, p.recipe, p.guard, p.tensorScale, p.block, m.bitsPerElement, m.values, m.blocks,
        m.relMse, m.sqnrDb, m.maxAbsError, m.flushedBlocks, m.saturated, m.nonFiniteBlocks,
        d?.cells, d?.depth, flow ? d?.luts[flow as keyof typeof d.luts] : undefined,
        q?.cells, q?.depth, flow ? q?.luts[flow as keyof typeof q.luts] : undefined,
      ].map(csvField).join(','),
    );
  }
  return lines.join('\n') + '\n';
}
