/**
 * Encoders: an exact value (FP32 bits, a Raw, or a quotient) to an element or scale code.
 *
 * Elements are rounded to nearest with ties to even (`rne`, default) or ties away from zero
 * (`away`) and saturate: a finite value beyond the largest finite element gives +-max.
 * Scales are always rounded to nearest even (see encodeScaleRatio for E8M0).
 */
import { fp32ToRaw, roundRawToFp32 } from './fp32.js';
import {
  decodeElement,
  decodeScale,
  elementEmax,
  elementMaxCode,
  isE8M0,
  isIntFormat,
  scaleMaxCode,
  scaleNanCode,
  type ElementFormat,
  type ScaleFormat,
} from './formats/format.js';
import { minifloatEmax, minifloatInfCode, minifloatNanCode, minifloatSignBit } from './formats/minifloat.js';
import { floorLog2Ratio, roundToGrid, type RoundMode } from './round.js';
import type { Raw } from './raw.js';

/** INT8 range on encode: `symmetric` (default) clamps to +-127/64, `full` lets negatives reach -2 (0x80). */
export type Int8Range = 'symmetric' | 'full';

/** What a scale above the format's range becomes: the largest scale (`clamp`, default) or NaN. */
export type ScaleOverflow = 'clamp' | 'nan';

export interface ElementEncodeOptions {
  readonly round?: RoundMode;
  readonly int8Range?: Int8Range;
}

/** Mantissa width used for the two's complement grid (larger than any INT8 magnitude needs). */
const INT_GRID_MBITS = 30;

/** The rounding grid of an element format, computed once per format object. */
interface ElementGrid {
  readonly int: boolean;
  readonly mbits: number;
  readonly qmin: number;
  readonly satE: number;
  /** largest finite magnitude code (INT8: 127) */
  readonly maxMag: number;
  /** sign bit of a minifloat code; 2^bits for INT8 (two's complement wrap) */
  readonly sign: number;
  readonly signed: boolean;
  readonly name: string;
}

const grids = new WeakMap<ElementFormat, ElementGrid>();

function elementGrid(f: ElementFormat): ElementGrid {
  let g = grids.get(f);
  if (!g) {
    g = isIntFormat(f)
      ? { int: true, mbits: INT_GRID_MBITS, qmin: -f.fracBits, satE: elementEmax(f), maxMag: elementMaxCode(f), sign: 1 << f.bits, signed: true, name: f.name }
      : { int: false, mbits: f.mbits, qmin: 1 - f.bias - f.mbits, satE: minifloatEmax(f), maxMag: elementMaxCode(f), sign: minifloatSignBit(f), signed: f.signed, name: f.name };
    grids.set(f, g);
  }
  return g;
}

/**
 * Encode (-1)^neg * num/den * 2^exp (num >= 0 and den > 0 integers, num < 2^53, den < 2^40) as an
 * element code, rounding per `round` and saturating at +-max. A zero (or a value that rounds to
 * zero) keeps its sign in the minifloat formats; INT8 has a single zero.
 */
export function encodeElementRatio(
  f: ElementFormat,
  neg: boolean,
  num: number,
  den: number,
  exp: number,
  round: RoundMode = 'rne',
  int8Range: Int8Range = 'symmetric',
): number {
  const g = elementGrid(f);
  let mag = roundToGrid(num, den, exp, g.mbits, g.qmin, g.satE, round);
  if (g.int) {
    const limit = neg && int8Range === 'full' ? g.maxMag + 1 : g.maxMag;
    if (mag > limit) mag = limit;
    return neg && mag !== 0 ? g.sign - mag : mag;
  }
  if (mag > g.maxMag) mag = g.maxMag;
  if (neg) {
    if (!g.signed) throw new RangeError(`${g.name} is unsigned: cannot encode a negative value`);
    mag |= g.sign;
  }
  return mag;
}

/** The code for an element NaN, or a RangeError for formats without NaN (E2M1, E3M2, E2M3, INT8). */
function elementNan(f: ElementFormat): number {
  const c = isIntFormat(f) ? -1 : minifloatNanCode(f);
  if (c < 0) throw new RangeError(`${f.name} has no NaN`);
  return c;
}

/** +-Inf: the Inf code in E5M2, else saturation to +-max (INT8 full range: -Inf gives -2). */
function elementInf(f: ElementFormat, neg: boolean, int8Range: Int8Range): number {
  if (isIntFormat(f)) {
    const maxPos = (1 << (f.bits - 1)) - 1;
    if (!neg) return maxPos;
    return (1 << f.bits) - (int8Range === 'full' ? maxPos + 1 : maxPos);
  }
  const inf = minifloatInfCode(f);
  const mag = inf >= 0 ? inf : elementMaxCode(f);
  return neg ? mag | minifloatSignBit(f) : mag;
}

/**
 * Encode an exact value. A bigint significand is first narrowed to 53 bits with a sticky bit,
 * which cannot change a rounding to at most 8 significant bits.
 */
