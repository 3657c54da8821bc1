/**
 * Test-side exact arithmetic, written independently of src/: values are JavaScript doubles that
 * hold dyadic rationals exactly, turned into bigints in units of 2^-FIX for comparisons and sums.
 */
import {
  E2M1_VALUES,
  E2M3_VALUES,
  E3M2_VALUES,
  E4M3_VALUES,
  E5M2_VALUES,
  E8M0_VALUES,
  INT8_VALUES,
  UE4M3_VALUES,
  UE5M3_VALUES,
} from './value-tables.js';

/** Fixed-point exponent of the exact arithmetic: every value in the tests is a multiple of 2^-FIX. */
export const FIX = 640;

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** The exact value of a finite double, in units of 2^-FIX. */
export function fix(x: number): bigint {
  if (!Number.isFinite(x)) throw new Error(`fix: ${x} is not finite`);
  f64[0] = x;
  const b = u64[0];
  const neg = b >> 63n === 1n;
  const e = Number((b >> 52n) & 0x7ffn);
  const m = b & 0xfffffffffffffn;
  const sig = e === 0 ? m : m | (1n << 52n);
  const exp = (e === 0 ? -1074 : e - 1075) + FIX;
  let v: bigint;
  if (exp >= 0) v = sig << BigInt(exp);
  else {
    v = sig >> BigInt(-exp);
    if (v << BigInt(-exp) !== sig) throw new Error(`fix: ${x} is not a multiple of 2^-${FIX}`);
  }
  return neg ? -v : v;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function bitsOf(x: number): number {
  f32[0] = x;
  return u32[0];
}

export function valueOfBits(bits: number): number {
  u32[0] = bits >>> 0;
  return f32[0];
}

/** A table entry as a number ('2^-3', '0.125', 'NaN', 'Inf'). */
export function entryValue(s: string): number {
  if (s === 'NaN') return NaN;
  if (s === 'Inf') return Infinity;
  const p = /^2\^(-?\d+)$/.exec(s);
  return p ? 2 ** Number(p[1]) : Number(s);
}

export interface FormatTable {
  readonly name: string;
  /** value of every code (NaN for NaN codes), index = code */
  readonly values: readonly number[];
  readonly bits: number;
  /** the sign bit, 0 for unsigned formats and INT8 (two's complement) */
  readonly signBit: number;
  readonly int: boolean;
}

function signMagnitude(name: string, pos: readonly string[], bits: number, signed: boolean): FormatTable {
  const v = pos.map(entryValue);
  const values = signed ? [...v, ...v.map((x) => -x)] : v;
  return { name, values, bits, signBit: signed ? 1 << (bits - 1) : 0, int: false };
}

export const TABLES: Readonly<Record<string, FormatTable>> = {
  e2m1: signMagnitude('e2m1', E2M1_VALUES, 4, true),
  e2m3: signMagnitude('e2m3', E2M3_VALUES, 6, true),
  e3m2: signMagnitude('e3m2', E3M2_VALUES, 6, true),
  e4m3: signMagnitude('e4m3', E4M3_VALUES, 8, true),
  e5m2: signMagnitude('e5m2', E5M2_VALUES, 8, true),
  int8: { name: 'int8', values: INT8_VALUES.map(entryValue), bits: 8, signBit: 0, int: true },
  ue4m3: signMagnitude('ue4m3', UE4M3_VALUES, 7, false),
  ue5m3: signMagnitude('ue5m3', UE5M3_VALUES, 8, false),
  e8m0: signMagnitude('e8m0', E8M0_VALUES, 8, false),
};

/**
 * The code the element encoder must return for the exact value x * scale^-1, by brute force over
 * the table: the nearest finite value of x among q * scale, ties to the even code (`rne`) or to the
 * larger magnitude (`away`); beyond the largest value, the largest (saturation). A result of zero
 * carries the sign of x in sign-magnitude formats. `minCode` lets INT8 allow -2 (0x80).
 */
export function nearestCode(t: FormatTable, x: bigint, negZero: boolean, scale: bigint, mode: 'rne' | 'away', int8Full = false): number {
  let best = -1;
  let bestD = 0n;
  const fixed = fixedValues(t);
  const one = 1n << BigInt(FIX);
  for (let c = 0; c < t.values.length; c++) {
    const v = t.values[c];
    if (!Number.isFinite(v)) continue;
    if (t.int && c === 0x80 && !int8Full) continue;
    if (t.signBit && c === t.signBit) continue; // -0: decided below
    const d0 = scale === one ? x - fixed[c] : x - (fixed[c] * scale) / one;
    const d = d0 < 0n ? -d0 : d0;
    if (best < 0 || d < bestD) {
      best = c;
      bestD = d;
    } else if (d === bestD) {
      const bv = Math.abs(t.values[best]);
      const cv = Math.abs(v);
      if (mode === 'away' ? cv > bv : (c & 1) === 0 && (best & 1) === 1) best = c;
    }
  }
  if (t.values[best] === 0 && negZero && t.signBit) return t.signBit;
  return best;
}

const fixedCache = new Map<FormatTable, bigint[]>();

/** fix() of every finite table value (0n for NaN / Inf), cached. */
function fixedValues(t: FormatTable): bigint[] {
  let f = fixedCache.get(t);
  if (!f) {
    f = t.values.map((v) => (Number.isFinite(v) ? fix(v) : 0n));
    fixedCache.set(t, f);
  }
  return f;
}

/**
 * True if `bits` is the FP32 value nearest to the exact x / den (x in units of 2^-FIX, den > 0),
 * ties to even, overflow to +-Inf; a zero result must carry the sign of x.
 */
export function isNearestFp32(bits: number, x: bigint, den = 1n): boolean {
  const v = valueOfBits(bits);
  if (!Number.isFinite(v)) {
    if (Number.isNaN(v)) return false;
    // overflow: |x| must reach the rounding threshold 2^128 - 2^103
    const thr = fix(2 ** 128 - 2 ** 103) * den;
    return v > 0 ? x >= thr : x <= -thr;
  }
  if (x === 0n) return v === 0;
  if ((x < 0n) !== (v < 0 || Object.is(v, -0))) return false;
  const dist = (w: number) => {
    const e = x - fix(w) * den;
    return e < 0n ? -e : e;
  };
  const ad = dist(v);
  // the neighbours one ulp either way
  const mag = bits & 0x7fffffff;
  const sign = bits & 0x80000000;
  for (const nb of [mag + 1, mag - 1]) {
    if (nb < 0) continue;
    if (nb >= 0x7f800000) {
      // above the largest finite value: Inf is nearer only past the threshold
      if (x * (x < 0n ? -1n : 1n) >= fix(2 ** 128 - 2 ** 103) * den) return false;
      continue;
    }
    const ae = dist(valueOfBits((sign | nb) >>> 0));
    if (ae < ad) return false;
    if (ae === ad && (mag & 1) === 1) return false;
  }
  return true;
}

/** Exact sum of squared differences sum (v_i - w_i)^2 of two lists of finite doubles, units 2^-2FIX. */
export function squaredError(v: ArrayLike<number>, w: ArrayLike<number>): bigint {
  let s = 0n;
  for (let i = 0; i < v.length; i++) {
    const d = fix(v[i]) - fix(w[i]);
    s += d * d;
  }
  return s;
}

/** floor(log2 |x|) of a non-zero finite double, by comparisons with powers of two. */
export function floorLog2(x: number): number {
  const a = Math.abs(x);
  let e = 0;
  while (2 ** e > a) e--;
  while (2 ** (e + 1) <= a) e++;
  return e;
}
