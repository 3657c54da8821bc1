/**
 * MXFP4 dot product: two blocks of k E2M1 codes and their E8M0 scales in, one FP32 word out.
 * The sum of products is exact (an adder tree sized from k); it is rounded once.
 * Golden function: src/dot.ts dotE2M1E8M0.
 */
import { E2M1 } from '../../src/formats/e2m1.js';
import { article } from '../../src/text.js';
import { addTree } from '../raw/add_tree.js';
import { decodeMinifloat } from '../raw/decode_minifloat.js';
import { mulRaw } from '../raw/mul_raw.js';
import { rawToFixed, type HwFixed } from '../raw/raw_to_fixed.js';
import { roundFp32 } from '../raw/round_fp32.js';
import { VerilogModule } from '../verilog/module.js';
import { binop, cmp, lit, litTwos, mux, paren, ref, signedBits, slice, unsignedBits, zext } from '../verilog/signal.js';
import { configTag, type GenConfig } from './config.js';
import { header } from './header.js';
import type { Unit } from './unit.js';

export function dotModuleName(c: GenConfig): string {
  return `mx_dot_${configTag(c)}`;
}

/** Widths the dot product derives from k, for the header, manifest and proofs. */
export function dotWidths(k: number): { productBits: number; sumBits: number; magBits: number; sumMax: number } {
  const sumMax = 144 * k;
  return { productBits: 9, sumBits: signedBits(-sumMax, sumMax), magBits: unsignedBits(sumMax), sumMax };
}

export function genDotE2M1E8M0(c: GenConfig, command: string): Unit {
  const k = c.block;
  const name = dotModuleName(c);
  const w = dotWidths(k);
  const m = new VerilogModule(
    name,
    header({
      module: name,
      unit: 'MX block dot product',
      command,
      configuration: ['element format: FP4 E2M1 (both blocks)', 'scale format: E8M0 (2^(scale-127); 8\'hFF is NaN)', `block size k = ${k}`],
      computes: ['result = 2^(scale_a-127) * 2^(scale_b-127) * sum_i a_i*b_i as IEEE FP32'],
      numerics: [
        `Products exact (9-bit two's complement, units of 2^-2); their sum exact in ${article(String(w.sumBits))} ${w.sumBits}-bit adder tree (|sum| <= ${w.sumMax}).`,
        'One rounding, to nearest even; FP32 subnormal results are produced (no flush to zero).',
        'Results of 2^128 and above give +-Inf; a scale of 8\'hFF on either side gives the quiet NaN 32\'h7FC00000.',
        'An exact zero sum gives +0 (32\'h00000000), whatever the signs of the products.',
      ],
    }),
  );
  const a = m.input('a', 4 * k, 'block A: k E2M1 codes; element i at bits [4i+3:4i]');
  const b = m.input('b', 4 * k, 'block B: k E2M1 codes');
  const sa = m.input('scale_a', 8, 'E8M0 scale of block A');
  const sb = m.input('scale_b', 8, 'E8M0 scale of block B');
  const result = m.output('result', 32, 'IEEE FP32');

  const terms: HwFixed[] = [];
  for (let i = 0; i < k; i++) {
    m.section(`lane ${i}: exact product a_${i} * b_${i}`);
    const ai = m.wire(`a_${i}`, slice(a, 4 * i + 3, 4 * i));
    const bi = m.wire(`b_${i}`, slice(b, 4 * i + 3, 4 * i));
    const p = mulRaw(m, `p_${i}`, decodeMinifloat(m, `a_${i}`, E2M1, ai), decodeMinifloat(m, `b_${i}`, E2M1, bi));
    terms.push(rawToFixed(m, `prod_${i}`, p));
  }
  const sum = addTree(m, 'sum', terms);
  m.section('sum of products: sign and magnitude');
  const total = m.wire('sum', ref(sum.value), { comment: `exact sum of products, ${w.sumBits}-bit two's complement, units of 2^${sum.lsbExp}` });
  const W = w.magBits;
  if (total.width !== W + 1) throw new Error('dot: sum width mismatch');
  const sign = m.wire('sum_sign', slice(total, W));
  const low = slice(total, W - 1, 0);
  const mag = m.wire('sum_mag', mux(ref(sign), binop(lit(W, 0), '-', low), low), { comment: `|sum| (fits ${W} bits)` });
  m.section('scales: exponent of the sum\'s unit, NaN');
  const lo = sum.lsbExp - 254;
  const hi = sum.lsbExp + 254;
  const ew = signedBits(lo, hi);
  const exp = m.wire('sum_exp', binop(binop(zext(ref(sa), ew), '+', zext(ref(sb), ew)), '+', litTwos(ew, sum.lsbExp - 254)), {
    comment: `(scale_a - 127) + (scale_b - 127) + (${sum.lsbExp})`,
  });
  const nan = m.wire('any_nan', binop(paren(cmp(ref(sa), '==', lit(8, 255))), '|', paren(cmp(ref(sb), '==', lit(8, 255)))));
  const r = roundFp32(m, 'rnd', { nan: ref(nan), sign, mag, exp, expLo: lo, expHi: hi });
  m.section('output');
  m.assign(result, ref(r));
  return { kind: 'dot_e2m1_e8m0', module: m, parameters: { elem: 'e2m1', scale: 'e8m0', block: k, sum_bits: w.sumBits } };
}
