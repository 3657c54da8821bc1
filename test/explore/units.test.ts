// The explorer's parts against independent facts: distribution quantiles of the data generators,
// error metrics recomputed from the golden dequantizer, hand-built blocks with known flushes and
// clips, the sweep's expansion and sharding, and the Pareto front.
import { describe, expect, it } from 'vitest';
import { dataSeed, loadData, parseDataSpec, studentT } from '../../explore/data.js';
import { measure } from '../../explore/metrics.js';
import { expandSweep, normalizeSweep, shardPoints } from '../../explore/sweep.js';
import { paretoFront } from '../../explore/charts.js';
import { mergeDocs, makeDoc, parseDoc, toCsv, type ExploreDoc } from '../../explore/results.js';
import { dequantize, ELEMENT_FORMATS, quantize, SCALE_FORMATS } from '../../src/index.js';

const floats = (bits: Uint32Array) => new Float32Array(bits.buffer, bits.byteOffset, bits.length);

/** Fraction of |x| above t. */
const tail = (x: Float32Array, t: number) => x.reduce((n, v) => n + (Math.abs(v) > t ? 1 : 0), 0) / x.length;

describe('data sets', () => {
  const n = 1 << 17;
  // two-sided 5% points: normal 1.95996, Student-t(3) 3.18245, Student-t(2.5) 3.57466 (by numerical integration of its density); Laplace b: b ln 20
  it.each([
    ['gaussian', 1.959964],
    ['gaussian:sigma=2', 2 * 1.959964],
    ['student-t', 3.182446],
    ['student-t:nu=2.5', 3.574655],
    ['laplace:b=0.5', 0.5 * Math.log(20)],
  ])('%s puts 5%% of its values beyond the tabled two-sided 5%% point', (spec, t) => {
    const x = floats(loadData(parseDataSpec(spec), n, 7));
    // binomial standard deviation at n = 2^17: 0.0006
    expect(Math.abs(tail(x, t) - 0.05)).toBeLessThan(0.003);
  });

  it('scale multiplies every value; sparse outliers appear at their rate', () => {
    const b = floats(loadData(parseDataSpec('gaussian:scale=0.5'), n, 3));
    expect(Math.abs(tail(b, 0.5 * 1.959964) - 0.05)).toBeLessThan(0.003);
    const s = floats(loadData(parseDataSpec('sparse:rate=0.01,outlier=1000'), n, 5));
    // |outlier| > 50 needs the normal above 0.05 (96% of them); a plain normal never reaches 50
    expect(Math.abs(tail(s, 50) - 0.01 * 0.96)).toBeLessThan(0.0015);
  });

  it('is deterministic per seed and data set, and differs between them', () => {
    const d = parseDataSpec('student-t:nu=3,scale=0.002');
    expect(loadData(d, 512, 1)).toEqual(loadData(d, 512, 1));
    expect(loadData(d, 512, 1)).not.toEqual(loadData(d, 512, 2));
    expect(dataSeed(1, 'gaussian')).not.toBe(dataSeed(1, 'laplace'));
    // Student-t(3) with the whole-nu path is the benchmarks' generator
    expect(studentT(4, 3, 12345)[0]).toBeCloseTo(-2.0189425945281982, 12);
  });

  it('names a spec canonically and rejects bad ones in one line', () => {
    expect(parseDataSpec('Student-T:nu=3,scale=0.002').name).toBe('student-t:scale=0.002');
    expect(parseDataSpec('gaussian: sigma = 2').name).toBe('gaussian:sigma=2');
    expect(() => parseDataSpec('cauchy')).toThrow(/unknown kind 'cauchy'/);
    expect(() => parseDataSpec('student-t:nu=-1')).toThrow(/nu must be a positive number/);
    expect(() => parseDataSpec('laplace:sigma=1')).toThrow(/laplace takes b, scale, not 'sigma'/);
    expect(() => parseDataSpec('gaussian:sigma')).toThrow(/expected key=value/);
    expect(() => parseDataSpec('npy:')).toThrow(/npy needs a file/);
  });
});

