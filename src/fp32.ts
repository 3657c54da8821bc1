/**
 * IEEE 754 binary32: bit helpers and the single rounding step of the golden model.
 *
 * All arithmetic here is on integers; no JavaScript floating-point operation can round.
 */
import type { Raw } from './raw.js';

/** The quiet NaN every MX unit returns for a NaN input or scale. */
export const FP32_QNAN = 0x7fc00000;
export const FP32_POS_INF = 0x7f800000;
export const FP32_NEG_INF = 0xff800000;

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** The number an FP32 bit pattern stands for (exact: every FP32 is a double). */
export function fp32BitsToNumber(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** FP32 bits of a JavaScript number, rounded to nearest even by the platform (for test inputs). */
export function numberToFp32Bits(x: number): number {
  f32[0] = x;
  return u32[0];
}

/** Number of significant bits of a non-negative safe integer (0 for 0). */
export function bitLength(n: number): number {
  if (n < 0x100000000) return 32 - Math.clz32(n);
  return 64 - Math.clz32(Math.floor(n / 0x100000000));
}

function bigBitLength(n: bigint): number {
  return n === 0n ? 0 : n.toString(2).length;
}

/**
 * Round (-1)^neg * mag * 2^exp to FP32 with round-to-nearest-even.
 *
 * - FP32 subnormals are produced (no flush to zero); a non-zero value that rounds to zero keeps its sign.
 * - A magnitude at or above 2^128 after rounding gives +-Inf.
 * - mag = 0 gives +0, or -0 when `neg` is set: callers decide the sign of an exact zero.
 */
export function roundToFp32(neg: boolean, mag: number | bigint, exp: number): number {
  const signBit = neg ? 0x80000000 : 0;
  if (typeof mag === 'bigint') {
    if (mag <= BigInt(Number.MAX_SAFE_INTEGER)) return roundToFp32(neg, Number(mag), exp);
    return roundBig(signBit, mag, exp);
  }
  if (mag === 0) return signBit >>> 0;
  if (mag < 0x1000000) {
    // At most 24 significant bits: a normal result is exact, its fraction is mag shifted up.
    const t = 31 - Math.clz32(mag);
    const b = t + exp + 127;
    if (b >= 1 && b < 255) return (signBit + b * 0x800000 + ((mag << (23 - t)) & 0x7fffff)) >>> 0;
  }
  const top = bitLength(mag) - 1; // value in [2^(top+exp), 2^(top+exp+1))
  const biased = top + exp + 127;
  if (biased >= 255) return (signBit | FP32_POS_INF) >>> 0;
  // Right shift that leaves 24 significant bits, or fewer for a subnormal result.
  const shift = top - 23 + (biased < 1 ? 1 - biased : 0);
  const expField = biased < 1 ? 0 : biased;
  let field: number;
  let up = 0;
  if (shift <= 0) {
    field = mag * 2 ** -shift;
  } else if (shift > 60) {
    field = 0; // mag < 2^53 <= half an ulp: rounds to zero
  } else {
    const unit = 2 ** shift;
    field = Math.floor(mag / unit);
    const rem = mag - field * unit;
    const half = unit / 2;
    up = rem > half || (rem === half && field % 2 === 1) ? 1 : 0;
  }
  // A carry out of the significand moves into the exponent field (and on to Inf), as in hardware.
  const bits = expField * 0x800000 + (field % 0x800000) + up;
  return (signBit + bits) >>> 0;
}

function roundBig(signBit: number, mag: bigint, exp: number): number {
  const top = bigBitLength(mag) - 1;
  const biased = top + exp + 127;
  if (biased >= 255) return (signBit | FP32_POS_INF) >>> 0;
  const shift = top - 23 + (biased < 1 ? 1 - biased : 0); // > 0: mag has more than 53 bits
  const expField = biased < 1 ? 0 : biased;
  const s = BigInt(shift);
  const field = mag >> s;
  const rem = mag - (field << s);
  const half = 1n << (s - 1n);
  const up = rem > half || (rem === half && (field & 1n) === 1n) ? 1 : 0;
  const bits = expField * 0x800000 + Number(field % 0x800000n) + up;
  return (signBit + bits) >>> 0;
}

/** Round a raw value to FP32 bits; NaN gives the quiet NaN, Inf keeps its sign, zero keeps its sign. */
export function roundRawToFp32(r: Raw): number {
  if (r.nan) return FP32_QNAN;
  if (r.inf) return r.sign ? FP32_NEG_INF : FP32_POS_INF;
  return roundToFp32(r.sign === 1, r.sig, r.exp);
}

/** Decode FP32 bits to a raw value (exact). */
export function fp32ToRaw(bits: number): Raw {
  const b = bits >>> 0;
  const sign = (b >>> 31) as 0 | 1;
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  if (e === 0xff) return m === 0 ? { nan: false, inf: true, sign, sig: 0, exp: 0 } : { nan: true, inf: false, sign: 0, sig: 0, exp: 0 };
  if (e === 0) return { nan: false, inf: false, sign, sig: m, exp: -149 };
  return { nan: false, inf: false, sign, sig: m + 0x800000, exp: e - 150 };
}

/** "0x3fc00000" */
export function hex32(bits: number): string {
  return '0x' + (bits >>> 0).toString(16).padStart(8, '0');
}

/**
 * Round (-1)^neg * num/den * 2^exp (num >= 0, den > 0 bigints) to FP32 bits with
 * round-to-nearest-even: subnormals kept, a result at or above 2^128 gives +-Inf, zero keeps `neg`.
 */
export function roundRatioToFp32(neg: boolean, num: bigint, den: bigint, exp: number): number {
  if (den <= 0n || num < 0n) throw new RangeError('roundRatioToFp32: needs num >= 0 and den > 0');
  const signBit = neg ? 0x80000000 : 0;
  if (num === 0n) return signBit >>> 0;
  // e = floor(log2(num/den))
  let e = bigBitLength(num) - bigBitLength(den);
  if (e >= 0 ? num < den << BigInt(e) : num << BigInt(-e) < den) e -= 1;
  const top = e + exp; // value in [2^top, 2^(top+1))
  if (top >= 128) return (signBit | FP32_POS_INF) >>> 0;
  const q = top - 23 > -149 ? top - 23 : -149; // quantum 2^q
  const s = exp - q;
  let n = num;
  let d = den;
  if (s >= 0) n <<= BigInt(s);
  else d <<= BigInt(-s);
  let m = n / d;
  const twoRem = (n - m * d) * 2n;
  if (twoRem > d || (twoRem === d && (m & 1n) === 1n)) m += 1n;
  // code = (q + 149) * 2^23 + m: a carry out of the significand moves into the exponent (and on to Inf)
  const bits = (q + 149) * 0x800000 + Number(m);
  if (bits >= FP32_POS_INF) return (signBit | FP32_POS_INF) >>> 0;
  return (signBit + bits) >>> 0;
}

/**
 * The FP32 bits of a decimal number written as text ("0.1", "-3.5e-2", "448", "inf", "nan"),
 * or of "0x" followed by up to 8 hex digits taken as the bits themselves. Decimals are rounded
 * once, exactly, to nearest even. Returns undefined for text that is neither.
 */
export function parseFp32(text: string): number | undefined {
  const t = text.trim();
  const hex = /^0[xX]([0-9a-fA-F]{1,8})$/.exec(t);
  if (hex) return parseInt(hex[1], 16) >>> 0;
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(t);
  if (special) {
    if (special[2].toLowerCase() === 'nan') return FP32_QNAN;
    return special[1] === '-' ? FP32_NEG_INF : FP32_POS_INF;
  }
  const m = /^([+-]?)([0-9]*)(?:\.([0-9]*))?(?:[eE]([+-]?[0-9]+))?$/.exec(t);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return undefined;
  const digits = (m[2] + (m[3] ?? '')).replace(/^0+/, '');
  const e10 = (m[4] ? parseInt(m[4], 10) : 0) - (m[3] ?? '').length;
  const neg = m[1] === '-';
  if (digits === '') return neg ? 0x80000000 : 0;
  let num = BigInt(digits);
  // value in [10^(e10 + len - 1), 10^(e10 + len)): beyond these bounds it is Inf or rounds to 0
  if (e10 + digits.length > 60) return neg ? FP32_NEG_INF : FP32_POS_INF;
  if (e10 + digits.length < -60) return neg ? 0x80000000 : 0;
  let den = 1n;
  if (e10 >= 0) num *= 10n ** BigInt(e10);
  else den = 10n ** BigInt(-e10);
  return roundRatioToFp32(neg, num, den, 0);
}

/**
 * IEEE 754 binary32 addition a + b with round-to-nearest-even (subnormals kept, overflow to +-Inf):
 * NaN in gives the quiet NaN; Inf + -Inf is NaN; an exact zero sum is +0 except (-0) + (-0) = -0.
 */
export function fp32Add(a: number, b: number): number {
  const ra = fp32ToRaw(a);
  const rb = fp32ToRaw(b);
  if (ra.nan || rb.nan) return FP32_QNAN;
  if (ra.inf || rb.inf) {
    if (ra.inf && rb.inf && ra.sign !== rb.sign) return FP32_QNAN;
    return (ra.inf ? ra : rb).sign ? FP32_NEG_INF : FP32_POS_INF;
  }
  const sa = ra.sign ? -BigInt(ra.sig) : BigInt(ra.sig);
  const sb = rb.sign ? -BigInt(rb.sig) : BigInt(rb.sig);
  const lo = ra.exp < rb.exp ? ra.exp : rb.exp;
  const sum = (sa << BigInt(ra.exp - lo)) + (sb << BigInt(rb.exp - lo));
  if (sum === 0n) return ra.sign && rb.sign ? 0x80000000 : 0;
  return sum < 0n ? roundToFp32(true, -sum, lo) : roundToFp32(false, sum, lo);
}

/** IEEE 754 binary32 multiplication a * b with round-to-nearest-even. */
export function fp32Mul(a: number, b: number): number {
  const ra = fp32ToRaw(a);
  const rb = fp32ToRaw(b);
  if (ra.nan || rb.nan) return FP32_QNAN;
  const neg = (ra.sign ^ rb.sign) === 1;
  const za = ra.sig === 0;
  const zb = rb.sig === 0;
  if (ra.inf || rb.inf) {
    if ((ra.inf && !rb.inf && zb) || (rb.inf && !ra.inf && za)) return FP32_QNAN;
    return neg ? FP32_NEG_INF : FP32_POS_INF;
  }
  return roundToFp32(neg, (ra.sig as number) * (rb.sig as number), ra.exp + rb.exp);
}
