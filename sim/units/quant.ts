/**
 * quant: the MX quantizer. Random blocks from heavy-tailed and adversarial distributions: Student-t
 * (nu = 3) at random magnitudes; values one ulp around powers of two (where floor(log2 amax) and the
 * element binades change); exact ties between neighbouring element values at the block's scale (the
 * element rounding's tie rule); FP32 subnormals (alone, so that amax is subnormal, or beside normal
 * values); values near the FP32 maximum (the scale's clamp); sparse blocks with one outlier (the
 * rest underflow); blocks with NaN or Inf; all-zero blocks with signed zeros; and uniform bit
 * patterns (for BF16 inputs the top halves of these). Golden: src/quantize.ts quantizeBlockReference
 * (the general path).
 */
import { decodeElement, elementMaxCode } from '../../src/formats/format.js';
import { QUANT_PORTS, quantFamily, type QuantParams } from '../../generator/units/quant.js';
import { count } from '../format.js';
import { slotOf, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import { classedBatches, goldenFromValues, putField, reportLines, type OpenBench, type UnitBench } from './types.js';

export const QUANT_CLASSES = ['student-t', 'around powers of two', 'element ties', 'fp32 subnormals', 'near fp32 max', 'one outlier', 'nan / inf', 'zero blocks', 'uniform bits'] as const;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The FP32 bits of a double, rounded to FP32. */
function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}

function blockOf(p: QuantParams, rng: Xoshiro128, cls: (typeof QUANT_CLASSES)[number]): number[] {
  const k = p.block;
  const r = (): number => rng.next();
  const unit = (): number => (r() + 0.5) / 2 ** 32;
  const gauss = (): number => Math.sqrt(-2 * Math.log(unit())) * Math.cos(2 * Math.PI * unit());
  const sgn = (): number => (r() & 1 ? -1 : 1);
  const block: number[] = [];
  switch (cls) {
    case 'student-t': {
      const mag = 2 ** ((r() % 80) - 40);
      for (let i = 0; i < k; i++) {
        const chi = gauss() ** 2 + gauss() ** 2 + gauss() ** 2;
        block.push(bitsOf((mag * gauss()) / Math.sqrt(chi / 3)));
      }
      break;
    }
    case 'around powers of two': {
      const e = (r() % 200) - 100;
      for (let i = 0; i < k; i++) {
        const b = bitsOf(sgn() * 2 ** (e - (r() % 6)));
        block.push((b + (r() % 3) - 1) >>> 0);
      }
      break;
    }
    case 'element ties': {
      // lane 0 the largest element at scale 2^x (so the recipes' scale is 2^x); the others exact
      // midpoints between neighbouring element values at that scale
      const x = (r() % 60) - 30;
      const maxCode = elementMaxCode(p.elem);
      const value = (c: number): number => {
        const d = decodeElement(p.elem, c);
        return Number(d.sig) * 2 ** d.exp * (d.sign ? -1 : 1);
      };
      block.push(bitsOf(value(maxCode) * 2 ** x * sgn()));
      for (let i = 1; i < k; i++) {
        const c = r() % maxCode;
        const v = (value(c) + value(c + 1)) / 2;
        block.push(bitsOf(v * 2 ** x * sgn()));
      }
      break;
    }
    case 'fp32 subnormals': {
      const normal = r() & 1 ? 2 ** -(110 + (r() % 16)) : 0;
      for (let i = 0; i < k; i++) block.push((((r() & 1) << 31) | (r() & (r() & 1 ? 0x7fffff : 0xfff))) >>> 0);
      if (normal !== 0) block[r() % k] = bitsOf(normal * sgn());
      break;
    }
    case 'near fp32 max':
      for (let i = 0; i < k; i++) block.push((((r() & 1) << 31) | ((0xf0 + (r() % 15)) << 23) | (r() & 0x7fffff)) >>> 0);
      break;
    case 'one outlier': {
      const e = (r() % 100) - 50;
      for (let i = 0; i < k; i++) block.push(bitsOf(sgn() * unit() * 2 ** (e - 20 - (r() % 20))));
      block[r() % k] = bitsOf(sgn() * (1 + unit()) * 2 ** e);
      break;
    }
    case 'nan / inf':
      for (let i = 0; i < k; i++) block.push(bitsOf(gauss()));
      block[r() % k] = r() & 1 ? (((r() & 1) << 31) | 0x7f800000) >>> 0 : (0x7f800001 + (r() % 0x7fffff)) >>> 0;
      break;
    case 'zero blocks':
      for (let i = 0; i < k; i++) block.push((r() & 1) << 31 >>> 0);
      break;
    case 'uniform bits':
      for (let i = 0; i < k; i++) block.push(r() >>> 0);
      break;
  }
  return block;
}

export const quantBench: UnitBench<QuantParams> = {
  family: 'quant',
  legend: () => QUANT_CLASSES.map((c) => `random class: ${c}`),
  open(p: QuantParams, layout: RecordLayout): OpenBench {
    const golden = goldenFromValues(layout, quantFamily.golden(p));
    const xo = slotOf(layout.inputs, QUANT_PORTS.x).offset;
    const so = slotOf(layout.outputs, QUANT_PORTS.scale).offset;
    const wi = p.in === 'bf16' ? 16 : 32;
    const scales = { nan: 0, zeroBlock: 0, lowest: 0, highest: 0, other: 0 };
    return {
      golden,
      report: (m) => reportLines(layout, m, (v) => quantFamily.describeInputs(p, v), (port, v) => quantFamily.describeOutput(p, port, v)),
      plan(opts) {
        const rng = new Xoshiro128(opts.seed ^ 0x51a7e0c3);
        const { next, perClass } = classedBatches(opts, layout, rng, QUANT_CLASSES, 'block', (input, off, expected, outOff, c) => {
          // a BF16 block: the top halves of an FP32 block (the classes' values keep their few bits)
          const block = blockOf(p, rng, c).map((x) => (p.in === 'bf16' ? x >>> 16 : x));
          block.forEach((x, i) => putField(input, off + xo, wi * i, wi, x));
          golden(input, off, expected, outOff);
          const s = expected[outOff + so] & 0xff;
          const zeros = block.every((x) => (x & (p.in === 'bf16' ? 0x7fff : 0x7fffffff)) === 0);
          scales[s === 0xff ? 'nan' : zeros ? 'zeroBlock' : s === 0 ? 'lowest' : s === 254 ? 'highest' : 'other']++;
        });
        return {
          total: opts.vectors,
          what: `${count(opts.vectors)} random blocks in ${QUANT_CLASSES.length} classes`,
          next,
          details: () => [
            `random classes: ${[...perClass].map(([c, x]) => `${c} ${count(x)}`).join(', ')}`,
            `scale codes: NaN ${count(scales.nan)}, all-zero blocks ${count(scales.zeroBlock)}, 0 (the smallest scale, clamped from below) ${count(scales.lowest)}, 254 (the largest) ${count(scales.highest)}, others ${count(scales.other)}`,
          ],
        };
      },
    };
  },
};
