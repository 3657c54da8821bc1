/**
 * The fast quantizer: power-of-two recipes (`floor`, `ceil`) with E8M0 scales, any element format.
 *
 * One pass per block finds amax as the largest (bits & 0x7fffffff), which orders like the
 * magnitude for every non-NaN value; a second pass encodes each element straight from its FP32
 * bits: dividing by 2^x only moves the exponent, so the element code is the FP32 exponent re-biased
 * plus the top mantissa bits, rounded on the bits shifted out. No allocation, no floating point.
 * Results equal quantizeBlockReference (checked in the tests).
 */
import { bitLength } from './fp32.js';
import { elementEmax, elementMax, elementMaxCode, isIntFormat } from './formats/format.js';
import { E8M0_NAN } from './formats/e8m0.js';
import type { ResolvedQuantizeOptions } from './quantize.js';

/** Quantize the first nBlocks full blocks of `bits` into scales[0..nBlocks) and elems[0..nBlocks*k). */
export function quantizePow2E8M0Fast(
  bits: Uint32Array,
  nBlocks: number,
  o: ResolvedQuantizeOptions,
  scales: Uint8Array,
  elems: Uint8Array,
): void {
  const f = o.elem;
  const emax = elementEmax(f);
  // max_elem's significand normalized to 24 bits (1.m x 2^23), for `ceil`
  const mx = elementMax(f);
  const mxSig = Number(mx.sig);
  const ceilSig = o.recipe === 'ceil' ? mxSig * 2 ** (24 - bitLength(mxSig)) : 0x1000000;
  const away = o.round === 'away' ? 1 : 0;
  const nanOverflow = o.overflow === 'nan' ? 1 : 0;
  if (isIntFormat(f)) {
    const limPos = elementMaxCode(f);
    const limNeg = o.int8Range === 'full' ? limPos + 1 : limPos;
    const wrap = 1 << f.bits;
    quantizeInt(bits, nBlocks, o.blockSize, emax, ceilSig, away, nanOverflow, 150 - f.fracBits, limPos, limNeg, wrap, scales, elems);
  } else {
    const signShift = f.ebits + f.mbits;
    quantizeMinifloat(bits, nBlocks, o.blockSize, emax, ceilSig, away, nanOverflow, f.mbits, f.bias, elementMaxCode(f), signShift, scales, elems);
  }
}

/** The largest |x| of a block as FP32 magnitude bits (these order like the values; NaN and Inf sort above every finite value). */
function blockAmax(bits: Uint32Array, base: number, end: number): number {
  let amax = 0;
  for (let i = base; i < end; i++) {
    const a = bits[i] & 0x7fffffff;
    if (a > amax) amax = a;
  }
  return amax;
}

/**
 * The block's scale exponent x from amax (non-zero, finite FP32 magnitude bits): floor(log2 amax)
 * - emax, plus one for `ceil` when amax's significand exceeds max_elem's. Returns 999 on an
 * overflow that must give NaN.
 */
function scaleExp(amax: number, emax: number, ceilSig: number, nanOverflow: number): number {
  const ea = amax >>> 23;
  let fl: number;
  let sig24: number;
  if (ea !== 0) {
    fl = ea - 127;
    sig24 = (amax & 0x7fffff) | 0x800000;
  } else {
    const l = 31 - Math.clz32(amax);
    fl = l - 149;
    sig24 = amax << (23 - l);
  }
  let x = fl - emax;
  if (sig24 > ceilSig) x++;
  if (x > 127) return nanOverflow ? 999 : 127;
  return x < -127 ? -127 : x;
}

