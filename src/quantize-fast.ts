/**
 * The fast quantizer: power-of-two recipes (`floor`, `ceil`) with E8M0 scales, and `nv` (below),
 * any element format.
 *
 * One pass per block finds amax as the largest (bits & 0x7fffffff), which orders like the
 * magnitude for every non-NaN value; a second pass encodes each element straight from its FP32
 * bits: dividing by 2^x only moves the exponent, so the element code is the FP32 exponent re-biased
 * plus the top mantissa bits, rounded on the bits shifted out. No allocation, no floating point.
 * Results equal quantizeBlockReference (checked in the tests).
 */
import { bitLength } from './fp32.js';
import { decodeElement, decodeScale, elementBits, elementEmax, elementMax, elementMaxCode, isE8M0, isIntFormat, scaleMaxCode, scaleNanCode } from './formats/format.js';
import { minifloatSignBit } from './formats/minifloat.js';
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

/**
 * The fast `nv` quantizer (UE4M3 / UE5M3 scales, with or without a tensor scale T), any element
 * format. No division: every rounding is a count of thresholds below a value, each threshold an
 * exact double. The scale code of a block is the number of midpoints between neighbouring scale
 * values, times max_elem * T, that lie below amax (a tie goes to the even code); each element's
 * magnitude code the number of midpoints between neighbouring element magnitudes, times S * T, below
 * |x| (a tie to the even code, or with `away` to the larger). A midpoint has at most 9 significant
 * bits, max_elem 7, S 4 and T 24, so every threshold (at most 44 bits) and every FP32 value is an
 * exact double and each comparison is the exact one. Results equal quantizeBlockReference (tests).
 */
export function quantizeNvFast(bits: Uint32Array, nBlocks: number, o: ResolvedQuantizeOptions, scales: Uint8Array, elems: Uint8Array): void {
  const k = o.blockSize;
  const nv = nvEncoder(bits, nBlocks, o);
  const mx = rawValue(elementMax(o.elem));
  for (let j = 0; j < nBlocks; j++) {
    const base = j * k;
    const end = base + k;
    const amax = nv.finiteAmax(j, base, end, scales, elems);
    if (amax === 0) continue;
    const c = nv.scaleCode(amax, mx);
    scales[j] = c;
    if (c === nv.nan) elems.fill(0, base, end);
    else nv.encode(c, base, end, elems, base);
  }
}

/**
 * The fast `4over6` quantizer (E2M1, UE4M3 / UE5M3, with or without T): the block encoded against
 * the nv scales of amax -> 6 and amax -> 4 as quantizeNvFast does, and the lower squared error kept
 * (ties and a NaN or equal second scale keep 6). The errors are compared through their difference,
 * sum_i (a_i - b_i) (2 x_i - a_i - b_i) with a_i, b_i the two dequantized values, summed in doubles
 * with a bound on its rounding error; where the sum lies within that bound of zero (in particular an
 * exact tie) the block is quantized by the reference path, which compares exactly.
 */
export function quantize4over6Fast(
  bits: Uint32Array,
  nBlocks: number,
  o: ResolvedQuantizeOptions,
  scales: Uint8Array,
  elems: Uint8Array,
  reference: (base: number, out: Uint8Array, outOff: number) => number,
): void {
  const k = o.blockSize;
  const nv = nvEncoder(bits, nBlocks, o);
  const tmp = new Uint8Array(k);
  // the error bound of k products and their sum, each rounded once: (k + 2) units of 2^-52 of sum |term|
  const bound = (k + 2) * 2 ** -52;
  for (let j = 0; j < nBlocks; j++) {
    const base = j * k;
    const end = base + k;
    const amax = nv.finiteAmax(j, base, end, scales, elems);
    if (amax === 0) continue;
    const c6 = nv.scaleCode(amax, 6);
    if (c6 === nv.nan) {
      scales[j] = c6;
      elems.fill(0, base, end);
      continue;
    }
    scales[j] = c6;
    const c4 = nv.scaleCode(amax, 4);
    if (c4 === nv.nan || c4 === c6) {
      nv.encode(c6, base, end, elems, base);
      continue;
    }
    // both encodings and the error difference in one pass
    const { d, mag } = nv.encodeTwo(c6, c4, base, end, elems, base, tmp);
    if (d < 0 ? -d <= bound * mag : d <= bound * mag) {
      scales[j] = reference(base, elems, base);
      continue;
    }
    if (d < 0) {
      elems.set(tmp, base);
      scales[j] = c4;
    }
  }
}

