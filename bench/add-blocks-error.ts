/**
 * The error of a block-wise quantized reduction with add_blocks (src/add-blocks.ts), against summing
 * in FP32. R tensors of Student-t(3) values (2^--log2n each, fixed seeds) are quantized; the sum of
 * the R quantized tensors is then formed four ways and compared with the exact sum of the original
 * values (in float64, exact for these magnitudes up to its last bits):
 *
 *   add_blocks   a chain of R - 1 add_blocks (a ring all-reduce: the partial sum requantized at
 *                every step), dequantized
 *   fp32 + q     the R dequantized tensors summed in FP32, then quantized once, dequantized
 *   fp32         the R dequantized tensors summed in FP32 (no requantization: the inputs' error alone)
 *   q(exact)     the exact sum of the original values quantized once (the best one quantization gives)
 *
 * Printed per configuration and R: relative MSE (sum of squared errors over the sum of squares of
 * the exact sum) of each, and the share of blocks in which add_blocks and fp32 + q give different codes.
 *
 *   node dist/bench/add-blocks-error.js [--log2n 16] [--ranks 2,8]
 */
import { addBlocks, type AddBlocksRecipe } from '../src/add-blocks.js';
import { dequantize } from '../src/dequant.js';
import { E2M1, E4M3, E8M0, INT8, UE4M3, type ElementFormat, type ScaleFormat } from '../src/index.js';
import { quantize } from '../src/quantize.js';
import { studentT3 } from '../explore/data.js';

interface Config {
  readonly name: string;
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly k: number;
  readonly recipe: AddBlocksRecipe;
}

const CONFIGS: Config[] = [
  { name: 'MXFP4', elem: E2M1, scale: E8M0, k: 32, recipe: 'floor' },
  { name: 'MXFP8 (E4M3)', elem: E4M3, scale: E8M0, k: 32, recipe: 'floor' },
  { name: 'MXINT8', elem: INT8, scale: E8M0, k: 32, recipe: 'floor' },
  { name: 'NVFP4', elem: E2M1, scale: UE4M3, k: 16, recipe: 'nv' },
];

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i < 0 ? dflt : (process.argv[i + 1] ?? dflt);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const valueOf = (bits: number): number => {
  u32[0] = bits;
  return f32[0];
};

function relMse(got: ArrayLike<number>, exact: Float64Array): number {
  let e = 0;
  let s = 0;
  for (let i = 0; i < exact.length; i++) {
    const d = got[i] - exact[i];
    e += d * d;
    s += exact[i] * exact[i];
  }
  return e / s;
}

function main(): void {
  const log2n = Number(arg('--log2n', '16'));
  if (!Number.isInteger(log2n) || log2n < 6 || log2n > 22) throw new Error('--log2n must be a whole number from 6 to 22');
  const ranks = arg('--ranks', '2,8').split(',').map(Number);
  if (ranks.some((r) => !Number.isInteger(r) || r < 2 || r > 64)) throw new Error('--ranks: whole numbers from 2 to 64');
  const n = 2 ** log2n;
  const maxR = Math.max(...ranks);
  // one scale per tensor (1, 2, 0.5, ...): ranks hold values of somewhat different magnitudes
  const tensors = Array.from({ length: maxR }, (_, r) => {
    const t = studentT3(n, 1000 + r);
    const m = 2 ** ((r % 3) - 1);
    for (let i = 0; i < n; i++) t[i] *= m;
    return t;
  });
  console.log(`add_blocks error: Student-t(3) tensors of ${n.toLocaleString('en-US')} values (rank r scaled by 2^((r mod 3) - 1)), relative MSE against the exact sum`);
  console.log('');
  console.log('| configuration | ranks | add_blocks chain | fp32 sum + one quantization | fp32 sum (no requantization) | exact sum quantized once | blocks where add_blocks ≠ fp32 + q |');
  console.log('| --- | --- | --- | --- | --- | --- | --- |');
  for (const c of CONFIGS) {
    const opts = { elem: c.elem, scale: c.scale, blockSize: c.k, recipe: c.recipe };
    const q = tensors.map((t) => quantize(t, opts));
    const deq = q.map((x) => dequantize(c.elem, x.elems, c.scale, x.scales, c.k));
    const blocks = n / c.k;
    for (const R of ranks) {
      const exact = new Float64Array(n);
      for (let r = 0; r < R; r++) for (let i = 0; i < n; i++) exact[i] += tensors[r][i];
      // add_blocks, as a ring: ((q0 + q1) + q2) + ...
      let elems = q[0].elems.slice();
      let scales = q[0].scales.slice();
      const out = new Uint8Array(c.k);
      for (let r = 1; r < R; r++) {
        const ne = new Uint8Array(n);
        const ns = new Uint8Array(blocks);
        for (let j = 0; j < blocks; j++) {
          ns[j] = addBlocks(elems.subarray(j * c.k, (j + 1) * c.k), scales[j], q[r].elems.subarray(j * c.k, (j + 1) * c.k), q[r].scales[j], opts, out);
          ne.set(out, j * c.k);
        }
        elems = ne;
        scales = ns;
      }
      const viaAdd = Array.from(dequantize(c.elem, elems, c.scale, scales, c.k), valueOf);
      // FP32: the dequantized tensors summed in FP32 (rank order), then quantized once
      // (from rank 0's values, not from +0: +0 + -0 would lose a zero's sign)
      const sum32 = new Float32Array(n);
      for (let i = 0; i < n; i++) sum32[i] = valueOf(deq[0][i]);
      for (let r = 1; r < R; r++) for (let i = 0; i < n; i++) sum32[i] = Math.fround(sum32[i] + valueOf(deq[r][i]));
      const qs = quantize(sum32, opts);
      const viaFp32 = Array.from(dequantize(c.elem, qs.elems, c.scale, qs.scales, c.k), valueOf);
      const qe = quantize(new Float32Array(exact), opts);
      const once = Array.from(dequantize(c.elem, qe.elems, c.scale, qe.scales, c.k), valueOf);
      let differ = 0;
      for (let j = 0; j < blocks; j++) {
        let d = scales[j] !== qs.scales[j];
        for (let i = 0; !d && i < c.k; i++) d = elems[j * c.k + i] !== qs.elems[j * c.k + i];
        if (d) differ++;
      }
      const f = (x: number): string => x.toPrecision(3);
      console.log(`| ${c.name}, k = ${c.k}, ${c.recipe} | ${R} | ${f(relMse(viaAdd, exact))} | ${f(relMse(viaFp32, exact))} | ${f(relMse(sum32, exact))} | ${f(relMse(once, exact))} | ${((100 * differ) / blocks).toFixed(1)} % |`);
    }
  }
}

main();