describe('error metrics', () => {
  it('agree with the golden dequantizer on random data (every value exact in FP32 here)', () => {
    const bits = loadData(parseDataSpec('laplace'), 4096, 9);
    for (const [elem, scale, recipe] of [['e2m1', 'e8m0', 'floor'], ['e4m3', 'ue4m3', 'nv'], ['int8', 'e8m0', 'ceil']] as const) {
      const opts = { elem: ELEMENT_FORMATS[elem], scale: SCALE_FORMATS[scale], blockSize: 32, recipe };
      const q = quantize(bits, opts);
      const v = floats(dequantize(opts.elem, q.elems, opts.scale, q.scales, 32));
      const x = floats(bits);
      let e2 = 0;
      let x2 = 0;
      let maxAbs = 0;
      for (let i = 0; i < x.length; i++) {
        e2 += (x[i] - v[i]) ** 2;
        x2 += x[i] ** 2;
        maxAbs = Math.max(maxAbs, Math.abs(x[i] - v[i]));
      }
      const m = measure(bits, opts);
      expect(m.relMse).toBeCloseTo(e2 / x2, 12);
      expect(m.sqnrDb).toBeCloseTo(10 * Math.log10(x2 / e2), 9);
      expect(m.maxAbsError).toBe(maxAbs);
      expect(m.values).toBe(4096);
      expect(m.blocks).toBe(128);
    }
  });

  it('counts flushed blocks, clipped elements and bits per element on hand-made blocks', () => {
    const e2m1 = ELEMENT_FORMATS.e2m1;
    // block 1: 7 and 1 with floor (scale 2^(2-2) = 1): 7 clips to 6; block 2: exact values
    const a = new Float32Array([7, 1, 0, 0, 6, -3, 0.5, 1.5]);
    const m = measure(new Uint32Array(a.buffer), { elem: e2m1, scale: SCALE_FORMATS.e8m0, blockSize: 4, recipe: 'floor' });
    expect(m.saturated).toBe(1 / 8);
    expect(m.maxAbsError).toBe(1);
    expect(m.relMse).toBe(1 / (49 + 1 + 36 + 9 + 0.25 + 2.25));
    expect(m.flushedBlocks).toBe(0);
    expect(m.bitsPerElement).toBe(4 + 8 / 4);
    // UE4M3 nv: amax / 6 = 1.7e-7 is below half the smallest UE4M3 scale (2^-9 / 2): the scale rounds to 0, the block is flushed
    const tiny = new Float32Array([1e-6, -5e-7, 0, 2e-7]);
    const f = measure(new Uint32Array(tiny.buffer), { elem: e2m1, scale: SCALE_FORMATS.ue4m3, blockSize: 4, recipe: 'nv' });
    expect(f.flushedBlocks).toBe(1);
    expect(f.relMse).toBe(1);
    expect(f.saturated).toBe(0);
    // with the guard the scale is the smallest positive one, nothing is flushed
    expect(measure(new Uint32Array(tiny.buffer), { elem: e2m1, scale: SCALE_FORMATS.ue4m3, blockSize: 4, recipe: 'nv', guard: true }).flushedBlocks).toBe(0);
  });

  it('reports an exact quantization as infinite SQNR and leaves NaN blocks out', () => {
    const x = new Float32Array([1, 2, -4, 0.5, NaN, 1, 1, 1]);
    const m = measure(new Uint32Array(x.buffer), { elem: ELEMENT_FORMATS.e2m1, scale: SCALE_FORMATS.e8m0, blockSize: 4 });
    expect(m.relMse).toBe(0);
    expect(m.sqnrDb).toBe(Infinity);
    expect(m.nonFiniteBlocks).toBe(1);
    expect(m.blocks).toBe(1);
    expect(m.values).toBe(4);
  });
});

describe('sweeps', () => {
  it('expands every valid combination and counts the ones the golden model rejects', () => {
    const s = normalizeSweep({ elem: 'e2m1,e4m3', scale: 'e8m0,ue4m3', recipe: 'floor,nv,4over6', guard: 'off,on', block: '8,32', data: 'gaussian;student-t:nu=3,scale=0.002' });
    const { points, skipped } = expandSweep(s);
    // per data set, guard and k: e8m0 takes floor (2 elements); ue4m3 floor, nv (2 elements) and 4over6 (e2m1 only)
    expect(points.length).toBe(2 * 2 * 2 * (2 + 2 + 2 + 1));
    expect(skipped).toEqual({
      'recipe nv needs a ue4m3 or ue5m3 scale, not e8m0': 16,
      'recipe 4over6 needs a ue4m3 or ue5m3 scale, not e8m0': 16,
      'recipe 4over6 needs e2m1 elements': 8,
    });
    expect(points.map((p) => p.index)).toEqual(points.map((_, i) => i));
    // shards partition the points
    const parts = [1, 2, 3].map((i) => shardPoints(points, { index: i, count: 3 }));
    expect(parts.flat().map((p) => p.index).sort((a, b) => a - b)).toEqual(points.map((p) => p.index));
    expect(Math.max(...parts.map((p) => p.length)) - Math.min(...parts.map((p) => p.length))).toBeLessThanOrEqual(1);
  });

  it('rejects bad axes by name', () => {
    expect(() => normalizeSweep({ elem: 'fp5' })).toThrow(/elem: unknown element format 'fp5'/);
    expect(() => normalizeSweep({ block: '0' })).toThrow(/block needs whole numbers from 1/);
    expect(() => normalizeSweep({ recipe: 'best' })).toThrow(/recipe: unknown recipe 'best'/);
    expect(() => normalizeSweep({ guard: 'maybe' })).toThrow(/guard: expected on or off/);
    expect(() => normalizeSweep({ area: 'vivado' })).toThrow(/area: unknown synthesis flow 'vivado'/);
    expect(() => normalizeSweep({ blocks: [8] } as never)).toThrow(/unknown sweep key 'blocks'/);
    expect(() => expandSweep(normalizeSweep({ scale: 'e8m0', recipe: 'nv' }))).toThrow(/no valid point/);
    // the generic flow is always measured with an FPGA flow
    expect(normalizeSweep({ area: 'xilinx' }).area).toEqual(['generic', 'xilinx']);
  });
});