/**
 * The fast `mse` quantizer, any element and scale format, with or without T: the reference's search
 * (src/quantize.ts quantizeMse: every finite scale code from the largest down, the lowest error kept,
 * ties to the smaller code, stopped once the clipping of amax alone exceeds the best error) with each
 * error summed in doubles. Every term (x - v)^2 carries a relative rounding error of at most 3 units
 * of 2^-53 and the sum adds k - 1 more, so an error e is known to within (k + 4) 2^-52 e. Two codes
 * whose dequantized values are the same (a power-of-two scale moves a minifloat grid onto itself)
 * have the same error exactly; any other comparison that the two bounds cannot decide sends the
 * block to the reference path, which compares exactly.
 *
 * What makes it fast, none of it changing a result: the codes above the smallest one that rounds
 * amax to zero all give the all-zero block and are passed over (bisection); the search stops once
 * amax's clipping alone exceeds the best error or the error of the code nearest amax / max_elem (an
 * error some code attains); a code's error is summed from the sorted magnitudes, largest first,
 * walking the thresholds down with them (no element codes written until the best code is known),
 * the values below the smallest threshold added as one sum of squares, and given up as soon as it
 * exceeds the best; and a power-of-two scale one step below the best that gives the same values
 * takes the best's error without summing it.
 */
