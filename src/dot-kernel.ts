/**
 * The block dot product of one configuration as a fast function of code arrays: the same result as
 * `dotBlock` (src/dot.ts), computed from tables made once per configuration. Every product of two
 * element codes is an integer multiple of 2^lsb, with lsb the sum of the two formats' smallest
 * exponents, so the block sum is an integer: it is accumulated exactly in one double when
 * k * max|product| < 2^53, otherwise in two 32-bit limbs (high limb signed) joined as a bigint.
 */
import { decodeScale, elementBits, isIntFormat, scaleBits, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { floatInf, floatQuietNan, type FloatFormat } from './formats/float.js';
import { elementTable } from './dequant.js';
import { rawMul } from './raw.js';
import { roundToFloat } from './round-float.js';

/** Flags of a lane product in the kernel's tables. */
export const LANE_NAN = 1;
export const LANE_POS_INF = 2;
export const LANE_NEG_INF = 4;

/** The exponent of the smallest non-zero magnitude's unit of an element format (E2M1 -1, E4M3 -9, INT8 -6). */
export function elementLsbExp(f: ElementFormat): number {
  return isIntFormat(f) ? -f.fracBits : 1 - f.bias - f.mbits;
}

/** Exact products of every code pair of two element formats, as integers in units of 2^lsb. */
export interface ProductTable {
  readonly lsb: number;
  /** bits of a B code: pair (a, b) is at index (a << bBits) | b */
  readonly bBits: number;
  /** product values (0 for NaN / Inf products); exact only when `exactDouble` */
  readonly value: Float64Array;
  /** the same values as bigints */
  readonly big: readonly bigint[];
  /** LANE_* flags */
  readonly flags: Uint8Array;
  /** largest |product| */
  readonly maxAbs: bigint;
  /** smallest and largest product (finite products only) */
  readonly min: bigint;
  readonly max: bigint;
}

const productTables = new Map<string, ProductTable>();

export function productTable(fa: ElementFormat, fb: ElementFormat): ProductTable {
  const key = `${fa.name}x${fb.name}`;
  const known = productTables.get(key);
  if (known) return known;
  const ta = elementTable(fa);
  const tb = elementTable(fb);
  const lsb = elementLsbExp(fa) + elementLsbExp(fb);
  const bBits = elementBits(fb);
  const n = ta.length * tb.length;
  const value = new Float64Array(n);
  const big: bigint[] = new Array<bigint>(n).fill(0n);
  const flags = new Uint8Array(n);
  let maxAbs = 0n;
  let min = 0n;
  let max = 0n;
  for (let a = 0; a < ta.length; a++) {
    for (let b = 0; b < tb.length; b++) {
      const i = (a << bBits) | b;
      const p = rawMul(ta[a], tb[b]);
      if (p.nan) flags[i] = LANE_NAN;
      else if (p.inf) flags[i] = p.sign ? LANE_NEG_INF : LANE_POS_INF;
      else {
        const m = BigInt(p.sig) << BigInt(p.exp - lsb);
        const v = p.sign ? -m : m;
        big[i] = v;
        value[i] = Number(v);
        if (m > maxAbs) maxAbs = m;
        if (v < min) min = v;
        if (v > max) max = v;
      }
    }
  }
  const t: ProductTable = { lsb, bBits, value, big, flags, maxAbs, min, max };
  productTables.set(key, t);
  return t;
}

/** Decoded scale codes: significand, exponent of its unit, NaN. */
export interface ScaleTable {
  readonly sig: Float64Array;
  readonly exp: Int32Array;
  readonly nan: Uint8Array;
}

export function scaleTable(f: ScaleFormat): ScaleTable {
  const n = 2 ** scaleBits(f);
  const sig = new Float64Array(n);
  const exp = new Int32Array(n);
  const nan = new Uint8Array(n);
  for (let c = 0; c < n; c++) {
    const r = decodeScale(f, c);
    if (r.nan) nan[c] = 1;
    else {
      sig[c] = Number(r.sig);
      exp[c] = r.exp;
    }
  }
  return { sig, exp, nan };
}

/** dot(a[aOff..aOff+k), b[bOff..bOff+k)) with scale codes sa, sb, as result-format bits. */
export type DotKernel = (a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, k: number, sa: number, sb: number) => number;

const TWO32 = 2 ** 32;

/**
 * The dot product of blocks of up to `maxK` lanes of fa x fb with scales of fs, rounded to `out`;
 * equal to dotBlock(fa, a, fb, b, decodeScale(fs, sa), decodeScale(fs, sb), out).
 */
export function dotKernel(fa: ElementFormat, fb: ElementFormat, fs: ScaleFormat, out: FloatFormat, maxK: number): DotKernel {
  const t = productTable(fa, fb);
  const st = scaleTable(fs);
  const qnan = floatQuietNan(out);
  const pinf = floatInf(out, false);
  const ninf = floatInf(out, true);
  const { value, flags, bBits, lsb } = t;
  const anyFlags = flags.some((x) => x !== 0);
  let maxScaleSig = 0;
  for (const s of st.sig) if (s > maxScaleSig) maxScaleSig = s;
  // one double holds the sum exactly, and the sum times both scale significands
  const oneLimb = t.maxAbs * BigInt(maxK) * BigInt(maxScaleSig) ** 2n < 2n ** 53n;
  const hi = new Float64Array(value.length);
  const lo = new Float64Array(value.length);
  if (!oneLimb) {
    for (let i = 0; i < value.length; i++) {
      const h = t.big[i] >> 32n; // floor: lo is in [0, 2^32)
      hi[i] = Number(h);
      lo[i] = Number(t.big[i] - (h << 32n));
    }
  }
  const finish = (neg: boolean, mag: number | bigint, sa: number, sb: number, fl: number): number => {
    if (st.nan[sa] || st.nan[sb]) return qnan;
    const p = st.sig[sa] * st.sig[sb];
    if (fl !== 0) {
      if (fl & LANE_NAN || (fl & LANE_POS_INF && fl & LANE_NEG_INF)) return qnan;
      if (p === 0) return qnan; // Inf times a zero scale
      return fl & LANE_NEG_INF ? ninf : pinf;
    }
    if (mag === 0 || mag === 0n || p === 0) return 0; // an exact zero is +0
    const e = lsb + st.exp[sa] + st.exp[sb];
    if (typeof mag === 'number') return roundToFloat(out, neg, mag * p, e);
    return roundToFloat(out, neg, mag * BigInt(p), e);
  };
  return (a, aOff, b, bOff, k, sa, sb) => {
    if (k > maxK) throw new RangeError(`dotKernel: block of ${k} lanes, made for at most ${maxK}`);
    let fl = 0;
    if (anyFlags) for (let i = 0; i < k; i++) fl |= flags[(a[aOff + i] << bBits) | b[bOff + i]];
    if (oneLimb) {
      let s = 0;
      for (let i = 0; i < k; i++) s += value[(a[aOff + i] << bBits) | b[bOff + i]];
      return finish(s < 0, s < 0 ? -s : s, sa, sb, fl);
    }
    let h = 0;
    let l = 0;
    for (let i = 0; i < k; i++) {
      const j = (a[aOff + i] << bBits) | b[bOff + i];
      h += hi[j];
      l += lo[j];
    }
    const carry = Math.floor(l / TWO32);
    h += carry;
    l -= carry * TWO32;
    const s = (BigInt(h) << 32n) + BigInt(l);
    return finish(s < 0n, s < 0n ? -s : s, sa, sb, fl);
  };
}
