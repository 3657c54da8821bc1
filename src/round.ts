/**
 * The exact rounding step of the encoders: a non-negative quotient num/den * 2^exp rounded to the
 * grid of a small format.
 *
 * Every operation below is on integers held in JavaScript numbers and never rounds: products by
 * powers of two are exact, `%` is exact, and (a - a % b) / b is an exact integer division. The
 * callers keep num < 2^53 and den < 2^40 (asserted).
 */
import { bitLength } from './fp32.js';

/**
 * How an exact tie between two neighbours is broken: `rne` to the even code (the default of
 * IEEE 754 and OCP MX), `away` to the one of larger magnitude (ties away from zero).
 */
export type RoundMode = 'rne' | 'away';

const TWO53 = 2 ** 53;
const TWO40 = 2 ** 40;

/** POW2[e + POW2_BIAS] = 2^e for every double exponent: a lookup, not a Math.pow call. */
const POW2_BIAS = 1074;
const POW2 = (() => {
  const t = new Float64Array(POW2_BIAS + 1024);
  let v = 2 ** -POW2_BIAS;
  for (let i = 0; i < t.length; i++) {
    t[i] = v;
    v *= 2; // exact: a power of two times two
  }
  return t;
})();

/** 2^e as a double (exact for -1074 <= e <= 1023, 0 below, Infinity above). */
export function pow2(e: number): number {
  if (e < -POW2_BIAS) return 0;
  if (e > 1023) return Infinity;
  return POW2[e + POW2_BIAS];
}

/** Returned by roundToGrid when the value is certainly beyond the format's range. */
export const GRID_SATURATED = 0x7fffffff;

/**
 * floor(log2(num/den * 2^exp)) for num, den > 0.
 */
export function floorLog2Ratio(num: number, den: number, exp: number): number {
  const bn = num < 0x100000000 ? 32 - Math.clz32(num) : bitLength(num);
  const bd = den < 0x100000000 ? 32 - Math.clz32(den) : bitLength(den);
  let e = bn - bd; // num/den in (2^(e-1), 2^(e+1))
  if (e >= 0 ? num < den * pow2(e) : num * pow2(-e) < den) e -= 1;
  return e + exp;
}

/**
 * The magnitude code of num/den * 2^exp rounded to a grid with `mbits` mantissa bits whose
 * quantum never drops below 2^qmin (subnormals) and whose codes count up from 0 in steps of one
 * quantum in the lowest binade: code = ((q - qmin) << mbits) + m for the value m * 2^q.
 *
 * - A minifloat with bias b: qmin = 1 - b - mbits; the code is the unsigned exponent-and-mantissa
 *   field (a mantissa carry moves into the exponent as in hardware).
 * - A two's complement fixed-point format: qmin = -fracBits with mbits large (30), so every value
 *   below 2^(satE + 1) stays in the lowest "binade" and the code is the integer multiple.
 *
 * Values of 2^(satE + 1) or more return GRID_SATURATED without rounding: callers set satE to the
 * exponent of the largest finite value, so such values would exceed it anyway. The caller compares
 * the returned code with its largest finite code to saturate.
 */
export function roundToGrid(
  num: number,
  den: number,
  exp: number,
  mbits: number,
  qmin: number,
  satE: number,
  mode: RoundMode,
): number {
  if (num === 0) return 0;
  if (!(num < TWO53 && den < TWO40 && num > 0 && den > 0)) throw new RangeError(`roundToGrid: operands out of the exact range (${num}/${den})`);
  const e = floorLog2Ratio(num, den, exp);
  if (e > satE) return GRID_SATURATED;
  const q = e - mbits > qmin ? e - mbits : qmin;
  const s = exp - q; // x / 2^q = num * 2^s / den
  let m: number;
  let twoRem: number;
  let d: number;
  if (s >= 0) {
    const n = num * pow2(s); // < 2^(mbits + 1) * den: exact and safe
    const r = n % den;
    m = (n - r) / den;
    twoRem = 2 * r;
    d = den;
  } else {
    d = den * pow2(-s); // a power-of-two multiple: exact (may exceed 2^53, still exact)
    if (d > num * 2) return 0; // below half a quantum
    const r = num % d;
    m = (num - r) / d;
    twoRem = 2 * r;
  }
  if (twoRem > d || (twoRem === d && (mode === 'away' || m % 2 === 1))) m += 1;
  return (q - qmin) * pow2(mbits) + m;
}

/** True if num/den * 2^exp >= msig * 2^mexp (exact; msig * den < 2^53). */
export function ratioAtLeast(num: number, den: number, exp: number, msig: number, mexp: number): boolean {
  const rhs = msig * den;
  const d = exp - mexp;
  return d >= 0 ? num * pow2(d) >= rhs : num >= rhs * pow2(-d);
}