export function quantizeMseFast(
  bits: Uint32Array,
  nBlocks: number,
  o: ResolvedQuantizeOptions,
  scales: Uint8Array,
  elems: Uint8Array,
  reference: (base: number, out: Uint8Array, outOff: number) => number,
): void {
  const k = o.blockSize;
  const g = nvEncoder(bits, nBlocks, o);
  const vals = g.vals;
  const tmp = new Uint8Array(k);
  const bestCodes = new Uint8Array(k);
  const mags = new Float64Array(k);
  const sq = new Float64Array(k + 1);
  const rel = (k + 4) * 2 ** -52;
  const maxCode = scaleMaxCode(o.scale);
  const lowest = o.guard && !isE8M0(o.scale) ? 1 : 0;
  const mxv = isIntFormat(o.elem) && o.int8Range === 'full' ? 2 : rawValue(elementMax(o.elem));
  const sameValues = (a: Uint8Array, sa: number, b: Uint8Array, sb: number): boolean => {
    for (let i = 0; i < k; i++) if (g.elementValue(a[i]) * sa !== g.elementValue(b[i]) * sb) return false;
    return true;
  };
  /** -1, 0 or 1 as a < b, a = b, a > b; 2 where the bounds cannot tell */
  const cmp = (a: number, b: number): number => {
    if (a + rel * a < b - rel * b) return -1;
    if (a - rel * a > b + rel * b) return 1;
    return 2;
  };
  // the errors from the sorted magnitudes (no codes written until the best is known), except with
  // INT8's full range, whose negative values round apart from their magnitudes
  const bySorted = !(isIntFormat(o.elem) && o.int8Range === 'full');
  const pow2Grid = isE8M0(o.scale) && !isIntFormat(o.elem);
  const twiceMinNormal = isIntFormat(o.elem) ? 0 : 2 * rawValue(decodeElement(o.elem, 1 << o.elem.mbits));
  const desc = new Float64Array(k);
  /** the error of code c (non-zero scale s), or (sorted) Infinity once it is known to exceed `limit` (limit < 0: never) */
  const errorOf = (c: number, s: number, base: number, end: number, limit: number): number => {
    if (bySorted) return g.sortedError(c, desc, k, limit, rel, sq);
    g.encode(c, base, end, tmp, 0);
    let err = 0;
    for (let i = 0; i < k; i++) {
      const e = vals[base + i] - g.elementValue(tmp[i]) * s;
      err += e * e;
    }
    return err;
  };
  blocks: for (let j = 0; j < nBlocks; j++) {
    const base = j * k;
    const end = base + k;
    const amax = g.finiteAmax(j, base, end, scales, elems);
    if (amax === 0) continue;
    // the magnitudes in ascending order, and the sums of squares of the smallest i of them
    for (let i = 0; i < k; i++) mags[i] = Math.abs(vals[base + i]);
    mags.sort();
    for (let i = 0; i < k; i++) {
      sq[i + 1] = sq[i] + mags[i] * mags[i];
      desc[k - 1 - i] = mags[i];
    }
    const zeroErr = sq[k];
    let nz = 0;
    while (mags[nz] === 0) nz++;
    const minNonzero = mags[nz];
    // an upper bound on the lowest error: the error at the code nearest amax / max_elem
    const guess = g.scaleCode(amax, mxv);
    const cg = guess === g.nan || guess > maxCode ? maxCode : guess < lowest ? lowest : guess;
    const sg = g.scaleValue(cg);
    const bound = sg !== 0 && !g.roundsToZero(cg, amax) ? errorOf(cg, sg, base, end, -1) : zeroErr;
    let best = -1;
    let bestZero = false;
    let bestCode = -1;
    let bestScale = 0;
    // every code from the smallest one whose (non-zero) scale rounds amax to zero up to the largest
    // encodes the block as zeros, at one error: the search over them ends at that smallest one
    // (ties keep the smaller code), found by bisection (a larger scale rounds more to zero)
    let top = maxCode;
    if (g.scaleValue(maxCode) !== 0 && g.roundsToZero(maxCode, amax)) {
      let lo = lowest;
      let hi = maxCode;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (g.scaleValue(mid) !== 0 && g.roundsToZero(mid, amax)) hi = mid;
        else lo = mid + 1;
      }
      best = zeroErr;
      bestZero = true;
      bestCode = lo;
      top = lo - 1;
    }
    for (let c = top; c >= lowest; c--) {
      const s = g.scaleValue(c);
      let err: number;
      const allZero = s === 0 || g.roundsToZero(c, amax);
      if (allZero) err = zeroErr;
      else {
        // a lower bound on this code's error: the values that round to zero here (those below its
        // smallest threshold) and amax's own term; above the bound the code cannot be the lowest
        // error (the lowest error and its smallest code are what the search keeps): skip it
        if (!(mxv * s >= amax)) {
          // amax clips to at most max * S * T: a lower bound on this error and every smaller
          // scale's; above the bound (the error of one code) or the best, the search is over
          const clip = amax - mxv * s;
          if (cmp(clip * clip, bound) === 1) break;
          if (best >= 0) {
            const d = cmp(clip * clip, best);
            if (d === 2) {
              scales[j] = reference(base, elems, base);
              continue blocks;
            }
            if (d > 0) break;
          }
        }
        const ea = amax - g.roundedMagnitude(c, amax) * s;
        if (cmp(sq[countBelow(mags, k, g.smallestThreshold(c))] + ea * ea, bound) === 1) continue;
        // power-of-two scales one step apart give a minifloat block the same values when every
        // non-zero magnitude lies in [2 min_normal, max_elem] times the smaller scale (there the two
        // grids are one set of points): then the error is the best's exactly, and the smaller code wins
        if (pow2Grid && best >= 0 && !bestZero && bestCode === c + 1 && minNonzero >= twiceMinNormal * s && amax <= mxv * s) {
          bestCode = c;
          bestScale = s;
          continue;
        }
        // summed largest first, given up once above the best or the bound (it cannot be the lowest)
        err = errorOf(c, s, base, end, best >= 0 && best < bound ? best : bound);
        if (err === Infinity) continue;
      }
      let take: boolean;
      if (best < 0 || (allZero && bestZero)) take = true;
      else {
        let d = cmp(err, best);
        // the same dequantized values under two scales (a power-of-two scale and a minifloat grid
        // that covers both): the same error exactly
        if (d === 2 && !allZero && !bestZero) {
          if (bySorted) {
            if (g.sameSorted(c, bestCode, desc, k)) d = 0;
          } else {
            g.encode(c, base, end, tmp, 0);
            g.encode(bestCode, base, end, bestCodes, 0);
            if (sameValues(tmp, s, bestCodes, bestScale)) d = 0;
          }
        }
        if (d === 2) {
          scales[j] = reference(base, elems, base);
          continue blocks;
        }
        take = d <= 0;
      }
      if (take) {
        best = err;
        bestZero = allZero;
        bestCode = c;
        bestScale = s;
      }
    }
    scales[j] = bestCode;
    if (bestZero) g.zeros(base, end, elems);
    else g.encode(bestCode, base, end, elems, base);
  }
}

