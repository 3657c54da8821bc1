/**
 * Rounding an exact value to an IEEE-style result format (FP32, BF16): the one rounding step of
 * every unit's golden function. Round to nearest, ties to even (or, as an option, toward zero);
 * subnormals kept (no flush to zero); a magnitude at or above 2^(emax + 1) after rounding gives
 * +-Inf. All arithmetic is on integers.
 */
import { FP32, floatInf, floatQuietNan, floatZero, type FloatFormat } from './formats/float.js';
import { bitLength, roundToFp32 } from './fp32.js';
import type { Raw } from './raw.js';

function bigBitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * The options of the rounding (the defaults are every unit's numerics today):
 * - `overflow`: a finite value that rounds to 2^(emax + 1) or more gives `inf` (+-Inf) or
 *   `saturate` (+-the largest finite value);
 * - `subnormals`: `keep` them, or `flush` every value below 2^emin (before rounding) to a zero of its
 *   sign.
 */
export interface RoundOptions {
  readonly overflow?: 'inf' | 'saturate';
  readonly subnormals?: 'keep' | 'flush';
  /**
   * `nearest-even` (default), or `toward-zero`: the bits below the quantum are dropped (a value
   * they leave at zero is a zero of its sign; callers decide otherwise)
   */
  readonly mode?: 'nearest-even' | 'toward-zero';
  /** toward zero only: the fraction bits kept (default all of the format's), the rest zero */
  readonly keepFraction?: number;
}

/**
 * Round (-1)^neg * mag * 2^exp (mag a non-negative integer) to the code of `f`.
 * mag = 0 gives the zero of sign `neg` (callers decide the sign of an exact zero); a non-zero value
 * that rounds to zero keeps its sign.
 */
export function roundToFloat(f: FloatFormat, neg: boolean, mag: number | bigint, exp: number, opts?: RoundOptions): number {
  if (f === FP32 && opts === undefined) return roundToFp32(neg, mag, exp);
  return roundToFloatGeneric(f, neg, mag, exp, opts);
}

/**
 * The format-generic rounding (also for FP32, where roundToFp32 is the fast equivalent): the
 * significand is cut below the quantum 2^q of the result's binade (or of the subnormal range), and
 * the remainder decides the increment, whose carry moves into the exponent field and on to Inf.
 */
export function roundToFloatGeneric(f: FloatFormat, neg: boolean, mag: number | bigint, exp: number, opts: RoundOptions = {}): number {
  const M = f.mbits;
  const signCode = floatZero(f, neg);
  if (mag === 0 || mag === 0n) return signCode;
  const top = (typeof mag === 'bigint' ? bigBitLength(mag) : bitLength(mag)) - 1 + exp; // value in [2^top, 2^(top+1))
  const emin = 1 - f.bias;
  const emax = 2 ** f.ebits - 2 - f.bias;
  const inf = floatInf(f, false);
  const overflow = (): number => (opts.overflow === 'saturate' ? (signCode + inf - 1) >>> 0 : floatInf(f, neg));
  if (top > emax) return overflow();
  if (top < emin && opts.subnormals === 'flush') return signCode;
  const q = Math.max(top, emin) - M; // quantum of the result
  const s = q - exp; // bits of mag below the quantum
  let m: bigint;
  if (s <= 0) {
    m = BigInt(mag) << BigInt(-s);
  } else {
    const b = BigInt(mag);
    const sh = BigInt(s);
    m = b >> sh;
    const rem = b - (m << sh);
    const half = 1n << (sh - 1n);
    if (opts.mode !== 'toward-zero' && (rem > half || (rem === half && (m & 1n) === 1n))) m += 1n;
  }
  if (opts.keepFraction !== undefined && opts.keepFraction < M) {
    if (opts.mode !== 'toward-zero') throw new RangeError('keepFraction needs toward-zero rounding');
    const drop = BigInt(M - opts.keepFraction);
    m = (m >> drop) << drop;
  }
  // m in [0, 2^(M+1)]: codes count up by one quantum from the smallest subnormal,
  // (q - qmin) * 2^M + m, where qmin = emin - M; a carry moves into the exponent (and on to Inf).
  const code = (q - (emin - M)) * 2 ** M + Number(m);
  if (code >= inf) return overflow();
  return (signCode + code) >>> 0;
}

/** Round a raw value: NaN gives the quiet NaN, Inf keeps its sign, zero keeps its sign. */
export function roundRawToFloat(f: FloatFormat, r: Raw, opts?: RoundOptions): number {
  if (r.nan) return floatQuietNan(f);
  if (r.inf) return floatInf(f, r.sign === 1);
  return roundToFloat(f, r.sign === 1, r.sig, r.exp, opts);
}
