/**
 * Named sweeps with the statements they are run to check. `finer-is-better` reproduces the claims
 * of "Finer is Better (with the Right Scaling)" on synthetic heavy-tailed data: Student-t(3) values
 * times 0.002, E2M1 elements, UE4M3 and UE5M3 scales, k = 8 .. 128. Each statement is evaluated on
 * the measured results and reported as holding or not, with the figures it rests on.
 */
import type { ExploreDoc, ResultRow } from './results.js';
import type { SweepInput } from './sweep.js';

export interface Claim {
  readonly text: string;
  readonly holds: boolean;
  /** the measured figures the verdict rests on */
  readonly evidence: string;
}

export interface Preset {
  readonly name: string;
  readonly summary: string;
  readonly sweep: SweepInput;
  readonly claims: (doc: ExploreDoc) => Claim[];
}

const fmt = (x: number): string => x.toPrecision(3);
const pct = (x: number): string => `${(100 * x).toFixed(1)}%`;

/** The rows of one (scale, recipe, guard) series on the first data set, by rising k. */
function series(doc: ExploreDoc, scale: string, recipe: string, guard: boolean): ResultRow[] {
  const data = doc.sweep.data[0];
  return doc.results
    .filter((r) => r.point.data === data && r.point.scale === scale && r.point.recipe === recipe && r.point.guard === guard && r.point.tensorScale === 'none' && r.point.elem === 'e2m1')
    .sort((a, b) => a.point.block - b.point.block);
}

const seriesText = (rows: readonly ResultRow[]): string => rows.map((r) => `k=${r.point.block}: ${fmt(r.metrics.relMse)}`).join(', ');

/** Relative MSE falls at every step to a smaller k. */
function finerIsBetter(rows: readonly ResultRow[]): boolean {
  return rows.length >= 2 && rows.every((r, i) => i === 0 || rows[i - 1].metrics.relMse < r.metrics.relMse);
}

function missing(what: string): Claim {
  return { text: what, holds: false, evidence: 'the results lack the points this statement needs' };
}

const finerIsBetterPreset: Preset = {
  name: 'finer-is-better',
  summary: 'Student-t(3) x 0.002, E2M1 elements, UE4M3 / UE5M3 scales, nv / 4over6 / mse with and without the guard, k = 8 .. 128',
  sweep: {
    elem: ['e2m1'],
    scale: ['ue4m3', 'ue5m3'],
    recipe: ['nv', '4over6', 'mse'],
    guard: [false, true],
    tensorScale: ['none'],
    block: [8, 16, 32, 64, 128],
    data: ['student-t:nu=3,scale=0.002'],
    values: 1 << 18,
  },
  claims(doc) {
    const claims: Claim[] = [];
    const nv = series(doc, 'ue4m3', 'nv', false);
    const nvGuard = series(doc, 'ue4m3', 'nv', true);
    {
      const text = 'nv with UE4M3 scales, no guard: finer is worse (the smallest k has a higher relative MSE than the largest, because block scales underflow and blocks are flushed)';
      if (nv.length < 2) claims.push(missing(text));
      else {
        const [a, b] = [nv[0], nv[nv.length - 1]];
        claims.push({ text, holds: a.metrics.relMse > b.metrics.relMse && a.metrics.flushedBlocks > 0, evidence: `${seriesText(nv)}; flushed blocks ${pct(a.metrics.flushedBlocks)} at k=${a.point.block}, ${pct(b.metrics.flushedBlocks)} at k=${b.point.block}` });
      }
    }
    {
      const text = 'nv with UE4M3 scales and the guard: finer is better again (the smallest k has a lower relative MSE than the largest)';
      if (nvGuard.length < 2) claims.push(missing(text));
      else claims.push({ text, holds: nvGuard[0].metrics.relMse < nvGuard[nvGuard.length - 1].metrics.relMse, evidence: seriesText(nvGuard) });
    }
    {
      const mse = series(doc, 'ue4m3', 'mse', false);
      const text = 'mse with UE4M3 scales: the relative MSE falls at every step to a smaller block';
      claims.push(mse.length < 2 ? missing(text) : { text, holds: finerIsBetter(mse), evidence: seriesText(mse) });
    }
    for (const guard of [false, true]) {
      const a = series(doc, 'ue4m3', '4over6', guard);
      const b = guard ? nvGuard : nv;
      const text = `4over6 beats nv at every k (UE4M3 scales, ${guard ? 'with' : 'without'} the guard)`;
      if (a.length === 0 || a.length !== b.length) claims.push(missing(text));
      else claims.push({ text, holds: a.every((r, i) => r.metrics.relMse < b[i].metrics.relMse), evidence: a.map((r, i) => `k=${r.point.block}: ${fmt(r.metrics.relMse)} vs ${fmt(b[i].metrics.relMse)}`).join(', ') });
    }
    {
      const u5 = series(doc, 'ue5m3', 'nv', false);
      const text = 'nv with UE5M3 scales (five exponent bits): finer is better without the guard, and no block is flushed';
      claims.push(u5.length < 2 ? missing(text) : { text, holds: finerIsBetter(u5) && u5.every((r) => r.metrics.flushedBlocks === 0), evidence: `${seriesText(u5)}; flushed blocks at most ${pct(Math.max(...u5.map((r) => r.metrics.flushedBlocks)))}` });
    }
    for (const guard of [false, true]) {
      const u5 = series(doc, 'ue5m3', 'nv', guard);
      const u4 = guard ? nvGuard : nv;
      const text = `nv: UE5M3 scales beat UE4M3 scales at every k (${guard ? 'with' : 'without'} the guard)`;
      if (u5.length === 0 || u5.length !== u4.length) claims.push(missing(text));
      else claims.push({ text, holds: u5.every((r, i) => r.metrics.relMse < u4[i].metrics.relMse), evidence: u5.map((r, i) => `k=${r.point.block}: ${fmt(r.metrics.relMse)} vs ${fmt(u4[i].metrics.relMse)}`).join(', ') });
    }
    return claims;
  },
};

export const PRESETS: Readonly<Record<string, Preset>> = { [finerIsBetterPreset.name]: finerIsBetterPreset };