describe('Pareto front', () => {
  it('keeps exactly the points nothing beats on both cost and error', () => {
    const pts = [
      { cost: 1, error: 5 },
      { cost: 2, error: 3 },
      { cost: 2, error: 4 },
      { cost: 3, error: 3 },
      { cost: 4, error: 1 },
      { cost: 5, error: 2 },
      { cost: 4, error: 1 },
    ];
    expect(paretoFront(pts)).toEqual([pts[0], pts[1], pts[4], pts[6]]);
    // brute force: a point is on the front iff no other point is <= on both and < on one
    const brute = pts.filter((p) => !pts.some((q) => q !== p && q.cost <= p.cost && q.error <= p.error && (q.cost < p.cost || q.error < p.error)));
    expect(brute).toEqual([pts[0], pts[1], pts[4], pts[6]]);
  });
});

describe('results documents', () => {
  const sweep = normalizeSweep({ block: '8,16,32' , scale: 'e8m0', recipe: 'floor' });
  const row = (i: number) => ({ point: { ...expandSweep(sweep).points[i] }, metrics: { values: 8, blocks: 1, relMse: 0.1 * (i + 1), sqnrDb: 10, maxAbsError: 1, flushedBlocks: 0, saturated: 0, bitsPerElement: 5, nonFiniteBlocks: 0 } });
  const shard = (index: number, rows: number[]): ExploreDoc => makeDoc({ preset: null, sweep, total: 3, shard: { index, count: 2 }, skipped: {}, results: rows.map(row) });

  it('merge joins complete shards in point order and refuses gaps, doubles and strangers', () => {
    const m = mergeDocs([{ doc: shard(2, [1]), name: 'b' }, { doc: shard(1, [0, 2]), name: 'a' }]);
    expect(m.results.map((r) => r.point.index)).toEqual([0, 1, 2]);
    expect(m.shard).toEqual({ index: 1, count: 1 });
    expect(() => mergeDocs([{ doc: shard(1, [0, 2]), name: 'a' }])).toThrow(/shard 2\/2 missing/);
    expect(() => mergeDocs([{ doc: shard(1, [0, 2]), name: 'a' }, { doc: shard(1, [0, 2]), name: 'c' }])).toThrow(/given twice/);
    const other = { ...shard(2, [1]), sweep: { ...sweep, seed: 2 } };
    expect(() => mergeDocs([{ doc: shard(1, [0, 2]), name: 'a' }, { doc: other, name: 'x' }])).toThrow(/'x' holds another sweep/);
    expect(() => parseDoc('{"tool":"other"}', 'f.json')).toThrow(/not a results file of mxrtl explore/);
    expect(() => parseDoc('[1,', 'f.json')).toThrow(/not JSON/);
  });

  it('writes one CSV line per point with the numbers of the document', () => {
    const doc = mergeDocs([{ doc: shard(1, [0, 2]), name: 'a' }, { doc: shard(2, [1]), name: 'b' }]);
    const lines = toCsv(doc).trim().split('\n');
    expect(lines.length).toBe(4);
    const head = lines[0].split(',');
    const k = head.indexOf('k');
    const rel = head.indexOf('rel_mse');
    expect(lines.slice(1).map((l) => [Number(l.split(',')[k]), Number(l.split(',')[rel])])).toEqual([[8, 0.1], [16, 0.2], [32, 0.30000000000000004]]);
  });
});