export function encodeElementRaw(f: ElementFormat, r: Raw, opts: ElementEncodeOptions = {}): number {
  if (r.nan) return elementNan(f);
  if (r.inf) return elementInf(f, r.sign === 1, opts.int8Range ?? 'symmetric');
  let sig = r.sig;
  let exp = r.exp;
  if (typeof sig === 'bigint') {
    const len = sig.toString(2).length;
    if (len > 53) {
      const sh = BigInt(len - 52);
      const kept = sig >> sh;
      const sticky = kept << sh !== sig ? 1n : 0n;
      sig = (kept << 1n) | sticky; // 53 bits, the last one sticky
      exp += len - 52 - 1;
    }
    sig = Number(sig);
  }
  return encodeElementRatio(f, r.sign === 1, sig, 1, exp, opts.round ?? 'rne', opts.int8Range ?? 'symmetric');
}

/** Encode an FP32 value (given as its bits) as an element code. */
export function encodeElementFp32(f: ElementFormat, bits: number, opts: ElementEncodeOptions = {}): number {
  return encodeElementRaw(f, fp32ToRaw(bits), opts);
}

/** The exact value of an element code, rounded to FP32 bits (exact for every MX element). */
export function decodeElementFp32(f: ElementFormat, code: number): number {
  return roundRawToFp32(decodeElement(f, code));
}

/** The exact value of a scale code as FP32 bits (exact for every scale format). */
export function decodeScaleFp32(f: ScaleFormat, code: number): number {
  return roundRawToFp32(decodeScale(f, code));
}

/**
 * Encode a non-negative quotient num/den * 2^exp (num < 2^53, den < 2^40) as a scale code,
 * rounding to nearest even.
 *
 * - Zero gives code 0x00 (the zero of UE4M3 / UE5M3; for E8M0, which has no zero, 2^-127).
 * - UE4M3 / UE5M3: a positive value may round to zero (code 0x00); callers apply the underflow guard.
 * - E8M0: values below 2^-127 give 0x00 (2^-127). E8M0 has no mantissa bit, so between 2^e and
 *   2^(e+1) the tie 1.5 * 2^e rounds up (on the grid of step 2^e the candidates are 1 and 2, and 2
 *   is the even one).
 * - A value that rounds above the largest finite scale gives the largest finite code (`clamp`) or
 *   the NaN code (`nan`).
 */
export function encodeScaleRatio(f: ScaleFormat, num: number, den: number, exp: number, overflow: ScaleOverflow = 'clamp'): number {
  if (num === 0) return 0;
  const maxCode = scaleMaxCode(f);
  let code: number;
  if (isE8M0(f)) {
    const e = floorLog2Ratio(num, den, exp);
    const m = roundToGrid(num, den, exp, 0, e, e, 'rne'); // 1 or 2
    code = e + 127 + (m - 1);
    if (code < 0) code = 0;
    if (code > maxCode) return overflow === 'nan' ? scaleNanCode(f) : maxCode;
    return code;
  }
  code = roundToGrid(num, den, exp, f.mbits, 1 - f.bias - f.mbits, minifloatEmax(f), 'rne');
  if (code > maxCode) return overflow === 'nan' ? scaleNanCode(f) : maxCode;
  return code;
}

/**
 * Encode an FP32 value (bits) as a scale code: NaN and +-Inf give the NaN code, +-0 gives 0x00,
 * a negative value is a RangeError (scales are unsigned), otherwise as encodeScaleRatio.
 */
export function encodeScaleFp32(f: ScaleFormat, bits: number, overflow: ScaleOverflow = 'clamp'): number {
  const r = fp32ToRaw(bits);
  if (r.nan || r.inf) return scaleNanCode(f);
  if (r.sig === 0) return 0;
  if (r.sign === 1) throw new RangeError(`${f.name} is unsigned: cannot encode a negative scale`);
  return encodeScaleRatio(f, r.sig as number, 1, r.exp, overflow);
}

/**
 * The code of the power of two 2^x in a scale format, or -1 if 2^x is above the format's range,
 * or 0x00 if it is below (rounds to zero in UE4M3 / UE5M3; E8M0 clamps to 2^-127).
 */
export function scaleCodeOfPow2(f: ScaleFormat, x: number): number {
  if (isE8M0(f)) {
    if (x > 127) return -1;
    return x < -127 ? 0 : x + 127;
  }
  const emin = 1 - f.bias;
  const qmin = emin - f.mbits;
  if (x > minifloatEmax(f)) return -1;
  if (x < qmin) return 0; // 2^(qmin-1) is a tie between 0 and 2^qmin: even is 0
  if (x < emin) return 1 << (x - qmin);
  return (x + f.bias) << f.mbits;
}

/** The exponent of the largest power of two a scale format holds (E8M0 127, UE4M3 8, UE5M3 16). */
export function scaleMaxPow2(f: ScaleFormat): number {
  return isE8M0(f) ? 127 : minifloatEmax(f);
}
