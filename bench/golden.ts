/**
 * Quantize throughput of the golden model, one thread: elements per second for each element
 * format at k = 32 on 2^24 heavy-tailed values (Student-t, 3 degrees of freedom, fixed seed).
 *
 *   node dist/bench/golden.js [--log2n 24] [--runs 5] [--slow]
 *
 * Times floor and ceil (E8M0 scales) and nv (UE4M3 scales; E2M1 also with a tensor scale) on every
 * element format, 4over6 (E2M1, UE4M3) and mse (E2M1 x UE4M3, E4M3 x E8M0); --slow also times the
 * reference path of nv, 4over6 and mse on a 2^16-value slice.
 */
import { performance } from 'node:perf_hooks';
import { autoTensorScale, quantize, quantizeReference, type QuantizeOptions, type ScaleRecipe } from '../src/quantize.js';
import { ELEMENT_FORMATS, SCALE_FORMATS, type ElementFormat, type ScaleFormat } from '../src/formats/format.js';
import { studentT3 } from '../explore/data.js';

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 1) throw new Error(`${name} needs a positive integer`);
  return v;
}

function time(bits: Uint32Array, opts: QuantizeOptions, runs: number): number {
  quantize(bits.subarray(0, Math.min(bits.length, 1 << 16)), opts); // warm-up
  let best = Infinity;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    quantize(bits, opts);
    const dt = performance.now() - t0;
    if (dt < best) best = dt;
  }
  return bits.length / (best / 1000);
}

function row(name: string, recipe: ScaleRecipe, scale: ScaleFormat, n: number, rate: number): string {
  return `| ${name} | ${scale.name} | ${recipe} | ${n} | ${(rate / 1e6).toFixed(1)} |`;
}

const log2n = arg('--log2n', 24);
const runs = arg('--runs', 5);
const n = 2 ** log2n;
const values = studentT3(n, 12345);
const bits = new Uint32Array(values.buffer);
const e8m0 = SCALE_FORMATS.e8m0;
const lines = [
  `mxrtl golden quantize, k = 32, Student-t(3) values, best of ${runs} runs, node ${process.version}`,
  '',
  '| elements | scale | recipe | values | M elements/s |',
  '|---|---|---|---|---|',
];
process.stdout.write(lines.join('\n') + '\n');
const formats: [string, ElementFormat][] = Object.entries(ELEMENT_FORMATS);
for (const [name, elem] of formats) {
  for (const recipe of ['floor', 'ceil'] as const) {
    const rate = time(bits, { elem, scale: e8m0, blockSize: 32, recipe }, runs);
    process.stdout.write(row(name, recipe, e8m0, n, rate) + '\n');
  }
}
const ue4m3 = SCALE_FORMATS.ue4m3;
for (const [name, elem] of formats) {
  const rate = time(bits, { elem, scale: ue4m3, blockSize: 32, recipe: 'nv' }, runs);
  process.stdout.write(row(name, 'nv', ue4m3, n, rate) + '\n');
}
{
  // nv with NVFP4's per-tensor scale
  const e2m1 = ELEMENT_FORMATS.e2m1;
  const tensorScale = autoTensorScale(bits, e2m1, ue4m3);
  const rate = time(bits, { elem: e2m1, scale: ue4m3, blockSize: 32, recipe: 'nv', tensorScale }, runs);
  process.stdout.write(row('e2m1 (tensor scale)', 'nv', ue4m3, n, rate) + '\n');
}
{
  const e2m1 = ELEMENT_FORMATS.e2m1;
  const e4m3 = ELEMENT_FORMATS.e4m3;
  const more: [string, ElementFormat, ScaleFormat, ScaleRecipe][] = [
    ['e2m1', e2m1, ue4m3, '4over6'],
    ['e2m1', e2m1, ue4m3, 'mse'],
    ['e4m3', e4m3, e8m0, 'mse'],
  ];
  for (const [name, elem, scale, recipe] of more) {
    const rate = time(bits, { elem, scale, blockSize: 32, recipe }, runs);
    process.stdout.write(row(name, recipe, scale, n, rate) + '\n');
  }
  if (process.argv.includes('--slow')) {
    // the reference path of the same recipes, on a 2^16-value slice
    const slice = bits.subarray(0, 1 << 16);
    for (const [name, elem, scale, recipe] of [['e2m1', e2m1, ue4m3, 'nv'] as const, ...more]) {
      const o = { elem, scale, blockSize: 32, recipe };
      const t0 = performance.now();
      quantizeReference(slice, o);
      const rate = slice.length / ((performance.now() - t0) / 1000);
      process.stdout.write(row(`${name} (reference path)`, recipe, scale, slice.length, rate) + '\n');
    }
  }
}
