/**
 * The report's charts: Vega-Lite specifications compiled by vega-lite and rendered to SVG by vega
 * in Node (no browser, no canvas), so the same results give the same SVG text.
 *   - error vs block size, one line per recipe, one panel per data set (rows) and scale format (columns);
 *   - error vs cost (hardware cells, or bits per element), one panel per data set, the Pareto front
 *     (no other point has both a lower cost and a lower error) drawn as a line through its points.
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { dataLabel, parseDataSpec } from './data.js';
import { rowArea, type ExploreDoc, type ResultRow } from './results.js';
import { recipeLabel } from './sweep.js';

export interface Chart {
  readonly id: string;
  readonly title: string;
  readonly svg: string;
  /** the points it plots */
  readonly points: number;
}

const SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** vega's SVG of a Vega-Lite spec. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none' }).logLevel(vega.Error);
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

const label = (r: ResultRow): string => dataLabel(parseDataSpec(r.point.data));

/** Relative MSE against k, per recipe, faceted by data set and scale format. */
function errorVsBlockSpec(doc: ExploreDoc): TopLevelSpec {
  const values = doc.results
    .filter((r) => r.metrics.relMse > 0)
    .map((r) => ({ data: label(r), scale: r.point.scale.toUpperCase(), elem: r.point.elem.toUpperCase(), recipe: `${r.point.elem.toUpperCase()} ${recipeLabel(r.point)}`, k: r.point.block, relMse: r.metrics.relMse }));
  return {
    $schema: SCHEMA,
    data: { values },
    facet: { row: { field: 'data', type: 'nominal', title: 'data' }, column: { field: 'scale', type: 'nominal', title: 'scale format' } },
    spec: {
      width: 260,
      height: 200,
      mark: { type: 'line', point: true, strokeWidth: 1.5 },
      encoding: {
        x: { field: 'k', type: 'quantitative', scale: { type: 'log', base: 2 }, axis: { values: [...new Set(values.map((v) => v.k))].sort((a, b) => a - b) }, title: 'block size k' },
        y: { field: 'relMse', type: 'quantitative', scale: { type: 'log' }, title: 'relative MSE' },
        color: { field: 'recipe', type: 'nominal', title: 'elements, recipe', scale: { scheme: 'tableau20' }, legend: { labelLimit: 400 } },
      },
    },
    config: { font: 'sans-serif' },
  };
}

/** The points no other point beats (lower or equal on both cost and error, lower on one), by rising cost. */
export function paretoFront<T extends { cost: number; error: number }>(pts: readonly T[]): T[] {
  const sorted = [...pts].sort((a, b) => a.cost - b.cost || a.error - b.error);
  const front: T[] = [];
  let best = Infinity;
  for (const p of sorted) {
    const last = front[front.length - 1];
    // equal points do not beat each other: a twin of a front point is on the front too
    if (p.error < best || (last && p.cost === last.cost && p.error === last.error)) {
      front.push(p);
      best = p.error;
    }
  }
  return front;
}

/** Relative MSE against a cost, one panel per data set, the Pareto front as a step line. */
function errorVsCostSpec(doc: ExploreDoc, cost: (r: ResultRow) => number | null, title: string, log: boolean): { spec: TopLevelSpec; points: number } | null {
  const byData = new Map<string, { cost: number; error: number; config: string; recipe: string }[]>();
  for (const r of doc.results) {
    const c = cost(r);
    if (c === null || !(r.metrics.relMse > 0)) continue;
    const list = byData.get(label(r)) ?? [];
    list.push({ cost: c, error: r.metrics.relMse, recipe: `${r.point.elem.toUpperCase()} x ${r.point.scale.toUpperCase()} ${recipeLabel(r.point)}`, config: `${r.point.elem.toUpperCase()} x ${r.point.scale.toUpperCase()} k=${r.point.block} ${recipeLabel(r.point)}` });
    byData.set(label(r), list);
  }
  if (byData.size === 0) return null;
  const values: Record<string, string | number | boolean>[] = [];
  for (const [data, pts] of byData) {
    const front = new Set(paretoFront(pts));
    for (const p of pts) values.push({ data, ...p, front: front.has(p) });
  }
  return {
    points: values.length,
    spec: {
      $schema: SCHEMA,
      data: { values },
      facet: { column: { field: 'data', type: 'nominal', title: 'data' } },
      spec: {
        width: 320,
        height: 240,
        layer: [
          {
            mark: { type: 'point', filled: true, opacity: 0.85 },
            encoding: {
              x: { field: 'cost', type: 'quantitative', scale: log ? { type: 'log' } : { zero: false }, title },
              y: { field: 'error', type: 'quantitative', scale: { type: 'log' }, title: 'relative MSE' },
              color: { field: 'recipe', type: 'nominal', title: 'configuration', scale: { scheme: 'tableau20' }, legend: { labelLimit: 400 } },
              shape: { field: 'front', type: 'nominal', title: 'on the Pareto front', scale: { domain: [true, false], range: ['diamond', 'circle'] } },
              size: { field: 'front', type: 'ordinal', legend: null, scale: { domain: [true, false], range: [110, 35] } },
              tooltip: [{ field: 'config' }, { field: 'cost' }, { field: 'error' }],
            },
          },
          {
            transform: [{ filter: 'datum.front' }],
            mark: { type: 'line', interpolate: 'step-after', color: 'black', strokeDash: [4, 3], strokeWidth: 1 },
            encoding: {
              x: { field: 'cost', type: 'quantitative', scale: log ? { type: 'log' } : { zero: false } },
              y: { field: 'error', type: 'quantitative', scale: { type: 'log' } },
              order: { field: 'cost', type: 'quantitative' },
            },
          },
        ],
      },
      config: { font: 'sans-serif' },
    },
  };
}

/** Every chart the results support, rendered. */
export async function charts(doc: ExploreDoc): Promise<Chart[]> {
  const out: Chart[] = [];
  const plotted = doc.results.filter((r) => r.metrics.relMse > 0).length;
  if (plotted > 0) out.push({ id: 'error-vs-block', title: 'Relative MSE against block size', svg: await renderSvg(errorVsBlockSpec(doc)), points: plotted });
  const area = errorVsCostSpec(doc, rowArea, 'dot product + quantizer, generic cells', true);
  if (area) out.push({ id: 'error-vs-area', title: 'Relative MSE against hardware cost (dot product + quantizer cells), Pareto front marked', svg: await renderSvg(area.spec), points: area.points });
  const bits = errorVsCostSpec(doc, (r) => r.metrics.bitsPerElement, 'bits per element (with the scale)', false);
  if (bits) out.push({ id: 'error-vs-bits', title: 'Relative MSE against bits per element, Pareto front marked', svg: await renderSvg(bits.spec), points: bits.points });
  return out;
}
