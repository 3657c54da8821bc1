/**
 * Small binary floating-point formats described by their fields, decoded exactly to a Raw.
 *
 * value = (-1)^s * 1.m * 2^(e - bias) for e > 0, (-1)^s * 0.m * 2^(1 - bias) for e = 0,
 * except for the codes `specials` reserves.
 */
import { RAW_NAN, rawFinite, rawInf, type Raw } from '../raw.js';

export type MinifloatSpecials =
  /** every code is a finite number (FP4 E2M1, FP6 E2M3 / E3M2) */
  | 'none'
  /** only the all-ones code (ignoring sign) is NaN; no Inf (FP8 E4M3, UE4M3) */
  | 'nan-all-ones'
  /** IEEE style: top exponent is Inf (m = 0) or NaN (m != 0) (FP8 E5M2) */
  | 'ieee';

export interface MinifloatSpec {
  readonly name: string;
  readonly ebits: number;
  readonly mbits: number;
  readonly bias: number;
  /** false for unsigned formats (scale formats such as UE4M3) */
  readonly signed: boolean;
  readonly specials: MinifloatSpecials;
}

export function minifloatBits(f: MinifloatSpec): number {
  return (f.signed ? 1 : 0) + f.ebits + f.mbits;
}

/** Decode one code (an integer 0 .. 2^bits - 1) to its exact value. */
export function decodeMinifloat(f: MinifloatSpec, code: number): Raw {
  const mMask = (1 << f.mbits) - 1;
  const eMask = (1 << f.ebits) - 1;
  const m = code & mMask;
  const e = (code >>> f.mbits) & eMask;
  const sign = (f.signed ? (code >>> (f.ebits + f.mbits)) & 1 : 0) as 0 | 1;
  if (f.specials === 'ieee' && e === eMask) return m === 0 ? rawInf(sign) : RAW_NAN;
  if (f.specials === 'nan-all-ones' && e === eMask && m === mMask) return RAW_NAN;
  if (e === 0) return rawFinite(sign, m, 1 - f.bias - f.mbits);
  return rawFinite(sign, (1 << f.mbits) | m, e - f.bias - f.mbits);
}

/** Mask of the magnitude bits (exponent and mantissa fields) of a code. */
export function minifloatMagMask(f: MinifloatSpec): number {
  return (1 << (f.ebits + f.mbits)) - 1;
}

/** The sign bit of a code (0 for unsigned formats, which have none). */
export function minifloatSignBit(f: MinifloatSpec): number {
  return f.signed ? 1 << (f.ebits + f.mbits) : 0;
}

/** The positive code of the largest finite value. */
export function minifloatMaxCode(f: MinifloatSpec): number {
  const all = minifloatMagMask(f);
  if (f.specials === 'none') return all;
  if (f.specials === 'nan-all-ones') return all - 1;
  return (((1 << f.ebits) - 2) << f.mbits) | ((1 << f.mbits) - 1);
}

/** Unbiased exponent of the largest finite value (OCP MX "emax"). */
export function minifloatEmax(f: MinifloatSpec): number {
  return (minifloatMaxCode(f) >>> f.mbits) - f.bias;
}

/** Unbiased exponent of the smallest normal value (subnormals share it). */
export function minifloatEmin(f: MinifloatSpec): number {
  return 1 - f.bias;
}

/** The positive NaN code the encoders produce, or -1 if the format has no NaN. */
export function minifloatNanCode(f: MinifloatSpec): number {
  if (f.specials === 'none') return -1;
  return minifloatMagMask(f); // all ones: S.1111.111 (E4M3, UE4M3, UE5M3), S.11111.11 (E5M2)
}

/** The positive infinity code, or -1 if the format has no infinity. */
export function minifloatInfCode(f: MinifloatSpec): number {
  return f.specials === 'ieee' ? ((1 << f.ebits) - 1) << f.mbits : -1;
}

/** True if the code is a NaN of the format. */
export function minifloatIsNan(f: MinifloatSpec, code: number): boolean {
  const mag = code & minifloatMagMask(f);
  if (f.specials === 'nan-all-ones') return mag === minifloatMagMask(f);
  if (f.specials === 'ieee') return mag > minifloatInfCode(f);
  return false;
}