interface NvEncoder {
  /** the block values as doubles (a view of the FP32 bits) */
  readonly vals: Float32Array;
  readonly nan: number;
  /**
   * The largest |x| of block j (values [base, end)) as a double; or 0 when the block is done: one
   * holding NaN or Inf (the NaN scale, zero codes) or all zero (scale 0, the zeros' signs).
   */
  finiteAmax(j: number, base: number, end: number, scales: Uint8Array, elems: Uint8Array): number;
  /** the nv scale code of amax mapped to `target` (an element magnitude), overflow rule and guard applied */
  scaleCode(amax: number, target: number): number;
  /** the decoded scale times T */
  scaleValue(c: number): number;
  /** the value of an element code */
  elementValue(code: number): number;
  /** codes of elements [base, end) against scale code c (non-NaN; a zero scale gives the zeros of the signs) into out[outOff ..] */
  encode(c: number, base: number, end: number, out: Uint8Array, outOff: number): void;
  /**
   * encode as `encode` against scale codes a (into outA[outOff ..]) and b (into outB[0 ..]), both
   * non-NaN, and sum (va - vb) (2 x - va - vb) over the elements with va, vb their dequantized
   * values: d, the sum in doubles, and mag, the sum of the terms' magnitudes (4over6)
   */
  encodeTwo(a: number, b: number, base: number, end: number, outA: Uint8Array, outOff: number, outB: Uint8Array): { d: number; mag: number };
  /**
   * The squared error of magnitudes mags[0 .. n) (descending) against scale code c (non-zero
   * scale), summed in doubles largest first; Infinity as soon as the partial sum is known to exceed
   * `best` (best < 0: never), with `rel` the relative bound of a sum; squares[i] is the sum of the
   * squares of the i smallest magnitudes (what the values that round to zero add). Not for INT8's full range
   * (its negative values round differently from its positive ones).
   */
  sortedError(c: number, mags: Float64Array, n: number, best: number, rel: number, squares: Float64Array): number;
  /** whether magnitudes mags[0 .. n) (descending) dequantize to the same values against scale codes a and b (non-zero scales; as sortedError, not for INT8's full range) */
  sameSorted(a: number, b: number, mags: Float64Array, n: number): boolean;
  /** the zeros of the values' signs, into out[outBase + i - base] (outBase defaults to 0: out indexed like the values) */
  zeros(base: number, end: number, out: Uint8Array, outBase?: number): void;
  /** whether a value v >= 0 encodes as a zero against scale code c (non-zero scale) */
  roundsToZero(c: number, v: number): boolean;
  /** the element magnitude (unit scale) a value v >= 0 (or -v, with INT8's full range) rounds to against scale code c (non-zero scale) */
  roundedMagnitude(c: number, v: number): number;
  /** the smallest threshold of scale code c: below it a value rounds to zero */
  smallestThreshold(c: number): number;
}

