/**
 * MX dot products: C = scaleA * scaleB * sum_i(A_i * B_i), the sum exact and rounded once to FP32.
 * Golden function of the `dot_e2m1_e8m0` unit.
 */
import { decodeMinifloat, type MinifloatSpec } from './formats/minifloat.js';
import { E2M1 } from './formats/e2m1.js';
import { decodeE8M0, E8M0_BIAS, E8M0_NAN } from './formats/e8m0.js';
import { FP32_QNAN, roundRawToFp32, roundToFp32 } from './fp32.js';
import { MUL_E2M1_TABLE } from './mul.js';
import { rawMul, type Raw } from './raw.js';
import { sumRaws } from './sum.js';

/**
 * Dot product of one block pair of any minifloat element formats with decoded scales.
 *
 * NaN scale, NaN element or Inf - Inf gives the quiet NaN; an exact zero sum gives +0;
 * the result is rounded to nearest even, keeps FP32 subnormals and overflows to +-Inf.
 */
export function dotBlock(
  fa: MinifloatSpec,
  a: ArrayLike<number>,
  fb: MinifloatSpec,
  b: ArrayLike<number>,
  scaleA: Raw,
  scaleB: Raw,
): number {
  if (a.length !== b.length) throw new RangeError(`block lengths differ: ${a.length} and ${b.length}`);
  const products: Raw[] = [];
  for (let i = 0; i < a.length; i++) products.push(rawMul(decodeMinifloat(fa, a[i]), decodeMinifloat(fb, b[i])));
  return roundRawToFp32(rawMul(rawMul(sumRaws(products), scaleA), scaleB));
}

/** The MXFP4 dot product through the generic path (slow, for cross-checks). */
export function dotE2M1E8M0Generic(a: ArrayLike<number>, b: ArrayLike<number>, sa: number, sb: number): number {
  return dotBlock(E2M1, a, E2M1, b, decodeE8M0(sa), decodeE8M0(sb));
}

/**
 * The MXFP4 dot product of the k codes at a[aOff..] and b[bOff..] with E8M0 scales sa, sb.
 * Same result as dotE2M1E8M0Generic; this one is the fast path the bench streams from.
 */
export function dotE2M1E8M0(
  a: ArrayLike<number>,
  aOff: number,
  b: ArrayLike<number>,
  bOff: number,
  k: number,
  sa: number,
  sb: number,
): number {
  if (sa === E8M0_NAN || sb === E8M0_NAN) return FP32_QNAN;
  let s = 0;
  for (let i = 0; i < k; i++) s += MUL_E2M1_TABLE[(a[aOff + i] << 4) | b[bOff + i]];
  if (s === 0) return 0;
  // products are in units of 2^-2
  return roundToFp32(s < 0, s < 0 ? -s : s, sa + sb - 2 * E8M0_BIAS - 2);
}
