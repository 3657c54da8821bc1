/**
 * The one intermediate form every golden function and every generated unit shares.
 *
 * A finite raw value is exactly (-1)^sign * sig * 2^exp with `sig` a non-negative integer.
 * Zero is sig = 0 (the sign is kept, so -0 survives where the operation defines it).
 * Decoders produce raws, arithmetic composes them, and `roundRawToFp32` is the only place
 * where a value is rounded.
 */
export interface Raw {
  /** Not a number: every other field is meaningless. */
  readonly nan: boolean;
  /** Infinity (sign in `sign`); `sig` and `exp` are meaningless. */
  readonly inf: boolean;
  readonly sign: 0 | 1;
  /** Integer significand; a number when it fits 2^53, else a bigint. */
  readonly sig: number | bigint;
  readonly exp: number;
}

export const RAW_NAN: Raw = { nan: true, inf: false, sign: 0, sig: 0, exp: 0 };

export function rawFinite(sign: 0 | 1, sig: number | bigint, exp: number): Raw {
  return { nan: false, inf: false, sign, sig, exp };
}

export function rawInf(sign: 0 | 1): Raw {
  return { nan: false, inf: true, sign, sig: 0, exp: 0 };
}

export function rawIsZero(r: Raw): boolean {
  return !r.nan && !r.inf && (r.sig === 0 || r.sig === 0n);
}

/** Exact product of two raws (NaN if either is NaN, or for 0 * Inf). */
export function rawMul(a: Raw, b: Raw): Raw {
  if (a.nan || b.nan) return RAW_NAN;
  const sign = (a.sign ^ b.sign) as 0 | 1;
  if (a.inf || b.inf) {
    if (rawIsZero(a) || rawIsZero(b)) return RAW_NAN;
    return rawInf(sign);
  }
  return rawFinite(sign, mulSig(a.sig, b.sig), a.exp + b.exp);
}

function mulSig(a: number | bigint, b: number | bigint): number | bigint {
  if (typeof a === 'number' && typeof b === 'number') {
    const p = a * b;
    if (Number.isSafeInteger(p)) return p;
  }
  return BigInt(a) * BigInt(b);
}

/** The raw value as an exact rational string, for messages and reports (e.g. "-3*2^-2"). */
export function rawToString(r: Raw): string {
  if (r.nan) return 'NaN';
  if (r.inf) return r.sign ? '-Inf' : '+Inf';
  return `${r.sign ? '-' : '+'}${r.sig}*2^${r.exp}`;
}