function quantizeMinifloat(
  bits: Uint32Array,
  nBlocks: number,
  k: number,
  emax: number,
  ceilSig: number,
  away: number,
  nanOverflow: number,
  mbits: number,
  bias: number,
  maxMag: number,
  signShift: number,
  scales: Uint8Array,
  elems: Uint8Array,
): void {
  const sh0 = 23 - mbits;
  for (let j = 0; j < nBlocks; j++) {
    const base = j * k;
    const end = base + k;
    const amax = blockAmax(bits, base, end);
    if (amax >= 0x7f800000) {
      scales[j] = E8M0_NAN;
      elems.fill(0, base, end);
      continue;
    }
    if (amax === 0) {
      scales[j] = 0;
      for (let i = base; i < end; i++) elems[i] = (bits[i] >>> 31) << signShift;
      continue;
    }
    const x = scaleExp(amax, emax, ceilSig, nanOverflow);
    if (x === 999) {
      scales[j] = E8M0_NAN;
      elems.fill(0, base, end);
      continue;
    }
    scales[j] = x + 127;
    const d = bias - 127 - x; // element biased exponent = FP32 exponent field + d
    for (let i = base; i < end; i++) {
      const b = bits[i];
      let a = b & 0x7fffffff;
      let ev = a >>> 23;
      if (ev === 0) {
        if (a === 0) {
          elems[i] = (b >>> 31) << signShift;
          continue;
        }
        const l = 31 - Math.clz32(a); // FP32 subnormal: normalize
        ev = l - 22;
        a = (a << (23 - l)) & 0x7fffff;
      }
      // te >= 1: a normal element, shift out 23 - mbits bits; te <= 0: subnormal, 1 - te more
      const te = ev + d;
      const u = 1 - te;
      const under = u >> 31; // -1 when te > 1, else 0
      let sh = sh0 + (u & ~under);
      if (sh > 25) sh = 25;
      const mant = (a & 0x7fffff) | 0x800000;
      // round to nearest: add half - 1, plus one more on a tie when the kept LSB is odd (or always, `away`)
      const half = 1 << (sh - 1);
      let mag = (((te - 1) & under) << mbits) + ((mant + half - 1 + (((mant >>> sh) & 1) | away)) >>> sh);
      if (mag > maxMag) mag = maxMag;
      elems[i] = mag | ((b >>> 31) << signShift);
    }
  }
}

function quantizeInt(
  bits: Uint32Array,
  nBlocks: number,
  k: number,
  emax: number,
  ceilSig: number,
  away: number,
  nanOverflow: number,
  shBase: number,
  limPos: number,
  limNeg: number,
  wrap: number,
  scales: Uint8Array,
  elems: Uint8Array,
): void {
  for (let j = 0; j < nBlocks; j++) {
    const base = j * k;
    const end = base + k;
    const amax = blockAmax(bits, base, end);
    if (amax >= 0x7f800000 || amax === 0) {
      scales[j] = amax === 0 ? 0 : E8M0_NAN;
      elems.fill(0, base, end);
      continue;
    }
    const x = scaleExp(amax, emax, ceilSig, nanOverflow);
    if (x === 999) {
      scales[j] = E8M0_NAN;
      elems.fill(0, base, end);
      continue;
    }
    scales[j] = x + 127;
    const s0 = shBase + x; // right shift of the 24-bit significand = s0 - exponent field
    for (let i = base; i < end; i++) {
      const b = bits[i];
      let a = b & 0x7fffffff;
      let ev = a >>> 23;
      if (ev === 0) {
        if (a === 0) {
          elems[i] = 0;
          continue;
        }
        const l = 31 - Math.clz32(a);
        ev = l - 22;
        a = (a << (23 - l)) & 0x7fffff;
      }
      const neg = b >>> 31;
      const lim = neg ? limNeg : limPos;
      let sh = s0 - ev;
      let m: number;
      if (sh <= 0) m = lim;
      else {
        if (sh > 25) sh = 25;
        const mant = (a & 0x7fffff) | 0x800000;
        m = (mant + (1 << (sh - 1)) - 1 + (((mant >>> sh) & 1) | away)) >>> sh;
        if (m > lim) m = lim;
      }
      elems[i] = neg && m !== 0 ? wrap - m : m;
    }
  }
}
