/**
 * quant: the MX quantizer. Random blocks from heavy-tailed and adversarial distributions: Student-t
 * (nu = 3) at random magnitudes; values one ulp around powers of two (where floor(log2 amax) and the
 * element binades change); exact ties between neighbouring element values at the block's scale (the
 * element rounding's tie rule); amax on a tie between two scale values (nv's scale rounding); FP32 subnormals (alone, so that amax is subnormal, or beside normal
 * values); values near the FP32 maximum (the scale's clamp); sparse blocks with one outlier (the
 * rest underflow); blocks with NaN or Inf; all-zero blocks with signed zeros; and uniform bit
 * patterns (for BF16 inputs the top halves of these). Golden: src/quantize.ts quantizeBlockReference
 * (the general path).
 */
import { decodeElement, decodeScale, elementMax, elementMaxCode, isE8M0, scaleMaxCode, scaleNanCode } from '../../src/formats/format.js';
import { minifloatEmax } from '../../src/formats/minifloat.js';
import type { Raw } from '../../src/raw.js';
import { QUANT_PORTS, quantFamily, type QuantParams } from '../../generator/units/quant.js';
import { count } from '../format.js';
import { slotOf, type RecordLayout } from '../layout.js';
import { Xoshiro128 } from '../prng.js';
import { classedBatches, goldenFromValues, putField, reportLines, type OpenBench, type UnitBench } from './types.js';

export const QUANT_CLASSES = ['student-t', 'around powers of two', 'element ties', 'scale ties', 'fp32 subnormals', 'near fp32 max', 'one outlier', 'nan / inf', 'zero blocks', 'uniform bits'] as const;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
/** The FP32 bits of a double, rounded to FP32. */
function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}

const valueOf = (d: Raw): number => Number(d.sig) * 2 ** d.exp * (d.sign ? -1 : 1);

/** A block scale the recipe can pick: a power of two in the scale format's range, or (nv) any positive scale value. */
function blockScale(p: QuantParams, rng: Xoshiro128): number {
  const r = (): number => rng.next();
  if (isE8M0(p.scale)) return 2 ** ((r() % 60) - 30);
  if (p.recipe === 'nv') return valueOf(decodeScale(p.scale, 1 + (r() % scaleMaxCode(p.scale))));
  const lo = 1 - p.scale.bias - p.scale.mbits;
  return 2 ** (lo + (r() % (minifloatEmax(p.scale) - lo + 1)));
}

/**
 * A value on a tie, or moved off it by m * 2^j ulps (m = 1 .. 15; j = 0, or 4 .. 10: the bits a
 * division by a 4- to 7-bit significand keeps in its quotient, so that only its remainder is off).
 */
function nearTie(bits: number, r: () => number): number {
  const c = r() % 4;
  if (c === 0 || (bits & 0x7f800000) === 0) return bits;
  const step = (1 + (r() % 15)) * 2 ** (c === 1 ? 0 : 4 + (r() % 7));
  return (r() & 1 ? bits + step : bits - step) >>> 0;
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
      // lane 0 the largest element times a scale S (so the recipe's scale is S); the others exact
      // midpoints between neighbouring element values times S, or a few units of 2^10 ulps off one
      // (the bits a lane's division keeps unchanged: only its remainder tells the value off the tie)
      const S = blockScale(p, rng);
      const maxCode = elementMaxCode(p.elem);
      const value = (c: number): number => valueOf(decodeElement(p.elem, c));
      block.push(bitsOf(value(maxCode) * S * sgn()));
      for (let i = 1; i < k; i++) {
        const c = r() % maxCode;
        const v = (value(c) + value(c + 1)) / 2;
        block.push(nearTie(bitsOf(v * S * sgn()), r));
      }
      break;
    }
    case 'scale ties': {
      // amax = max_elem times the midpoint between two neighbouring scale values (nv rounds the
      // ratio on a tie; for the power-of-two recipes 1.5 times a power of two), or a few units off
      // it; the rest below it
      const mx = valueOf(elementMax(p.elem));
      let mid: number;
      if (isE8M0(p.scale)) mid = 1.5 * 2 ** ((r() % 60) - 30);
      else {
        const c = r() % scaleMaxCode(p.scale);
        mid = (valueOf(decodeScale(p.scale, c)) + valueOf(decodeScale(p.scale, c + 1))) / 2;
      }
      const amax = mx * mid;
      for (let i = 0; i < k; i++) block.push(bitsOf(sgn() * amax * unit()));
      block[r() % k] = nearTie(bitsOf(sgn() * amax), r);
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

/** `n` blocks of FP32 bits drawn from the bench's classes (for checks beyond the bench: the RTL round trip). */
export function quantTestBlocks(p: QuantParams, seed: number, n: number): number[][] {
  const rng = new Xoshiro128(seed);
  return Array.from({ length: n }, () => blockOf(p, rng, QUANT_CLASSES[rng.next() % QUANT_CLASSES.length]));
}

export const quantBench: UnitBench<QuantParams> = {
  family: 'quant',
  legend: () => QUANT_CLASSES.map((c) => `random class: ${c}`),
  open(p: QuantParams, layout: RecordLayout): OpenBench {
    const golden = goldenFromValues(layout, quantFamily.golden(p));
    const xo = slotOf(layout.inputs, QUANT_PORTS.x).offset;
    const so = slotOf(layout.outputs, QUANT_PORTS.scale).offset;
    const wi = p.in === 'bf16' ? 16 : 32;
    const scales = { nan: 0, zeroBlock: 0, zeroScale: 0, lowest: 0, highest: 0, other: 0 };
    const e8 = isE8M0(p.scale);
    const nanCode = scaleNanCode(p.scale);
    // the largest scale the recipe can give: the largest finite code (nv), or the largest power of two
    const top = e8 ? 254 : p.recipe === 'nv' ? scaleMaxCode(p.scale) : (minifloatEmax(p.scale) + p.scale.bias) << p.scale.mbits;
    const lowest = e8 ? 0 : 1;
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
          scales[s === nanCode ? 'nan' : zeros ? 'zeroBlock' : !e8 && s === 0 ? 'zeroScale' : s === lowest ? 'lowest' : s === top ? 'highest' : 'other']++;
        });
        return {
          total: opts.vectors,
          what: `${count(opts.vectors)} random blocks in ${QUANT_CLASSES.length} classes`,
          next,
          details: () => [
            `random classes: ${[...perClass].map(([c, x]) => `${c} ${count(x)}`).join(', ')}`,
            `scale codes: NaN ${count(scales.nan)}, all-zero blocks ${count(scales.zeroBlock)}, ${e8 ? '' : `zero (the block flushed) ${count(scales.zeroScale)}, `}${lowest} (the smallest scale${p.guard || e8 ? ', clamped from below' : ''}) ${count(scales.lowest)}, ${top} (the largest) ${count(scales.highest)}, others ${count(scales.other)}`,
          ],
        };
      },
    };
  },
};
