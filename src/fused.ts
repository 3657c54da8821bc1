/**
 * GPU-compatible fused dot-add, D = C + sum a_i * b_i (with block scales), computed the way NVIDIA
 * tensor cores compute it rather than "exact sum, one rounding". The semantics follow the model of
 * microsoft/MMA-Sim (whose authors report bitwise agreement with the hardware); docs/NUMERICS.md §10
 * states them with examples. All arithmetic here is on integers.
 *
 * Every term (C, each product, or each group sum) is significand x 2^exponent, where the exponent of
 * a value is its unbiased exponent when normal, its format's smallest normal exponent when
 * subnormal (the significand then below 1), and -126 for a zero; a power-of-two scale contributes
 * its exponent only. With E the largest exponent of all terms, each significand is shifted to E and
 * truncated toward zero to `fracBits` fractional bits; the truncated terms are added exactly and the
 * sum x 2^E is converted to FP32 toward zero, keeping `outFracBits` fraction bits (subnormals
 * included); at or beyond 2^128 it is +-Inf; a zero result is +0. A NaN anywhere (an element, a
 * scale, C, +Inf with -Inf, Inf x 0) gives 0x7FFFFFFF; otherwise an Inf term gives that Inf.
 *
 * The kinds:
 * - `blackwell` (kind::mxf8f6f4): 32 elements of E4M3, E5M2, E3M2, E2M3 or E2M1 per operand (A and B
 *   may differ), one E8M0 scale each; the terms are C and the 32 products with exponent
 *   e_a + e_b + e_scale_a + e_scale_b; 25 fractional bits; FP32 out.
 * - `blackwell-f4` (kind::mxf4nvf4): 64 E2M1 elements per operand with E8M0 scales per 32 or UE4M3
 *   scales per 16; every 16 products are summed exactly and unscaled, the group sum times both scale
 *   significands is a term with exponent e_scale_a + e_scale_b; 35 fractional bits; FP32 out.
 * - `hopper` (wgmma with FP8 inputs): 32 elements of E4M3 or E5M2 per operand, no block scale (E8M0
 *   scales, when given, enter the exponents as in `blackwell`; code 127 is the instruction itself);
 *   13 fractional bits; the FP32 result keeps 13 fraction bits (an "e8m13" value).
 */