/** The thresholds and encoders of the nv recipes for one call (see quantizeNvFast). */
function nvEncoder(bits: Uint32Array, nBlocks: number, o: ResolvedQuantizeOptions): NvEncoder {
  const k = o.blockSize;
  const vals = new Float32Array(bits.buffer, bits.byteOffset, nBlocks * k);
  const t = o.tensorScale === undefined ? 1 : fp32Value(o.tensorScale);
  const maxCode = scaleMaxCode(o.scale);
  const nan = scaleNanCode(o.scale);
  // the scale grid's value of each code; one past the largest code the grid goes on in its binade
  const grid = new Float64Array(maxCode + 2);
  for (let c = 0; c <= maxCode; c++) grid[c] = rawValue(decodeScale(o.scale, c));
  grid[maxCode + 1] = 2 * grid[maxCode] - grid[maxCode - 1];
  const scaled = grid.map((v) => v * t);
  const sv = (c: number): number => grid[c];
  // scale midpoints times T: between code c and c + 1, for c = 0 .. maxCode (the last one: overflow)
  const smid = new Float64Array(maxCode + 1);
  for (let c = 0; c <= maxCode; c++) smid[c] = ((sv(c) + sv(c + 1)) / 2) * t;
  const byTarget = new Map<number, Float64Array>();
  const f = o.elem;
  const int = isIntFormat(f);
  const maxMag = elementMaxCode(f);
  const magValues = Float64Array.from({ length: maxMag + 2 }, (_, m) => (int ? m / 2 ** f.fracBits : m <= maxMag ? rawValue(decodeElement(f, m)) : 0));
  const magValue = (m: number): number => magValues[m];
  // element midpoints (unit scale): between magnitude codes m and m + 1; INT8's full range has one more
  const nMid = maxMag + (int && o.int8Range === 'full' ? 1 : 0);
  const mids = new Float64Array(nMid);
  for (let m = 0; m < nMid; m++) mids[m] = (magValue(m) + magValue(m + 1)) / 2;
  const byCode: (Float64Array | undefined)[] = new Array(maxCode + 1);
  const thresholds = (c: number): Float64Array => {
    let th = byCode[c];
    if (!th) {
      const s = sv(c) * t;
      th = new Float64Array(nMid);
      for (let m = 0; m < nMid; m++) th[m] = mids[m] * s;
      byCode[c] = th;
    }
    return th;
  };
  const width = elementBits(f);
  const codeValues = new Float64Array(1 << width);
  for (let c = 0; c < codeValues.length; c++) {
    if (int) codeValues[c] = (c >= 1 << (width - 1) ? c - (1 << width) : c) / 2 ** f.fracBits;
    else {
      const r = decodeElement(f, c);
      codeValues[c] = r.nan || r.inf ? NaN : rawValue(r);
    }
  }
  const away = o.round === 'away';
  const signBit = int ? 0 : minifloatSignBit(f);
  const wrap = int ? 1 << f.bits : 0;
  const fullNeg = int && o.int8Range === 'full';
  return {
    vals,
    nan,
    finiteAmax(j, base, end, scales, elems) {
      const a = blockAmax(bits, base, end);
      if (a >= 0x7f800000) {
        scales[j] = nan;
        elems.fill(0, base, end);
        return 0;
      }
      if (a === 0) {
        scales[j] = 0;
        for (let i = base; i < end; i++) elems[i] = int ? 0 : (bits[i] >>> 31) * signBit;
        return 0;
      }
      return fp32Value(a);
    },
    scaleCode(amax, target) {
      let sth = byTarget.get(target);
      if (!sth) {
        sth = smid.map((x) => x * target);
        byTarget.set(target, sth);
      }
      let c = countBelow(sth, sth.length, amax);
      if (c < sth.length && sth[c] === amax && (c & 1) === 1) c++; // a tie: the even code
      if (c > maxCode) {
        if (o.overflow === 'nan') return nan;
        c = maxCode;
      }
      return c === 0 && o.guard ? 1 : c;
    },
    scaleValue: (c) => scaled[c],
    elementValue: (code) => codeValues[code],
    encode(c, base, end, out, outOff) {
      if (sv(c) === 0) {
        for (let i = base; i < end; i++) out[outOff + i - base] = int ? 0 : (bits[i] >>> 31) * signBit;
        return;
      }
      const th = thresholds(c);
      for (let i = base; i < end; i++) {
        const neg = bits[i] >>> 31;
        const x = Math.abs(vals[i]);
        const n = neg && fullNeg ? nMid : maxMag;
        let m: number;
        if (n <= 8) {
          // a short table: counted from the bottom (most values lie low against their block's scale)
          m = 0;
          while (m < n && th[m] < x) m++;
        } else m = countBelow(th, n, x);
        if (m < n && th[m] === x && (away || (m & 1) === 1)) m++;
        out[outOff + i - base] = int ? (neg && m !== 0 ? wrap - m : m) : m | (neg * signBit);
      }
    },
    encodeTwo(a, b, base, end, outA, outOff, outB) {
      const sa = scaled[a];
      const sb = scaled[b];
      if (sv(a) === 0 || sv(b) === 0 || int) {
        // a zero scale or INT8 elements: the general encoder, then the difference
        this.encode(a, base, end, outA, outOff);
        this.encode(b, base, end, outB, 0);
        let d = 0;
        let mag = 0;
        for (let i = base; i < end; i++) {
          const va = codeValues[outA[outOff + i - base]] * sa;
          const vb = codeValues[outB[i - base]] * sb;
          if (va === vb) continue;
          const term = (va - vb) * (2 * vals[i] - va - vb);
          d += term;
          mag += term < 0 ? -term : term;
        }
        return { d, mag };
      }
      const ta = thresholds(a);
      const tb = thresholds(b);
      let d = 0;
      let mag = 0;
      for (let i = base; i < end; i++) {
        const sign = (bits[i] >>> 31) * signBit;
        const x = Math.abs(vals[i]);
        let ma = 0;
        while (ma < maxMag && ta[ma] < x) ma++;
        if (ma < maxMag && ta[ma] === x && (away || (ma & 1) === 1)) ma++;
        let mb = 0;
        while (mb < maxMag && tb[mb] < x) mb++;
        if (mb < maxMag && tb[mb] === x && (away || (mb & 1) === 1)) mb++;
        outA[outOff + i - base] = ma | sign;
        outB[i - base] = mb | sign;
        // magnitudes: (va - vb) (2 x - va - vb) is the same with every sign flipped
        const va = magValues[ma] * sa;
        const vb = magValues[mb] * sb;
        if (va === vb) continue;
        const term = (va - vb) * (2 * x - va - vb);
        d += term;
        mag += term < 0 ? -term : term;
      }
      return { d, mag };
    },
    sortedError(c, mags, n, best, rel, squares) {
      const sc = scaled[c];
      const th = thresholds(c);
      const limit = best < 0 ? Infinity : best + rel * best;
      const zeroBelow = th[0];
      let m = n > 0 ? countBelow(th, maxMag, mags[0]) : 0;
      let err = 0;
      for (let i = 0; i < n; i++) {
        const x = mags[i];
        if (x < zeroBelow || (x === zeroBelow && !away)) {
          // this value and every smaller one round to zero: their squares, summed once
          err += squares[n - i];
          return err - rel * err > limit ? Infinity : err;
        }
        // m: the thresholds below x (x falls, so m only falls)
        while (m > 0 && th[m - 1] >= x) m--;
        const r = m < maxMag && th[m] === x && (away || (m & 1) === 1) ? m + 1 : m;
        const e = x - magValues[r] * sc;
        err += e * e;
        if (err - rel * err > limit) return Infinity;
      }
      return err;
    },
    sameSorted(a, b, mags, n) {
      const sa = scaled[a];
      const sb = scaled[b];
      const ta = thresholds(a);
      const tb = thresholds(b);
      let ma = n > 0 ? countBelow(ta, maxMag, mags[0]) : 0;
      let mb = n > 0 ? countBelow(tb, maxMag, mags[0]) : 0;
      for (let i = 0; i < n; i++) {
        const x = mags[i];
        // below both smallest thresholds: this value and every smaller one are zeros under both
        if ((x < ta[0] || (x === ta[0] && !away)) && (x < tb[0] || (x === tb[0] && !away))) return true;
        while (ma > 0 && ta[ma - 1] >= x) ma--;
        while (mb > 0 && tb[mb - 1] >= x) mb--;
        const ra = ma < maxMag && ta[ma] === x && (away || (ma & 1) === 1) ? ma + 1 : ma;
        const rb = mb < maxMag && tb[mb] === x && (away || (mb & 1) === 1) ? mb + 1 : mb;
        if (magValues[ra] * sa !== magValues[rb] * sb) return false;
      }
      return true;
    },
    zeros(base, end, out, outBase = 0) {
      for (let i = base; i < end; i++) out[i - outBase] = int ? 0 : (bits[i] >>> 31) * signBit;
    },
    roundsToZero(c, v) {
      const th = thresholds(c);
      return v < th[0] || (v === th[0] && !away);
    },
    smallestThreshold: (c) => thresholds(c)[0],
    roundedMagnitude(c, v) {
      // INT8's full range: a negative value may round to -2, so the longer table (the nearer value)
      const th = thresholds(c);
      let m = countBelow(th, nMid, v);
      if (m < nMid && th[m] === v && (away || (m & 1) === 1)) m++;
      return magValue(m);
    },
  };
}

/** The number of th[0 .. n) below v (th ascending). */
function countBelow(th: Float64Array, n: number, v: number): number {
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (th[mid] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const f32v = new Float32Array(1);
const u32v = new Uint32Array(f32v.buffer);

/** The value of FP32 bits (exact as a double). */
function fp32Value(b: number): number {
  u32v[0] = b;
  return f32v[0];
}

/** A finite raw value as a double (exact for the few-bit values of element and scale tables). */
function rawValue(r: { sign: number; sig: number | bigint; exp: number }): number {
  const v = Number(r.sig) * 2 ** r.exp;
  return r.sign ? -v : v;
}
