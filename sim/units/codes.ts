/**
 * The codes of an element or scale format as the bench draws them: finite and special codes,
 * signs, the largest finite code, and 256-entry tables that turn a random byte into a code of a
 * chosen kind. Everything is read from the golden model's decoders (src/formats).
 */
import { decodeElement, decodeScale, elementBits, elementMaxCode, isIntFormat, scaleBits, scaleMaxCode, scaleNanCode, type ElementFormat, type ScaleFormat } from '../../src/formats/format.js';

export interface ElementCodes {
  readonly format: ElementFormat;
  readonly bits: number;
  readonly count: number;
  /** code -> 1 when the code is a finite number */
  readonly finite: Uint8Array;
  readonly nans: readonly number[];
  readonly pinf: number | null;
  readonly ninf: number | null;
  /** the largest finite value's code, and its negative */
  readonly maxPos: number;
  readonly maxNeg: number;
  /** the code of -x (INT8: two's complement; -(-2) does not exist and gives the largest, 127/64) */
  neg(code: number): number;
  /** the code's value is negative */
  negative(code: number): boolean;
  /** random byte -> code tables */
  readonly draw: {
    readonly finite: Uint8Array;
    readonly raw: Uint8Array;
    readonly positive: Uint8Array;
    readonly negative: Uint8Array;
    readonly small: Uint8Array;
    /** positive codes of the largest quarter of the finite magnitudes */
    readonly large: Uint8Array;
  };
  /** the smallest positive value's code */
  readonly minPos: number;
}

const cache = new Map<string, ElementCodes>();

export function elementCodes(f: ElementFormat): ElementCodes {
  const known = cache.get(f.name);
  if (known) return known;
  const bits = elementBits(f);
  const count = 2 ** bits;
  const int = isIntFormat(f);
  const signBit = 1 << (bits - 1);
  const finite = new Uint8Array(count);
  const nans: number[] = [];
  let pinf: number | null = null;
  let ninf: number | null = null;
  const values: number[] = [];
  for (let c = 0; c < count; c++) {
    const r = decodeElement(f, c);
    if (r.nan) nans.push(c);
    else if (r.inf) {
      if (r.sign) ninf = c;
      else pinf = c;
    } else {
      finite[c] = 1;
    }
    values.push(r.nan || r.inf ? NaN : (r.sign ? -1 : 1) * Number(r.sig) * 2 ** r.exp);
  }
  const maxPos = elementMaxCode(f);
  const neg = (c: number): number => (int ? (c === signBit ? signBit - 1 : (count - c) & (count - 1)) : c ^ signBit);
  const negative = (c: number): boolean => (c & signBit) !== 0;
  // a finite code for every code: specials map to the largest finite value of their sign
  const finiteOf = (c: number): number => (finite[c] ? c : negative(c) ? neg(maxPos) : maxPos);
  const small: number[] = [];
  const maxAbs = Math.abs(values[maxPos]);
  const minAbs = Math.min(...values.filter((v) => v !== 0 && !Number.isNaN(v)).map(Math.abs));
  const smallLimit = Math.max(maxAbs / 16, minAbs);
  for (let c = 0; c < count; c++) if (finite[c] && Math.abs(values[c]) <= smallLimit) small.push(c);
  const positives = Array.from({ length: count }, (_, c) => c).filter((c) => finite[c] && values[c] > 0).sort((x, y) => values[x] - values[y]);
  const large = positives.slice(Math.floor((3 * positives.length) / 4));
  const table = (fn: (byte: number) => number): Uint8Array => Uint8Array.from({ length: 256 }, (_, b) => fn(b));
  const mask = count - 1;
  const r: ElementCodes = {
    format: f,
    bits,
    count,
    finite,
    nans,
    pinf,
    ninf,
    maxPos,
    maxNeg: neg(maxPos),
    neg,
    negative,
    draw: {
      finite: table((b) => finiteOf(b & mask)),
      raw: table((b) => b & mask),
      positive: table((b) => {
        const c = finiteOf(b & mask);
        return negative(c) ? neg(c) & mask : c;
      }),
      negative: table((b) => {
        let c = finiteOf(b & mask);
        if (!negative(c)) c = neg(c);
        return c === 0 ? neg(maxPos) : c;
      }),
      small: table((b) => small[b % small.length]),
      large: table((b) => large[b % large.length]),
    },
    minPos: positives[0],
  };
  cache.set(f.name, r);
  return r;
}

export interface ScaleCodes {
  readonly format: ScaleFormat;
  readonly bits: number;
  readonly count: number;
  readonly nan: number;
  readonly max: number;
  /** the code of 1.0 */
  readonly one: number;
  /** finite non-zero codes with their significand, exponent and floor(log2(value)) */
  readonly codes: readonly { readonly code: number; readonly sig: bigint; readonly exp: number; readonly lb: number }[];
  /** the codes whose value has floor(log2) = lb */
  readonly byLb: ReadonlyMap<number, readonly number[]>;
  readonly lbMin: number;
  readonly lbMax: number;
  /** a zero code, or null (E8M0 has no zero) */
  readonly zero: number | null;
}

const scaleCache = new Map<string, ScaleCodes>();

export function scaleCodes(f: ScaleFormat): ScaleCodes {
  const known = scaleCache.get(f.name);
  if (known) return known;
  const bits = scaleBits(f);
  const count = 2 ** bits;
  const codes: { code: number; sig: bigint; exp: number; lb: number }[] = [];
  const byLb = new Map<number, number[]>();
  let zero: number | null = null;
  let one = -1;
  for (let c = 0; c < count; c++) {
    const r = decodeScale(f, c);
    if (r.nan) continue;
    const sig = BigInt(r.sig);
    if (sig === 0n) {
      zero = c;
      continue;
    }
    const lb = sig.toString(2).length - 1 + r.exp;
    if (r.exp <= 0 && sig === 1n << BigInt(-r.exp)) one = c;
    codes.push({ code: c, sig, exp: r.exp, lb });
    const list = byLb.get(lb) ?? [];
    list.push(c);
    byLb.set(lb, list);
  }
  const lbs = codes.map((c) => c.lb);
  const s: ScaleCodes = {
    format: f,
    bits,
    count,
    nan: scaleNanCode(f),
    max: scaleMaxCode(f),
    one,
    codes,
    byLb,
    lbMin: Math.min(...lbs),
    lbMax: Math.max(...lbs),
    zero,
  };
  scaleCache.set(f.name, s);
  return s;
}
