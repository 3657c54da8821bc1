/**
 * IEEE 754-style binary formats that results are rounded to: FP32 (binary32) and BF16 (bfloat16,
 * the top half of binary32). Both are minifloats with IEEE specials: the all-ones exponent is Inf
 * (fraction 0) or NaN; subnormals below 2^(1 - bias).
 */
import type { MinifloatSpec } from './minifloat.js';

export interface FloatFormat extends MinifloatSpec {
  readonly signed: true;
  readonly specials: 'ieee';
}

export const FP32: FloatFormat = { name: 'fp32', ebits: 8, mbits: 23, bias: 127, signed: true, specials: 'ieee' };

export const BF16: FloatFormat = { name: 'bf16', ebits: 8, mbits: 7, bias: 127, signed: true, specials: 'ieee' };

/** The result formats by name. */
export const FLOAT_FORMATS: Readonly<Record<string, FloatFormat>> = { fp32: FP32, bf16: BF16 };

/** Width of a code in bits (FP32 32, BF16 16). */
export function floatBits(f: FloatFormat): number {
  return 1 + f.ebits + f.mbits;
}

/** The quiet NaN every unit returns: sign 0, exponent all ones, top fraction bit set (FP32 0x7FC00000, BF16 0x7FC0). */
export function floatQuietNan(f: FloatFormat): number {
  return (((2 ** f.ebits - 1) * 2 ** f.mbits) + 2 ** (f.mbits - 1)) >>> 0;
}

/** The code of +Inf (FP32 0x7F800000, BF16 0x7F80), or of -Inf when `neg`. */
export function floatInf(f: FloatFormat, neg: boolean): number {
  return ((neg ? 2 ** (f.ebits + f.mbits) : 0) + (2 ** f.ebits - 1) * 2 ** f.mbits) >>> 0;
}

/** The code of a zero of the given sign. */
export function floatZero(f: FloatFormat, neg: boolean): number {
  return neg ? 2 ** (f.ebits + f.mbits) : 0;
}

/** Exponent of the largest finite value (FP32 and BF16: 127). */
export function floatEmax(f: FloatFormat): number {
  return 2 ** f.ebits - 2 - f.bias;
}

/** Exponent of the smallest normal value (FP32 and BF16: -126). */
export function floatEmin(f: FloatFormat): number {
  return 1 - f.bias;
}