import { E2M1 } from './formats/e2m1.js';
import { decodeE8M0, E8M0 } from './formats/e8m0.js';
import { isE8M0, isIntFormat, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { E4M3, E5M2 } from './formats/fp8.js';
import { E2M3, E3M2 } from './formats/fp6.js';
import { decodeMinifloat, minifloatEmin } from './formats/minifloat.js';
import { UE4M3 } from './formats/scales.js';
import { fp32ToRaw } from './fp32.js';
import { FP32 } from './formats/float.js';
import { roundToFloat } from './round-float.js';
import { elementTable } from './dequant.js';
import type { Raw } from './raw.js';

export type FusedKind = 'blackwell' | 'blackwell-f4' | 'hopper';

export const FUSED_KINDS: readonly FusedKind[] = ['blackwell', 'blackwell-f4', 'hopper'];

/** The NaN every fused kind returns (the GPU's canonical NaN, not 0x7FC00000). */
export const FUSED_NAN = 0x7fffffff;

export interface FusedShape {
  /** elements per operand of one instruction */
  readonly k: number;
  /** fractional bits kept of each aligned term */
  readonly fracBits: number;
  /** fraction bits the FP32 result keeps */
  readonly outFracBits: number;
  readonly elements: readonly ElementFormat[];
  /** scale formats with their block sizes; none for an unscaled kind */
  readonly scales: readonly { readonly format: ScaleFormat; readonly block: number }[];
  /** products summed exactly before alignment (1: each product is a term) */
  readonly group: number;
  readonly about: string;
}

export const FUSED_SHAPES: Readonly<Record<FusedKind, FusedShape>> = {
  blackwell: {
    k: 32,
    fracBits: 25,
    outFracBits: 23,
    elements: [E4M3, E5M2, E3M2, E2M3, E2M1],
    scales: [{ format: E8M0, block: 32 }],
    group: 1,
    about: 'NVIDIA Blackwell block-scaled MMA, kind::mxf8f6f4',
  },
  'blackwell-f4': {
    k: 64,
    fracBits: 35,
    outFracBits: 23,
    elements: [E2M1],
    scales: [
      { format: E8M0, block: 32 },
      { format: UE4M3, block: 16 },
    ],
    group: 16,
    about: 'NVIDIA Blackwell block-scaled MMA, kind::mxf4nvf4',
  },
  hopper: {
    k: 32,
    fracBits: 13,
    outFracBits: 13,
    elements: [E4M3, E5M2],
    scales: [{ format: E8M0, block: 32 }],
    group: 1,
    about: 'NVIDIA Hopper wgmma with FP8 inputs (no block scale: E8M0 scales of 2^0)',
  },
};

/** A term: (-1)^neg * m * 2^-f is its significand, e its exponent; or a special. */
interface Term {
  readonly neg: boolean;
  readonly m: bigint;
  readonly f: number;
  readonly e: number;
}

export interface FusedSpecial {
  readonly nan: boolean;
  readonly pinf: boolean;
  readonly ninf: boolean;
}

const ZERO_EXP = -126;

/** A finite raw value as a term, with `emin` the smallest normal exponent of its format. */
function termOf(r: Raw, emin: number): Term {
  const m = BigInt(r.sig);
  if (m === 0n) return { neg: false, m: 0n, f: 0, e: ZERO_EXP };
  const top = m.toString(2).length - 1 + r.exp; // value in [2^top, 2^(top+1))
  const e = Math.max(top, emin);
  return { neg: r.sign === 1, m, f: e - r.exp, e };
}

function elementEmin(f: ElementFormat): number {
  if (isIntFormat(f)) throw new RangeError(`the fused GPU kinds take no INT8 elements`);
  return minifloatEmin(f);
}

function scaleTerm(f: ScaleFormat, code: number): Term | null {
  if (isE8M0(f)) {
    const r = decodeE8M0(code);
    return r.nan ? null : { neg: false, m: 1n, f: 0, e: code - 127 };
  }
  // UE4M3 / UE5M3: the significand and exponent of a minifloat (its sign, where the GPU's E4M3
  // scale has one, is not part of these 7-bit codes)
  const r = decodeMinifloat(f, code);
  return r.nan ? null : termOf(r, minifloatEmin(f));
}

/**
 * The conversion of S * 2^(E - fracBits) (S a signed integer) to FP32 toward zero, keeping `keep`
 * fraction bits (the shared rounder, src/round-float.ts); a zero result is +0; 2^128 and beyond are
 * +-Inf.
 */
function toFp32TowardZero(s: bigint, E: number, fracBits: number, keep: number): number {
  if (s === 0n) return 0;
  const neg = s < 0n;
  const r = roundToFloat(FP32, neg, neg ? -s : s, E - fracBits, { mode: 'toward-zero', keepFraction: keep }) >>> 0;
  return (r & 0x7fffffff) === 0 ? 0 : r;
}

/** Align every term to the largest exponent, truncate toward zero, add, convert toward zero. */
function fusedSum(terms: readonly Term[], fracBits: number, keep: number): number {
  let E = -Infinity;
  for (const t of terms) if (t.e > E) E = t.e;
  let s = 0n;
  for (const t of terms) {
    if (t.m === 0n) continue;
    const sh = fracBits + t.e - E - t.f; // m * 2^sh in units of 2^-fracBits
    const v = sh >= 0 ? t.m << BigInt(sh) : t.m >> BigInt(-sh);
    s += t.neg ? -v : v;
  }
  return toFp32TowardZero(s, E, fracBits, keep);
}

function specialOf(r: Raw): FusedSpecial {
  return { nan: r.nan, pinf: r.inf && r.sign === 0, ninf: r.inf && r.sign === 1 };
}

function combine(list: readonly FusedSpecial[]): number | null {
  let nan = false;
  let pinf = false;
  let ninf = false;
  for (const x of list) {
    nan ||= x.nan;
    pinf ||= x.pinf;
    ninf ||= x.ninf;
  }
  if (nan || (pinf && ninf)) return FUSED_NAN;
  if (pinf) return 0x7f800000;
  if (ninf) return 0xff800000;
  return null;
}

/**
 * One product of two element codes as the fused kinds see it (before the scales): its term
 * (significand m * 2^-f, exponent e; a zero's exponent -126 + -126 when both are zero) when both
 * codes are finite, and its special class (NaN for a NaN code or Inf x 0, else +-Inf for an Inf).
 */
export function fusedProduct(fa: ElementFormat, ca: number, fb: ElementFormat, cb: number): { readonly finite: boolean; readonly special: FusedSpecial; readonly neg: boolean; readonly m: bigint; readonly f: number; readonly e: number } {
  const x = elementTable(fa)[ca];
  const y = elementTable(fb)[cb];
  if (x === undefined || y === undefined) throw new RangeError(`code ${x === undefined ? ca : cb} is not ${x === undefined ? fa.name : fb.name}`);
  if (x.nan || y.nan) return { finite: false, special: { nan: true, pinf: false, ninf: false }, neg: false, m: 0n, f: 0, e: 0 };
  if (x.inf || y.inf) {
    const zero = (!x.inf && BigInt(x.sig) === 0n) || (!y.inf && BigInt(y.sig) === 0n);
    const neg = (x.sign ^ y.sign) === 1;
    return { finite: false, special: zero ? { nan: true, pinf: false, ninf: false } : { nan: false, pinf: !neg, ninf: neg }, neg, m: 0n, f: 0, e: 0 };
  }
  const pa = termOf(x, elementEmin(fa));
  const pb = termOf(y, elementEmin(fb));
  return { finite: true, special: { nan: false, pinf: false, ninf: false }, neg: pa.neg !== pb.neg, m: pa.m * pb.m, f: pa.f + pb.f, e: pa.e + pb.e };
}

/** One instruction's operand: k element codes and the scale codes of its blocks. */
export interface FusedOperand {
  readonly elem: ElementFormat;
  readonly codes: ArrayLike<number>;
  readonly scale?: ScaleFormat;
  /** one code per block of the scale's block size; absent for hopper (scale 2^0) */
  readonly scales?: ArrayLike<number>;
}

/** Check that the operands suit the kind; returns the scale block size (k when unscaled). */
function checkOperands(kind: FusedKind, a: FusedOperand, b: FusedOperand): number {
  const shape = FUSED_SHAPES[kind];
  if (shape === undefined) throw new RangeError(`unknown fused kind '${String(kind)}' (one of: ${FUSED_KINDS.join(', ')})`);
  for (const [n, o] of [['A', a], ['B', b]] as const) {
    if (!shape.elements.includes(o.elem)) throw new RangeError(`${kind}: ${n} elements must be ${shape.elements.map((e) => e.name).join(', ')}, got ${o.elem.name}`);
    if (o.codes.length !== shape.k) throw new RangeError(`${kind}: ${shape.k} elements per operand, got ${o.codes.length} for ${n}`);
  }
  if ((a.scale === undefined) !== (b.scale === undefined) || (a.scale && b.scale && a.scale !== b.scale && a.scale.name !== b.scale.name)) {
    throw new RangeError(`${kind}: A and B need the same scale format`);
  }
  if (a.scale === undefined) {
    if (kind !== 'hopper') throw new RangeError(`${kind}: block scales are required`);
    return shape.k;
  }
  const s = shape.scales.find((x) => x.format.name === a.scale?.name);
  if (!s) throw new RangeError(`${kind}: scales must be ${shape.scales.map((x) => `${x.format.name} per ${x.block}`).join(' or ')}, got ${a.scale.name}`);
  for (const [n, o] of [['A', a], ['B', b]] as const) {
    if ((o.scales?.length ?? 0) !== shape.k / s.block) throw new RangeError(`${kind}: ${shape.k / s.block} ${s.format.name} scale codes per operand, got ${o.scales?.length ?? 0} for ${n}`);
  }
  return s.block;
}

/**
 * One instruction: D = C + sum over the k products (with the operands' block scales), C and D as
 * FP32 bits.
 */
export function fusedDotAdd(kind: FusedKind, a: FusedOperand, b: FusedOperand, c: number): number {
  const block = checkOperands(kind, a, b);
  const shape = FUSED_SHAPES[kind];
  const ta = elementTable(a.elem);
  const tb = elementTable(b.elem);
  const cr = fp32ToRaw(c);
  const blocks = shape.k / block;
  const sa: (Term | null)[] = [];
  const sb: (Term | null)[] = [];
  for (let j = 0; j < blocks; j++) {
    sa.push(a.scale ? scaleTerm(a.scale, a.scales?.[j] ?? 0) : { neg: false, m: 1n, f: 0, e: 0 });
    sb.push(b.scale ? scaleTerm(b.scale, b.scales?.[j] ?? 0) : { neg: false, m: 1n, f: 0, e: 0 });
  }
  // specials first: a NaN anywhere, Inf x 0, +Inf with -Inf; then an Inf
  const specials: FusedSpecial[] = [specialOf(cr)];
  if (sa.some((s) => s === null) || sb.some((s) => s === null)) specials.push({ nan: true, pinf: false, ninf: false });
  const products = Array.from({ length: shape.k }, (_, i) => {
    try {
      return fusedProduct(a.elem, a.codes[i], b.elem, b.codes[i]);
    } catch (e) {
      throw new RangeError(`${kind}: element ${i}: ${(e as Error).message}`);
    }
  });
  for (const p of products) if (!p.finite) specials.push(p.special);
  const special = combine(specials);
  if (special !== null) return special;

  const terms: Term[] = [termOf(cr, -126)];
  for (let g = 0; g < shape.k; g += shape.group) {
    const j = Math.floor(g / block);
    const s0 = sa[j] as Term;
    const s1 = sb[j] as Term;
    if (shape.group === 1) {
      const q = products[g];
      terms.push({ neg: q.neg, m: q.m * s0.m * s1.m, f: q.f + s0.f + s1.f, e: q.e + s0.e + s1.e });
    } else {
      // the group's exact sum, unscaled, times both scale significands (not normalised)
      let sum = 0n;
      let lsb = Infinity;
      const parts: { v: bigint; exp: number }[] = [];
      for (let i = g; i < g + shape.group; i++) {
        const x = ta[a.codes[i]];
        const y = tb[b.codes[i]];
        const v = BigInt(x.sig) * BigInt(y.sig) * (x.sign !== y.sign ? -1n : 1n);
        const exp = x.exp + y.exp;
        parts.push({ v, exp });
        if (exp < lsb) lsb = exp;
      }
      for (const p of parts) sum += p.v << BigInt(p.exp - lsb);
      const neg = sum < 0n;
      terms.push({ neg, m: (neg ? -sum : sum) * s0.m * s1.m, f: -lsb + s0.f + s1.f, e: s0.e + s1.e });
    }
  }
  return fusedSum(terms, shape.fracBits, shape.outFracBits);
}

/** The kind's element formats by name (for messages). */
export function fusedElementNames(kind: FusedKind): string {
  return FUSED_SHAPES[kind].elements.map((e) => e.name).join(', ');
}
