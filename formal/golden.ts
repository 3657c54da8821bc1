/**
 * What the proofs take from the golden model (src/), in one place: the lane functions the
 * exhaustive obligations compare with, the constants the references are written from, and the
 * check that the golden dot product decomposes the way the dot-product proof assumes.
 */
import { dequantElement } from '../src/dequant.js';
import { dotBlock } from '../src/dot.js';
import { dotKernel, productTable, type ProductTable } from '../src/dot-kernel.js';
import { FUSED_NAN, FUSED_SHAPES, fusedDotAdd, fusedProduct, type FusedKind } from '../src/fused.js';
import { E8M0 } from '../src/formats/e8m0.js';
import { FP32, floatInf, floatQuietNan, type FloatFormat } from '../src/formats/float.js';
import { decodeScale, elementBits, elementEmax, elementMax, elementMaxCode, isE8M0, isIntFormat, scaleBits, scaleMaxCode, scaleNanCode, type ElementFormat, type ScaleFormat } from '../src/formats/format.js';
import { scaleCodeOfPow2, scaleMaxPow2 } from '../src/encode.js';
import { minifloatSignBit } from '../src/formats/minifloat.js';
import { elementTable } from '../src/dequant.js';
import { quantizeBlockReference } from '../src/quantize.js';
import { roundToFloat, type RoundOptions } from '../src/round-float.js';
import { elementFormat, floatFormat, scaleFormat } from '../generator/units/config.js';
import type { GoldenRef } from './spec.js';

export { productTable };

/** The golden scale decode in the hardware's terms: significand, exponent above the smallest one, NaN, zero. */
export interface ScaleGolden {
  readonly sig: readonly bigint[];
  /** exponent of the significand's unit minus `offset` (0 for NaN codes) */
  readonly exp: readonly number[];
  readonly nan: readonly boolean[];
  /** the smallest exponent of any code: value = sig * 2^(exp + offset) */
  readonly offset: number;
  readonly sigMax: bigint;
  readonly expMax: number;
}

export function scaleGolden(f: ScaleFormat): ScaleGolden {
  const n = 2 ** scaleBits(f);
  const raws = Array.from({ length: n }, (_, c) => decodeScale(f, c));
  const offset = Math.min(...raws.filter((r) => !r.nan).map((r) => r.exp));
  const sig = raws.map((r) => (r.nan ? 0n : BigInt(r.sig)));
  const exp = raws.map((r) => (r.nan ? 0 : r.exp - offset));
  return {
    sig,
    exp,
    nan: raws.map((r) => r.nan),
    offset,
    sigMax: sig.reduce((m, s) => (s > m ? s : m), 0n),
    expMax: Math.max(...exp),
  };
}

/**
 * The golden function of an exhaustive obligation: the pattern's fields (lane inputs, then shared
 * inputs, as unsigned numbers) to the values of the lane's output fields, in order; null where an
 * output is not compared for that pattern.
 */
export function laneGolden(g: GoldenRef): (pattern: readonly number[]) => (bigint | null)[] {
  switch (g.kind) {
    case 'product': {
      const t = productTable(elementFormat(g.elemA), elementFormat(g.elemB));
      const bit = { nan: 1, pinf: 2, ninf: 4 } as const;
      return ([a, b]) => {
        const i = (a << t.bBits) | b;
        return [BigInt.asUintN(g.prodWidth, t.big[i]), ...g.flags.map((f) => (t.flags[i] & bit[f] ? 1n : 0n))];
      };
    }
    case 'dequant': {
      const e = elementFormat(g.elem);
      const s = scaleFormat(g.scale);
      const o = floatFormat(g.out);
      return ([c, sc]) => [BigInt(dequantElement(e, c, decodeScale(s, sc), o) >>> 0)];
    }
    case 'multiply':
      return ([x, y]) => [BigInt(x) * BigInt(y)];
    case 'fused-lane': {
      // sig and exp are compared where both codes are finite (a special product makes the result
      // special, whatever its term), the sign where the product is not zero
      const fa = elementFormat(g.elemA);
      const fb = elementFormat(g.elemB);
      return ([a, b]) => {
        const q = fusedProduct(fa, a, fb, b);
        const flags = g.flags.map((f) => (q.special[f] ? 1n : 0n));
        if (!q.finite) return [null, null, null, ...flags];
        // the hardware's exponent: e + 252, where a zero element's exponent is -126
        return [q.m, BigInt(q.e + 252), q.m === 0n ? null : q.neg ? 1n : 0n, ...flags];
      };
    }
    case 'scales': {
      // the significand and exponent of a NaN scale are not the value's: compared only without NaN
      const sg = scaleGolden(scaleFormat(g.scale));
      return ([a, b]) => {
        const nan = sg.nan[a] || sg.nan[b];
        const v: Record<string, bigint | null> = {
          sig: nan ? null : sg.sig[a] * sg.sig[b],
          exp: nan ? null : BigInt(sg.exp[a] + sg.exp[b]),
          nan: sg.nan[a] || sg.nan[b] ? 1n : 0n,
          zero: nan ? null : sg.sig[a] * sg.sig[b] === 0n ? 1n : 0n,
        };
        return g.outputs.map((o) => v[o]);
      };
    }
  }
}

/**
 * The golden tail of a rounding stage: the value (-1)^sign * mag * 2^exp rounded to `out` with the
 * options; an exact zero is +0 (`positive`, the dot product's rule) or keeps the sign.
 */
export function roundGolden(out: FloatFormat, sign: boolean, mag: number | bigint, exp: number, opts?: RoundOptions, zero: 'positive' | 'keep-sign' = 'positive'): number {
  if ((mag === 0 || mag === 0n) && zero === 'positive') return 0;
  const r = roundToFloat(out, sign, mag, exp, opts) >>> 0;
  // toward zero, a value truncated to zero is +0 where the unit's zeros are positive
  const signBit = 2 ** (out.ebits + out.mbits);
  if (opts?.mode === 'toward-zero' && zero === 'positive' && r === signBit) return 0;
  return r;
}

export interface DotDecomposition {
  readonly products: ProductTable;
  readonly scales: ScaleGolden;
}

/**
 * The decomposition the dot-product proof rests on, computed from the golden pieces: products from
 * the table, their exact sum, the NaN / Inf rules of the sum, the scale significands and exponents,
 * and one rounding. Checked against dotBlock on `n` pseudo-random blocks (and corners): returns a
 * description of the first disagreement, or null.
 */
export function checkDotDecomposition(a: ElementFormat, b: ElementFormat, s: ScaleFormat, out: FloatFormat, k: number, n: number): string | null {
  const t = productTable(a, b);
  const sg = scaleGolden(s);
  const qnan = floatQuietNan(out);
  let seed = 0x9e3779b9;
  const rnd = (m: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  const na = 2 ** elementBits(a);
  const nb = 2 ** elementBits(b);
  const ns = 2 ** scaleBits(s);
  const kern = dotKernel(a, b, s, out, k);
  const ca = new Array<number>(k);
  const cb = new Array<number>(k);
  for (let trial = 0; trial < n; trial++) {
    const mode = trial % 4;
    for (let i = 0; i < k; i++) {
      ca[i] = mode === 0 ? na / 2 - 2 : rnd(na);
      cb[i] = mode === 0 ? (i % 2 === 0 ? nb / 2 - 2 : nb - 2) : rnd(nb);
    }
    const sa = mode === 1 ? ns - 1 - rnd(3) : rnd(ns);
    const sb = mode === 2 ? rnd(4) : rnd(ns);
    let sum = 0n;
    let fl = 0;
    for (let i = 0; i < k; i++) {
      const j = (ca[i] << t.bBits) | cb[i];
      sum += t.big[j];
      fl |= t.flags[j];
    }
    const sumNan = (fl & 1) !== 0 || ((fl & 2) !== 0 && (fl & 4) !== 0);
    const sumInf = !sumNan && (fl & 6) !== 0;
    const p = sg.sig[sa] * sg.sig[sb];
    const nan = sumNan || sg.nan[sa] || sg.nan[sb] || (sumInf && p === 0n);
    let got: number;
    if (nan) got = qnan;
    else if (sumInf) got = floatInf(out, (fl & 4) !== 0);
    else got = roundGolden(out, sum < 0n, (sum < 0n ? -sum : sum) * p, t.lsb + sg.exp[sa] + sg.exp[sb] + 2 * sg.offset);
    const want = dotBlock(a, ca, b, cb, decodeScale(s, sa), decodeScale(s, sb), out) >>> 0;
    const fast = kern(ca, 0, cb, 0, k, sa, sb) >>> 0;
    if (want !== got >>> 0 || fast !== want) return `a=[${ca.join(',')}] b=[${cb.join(',')}] scales ${sa}, ${sb}: dotBlock gives 0x${want.toString(16)}, the decomposition 0x${(got >>> 0).toString(16)}, the kernel 0x${fast.toString(16)}`;
  }
  return null;
}

/**
 * The decomposition the fused dot-add proof rests on, from the golden pieces in the hardware's
 * terms: each product from fusedProduct (significand with fa + fb fractional bits, exponent), the
 * scale codes added to the exponents (mxf4nvf4: each group's |exact sum| from productTable times
 * the decoded scale significands, its exponent the scale codes' exponents), the largest exponent
 * with C's, each term shifted to it and
 * truncated at `fracBits`, the exact sum, the conversion toward zero (roundGolden, +0 for a zero),
 * the special rules. Checked against fusedDotAdd on `n` pseudo-random instructions (with zeros,
 * specials and extreme scales): the first disagreement, or null.
 */
export function checkFusedDecomposition(kind: FusedKind, fa: ElementFormat, fb: ElementFormat, scale: ScaleFormat | null, n: number): string | null {
  const shape = FUSED_SHAPES[kind];
  const k = shape.k;
  const F = shape.fracBits;
  const block = scale ? (shape.scales.find((s) => s.format.name === scale.name)?.block ?? k) : k;
  const ns = k / block;
  const fracOf = (f: ElementFormat): number => (f as { mbits: number }).mbits;
  let seed = 0x2545f491;
  const rnd = (m: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  const na = 2 ** elementBits(fa);
  const nb = 2 ** elementBits(fb);
  const e8 = scale === null || scale.name === E8M0.name;
  const sg = scale ? scaleGolden(scale) : null;
  const nanCode = scale ? sg?.nan.lastIndexOf(true) ?? -1 : -1;
  // a scale code's exponent + 127 as the proof states it: E8M0 the code; a minifloat max(field, 1) - bias + 127, 1 for the zero code
  const ms = scale && !e8 ? (scale as { mbits: number }).mbits : 0;
  const bias = scale && !e8 ? (scale as { bias: number }).bias : 0;
  const gexp = (code: number): number => (e8 ? code : code === 0 ? 1 : Math.max(code >>> ms, 1) - bias + 127);
  const scaleCode = (t: number, side: number): number => {
    const m = scale ? 2 ** scaleBits(scale) : 256;
    if (e8) return side === 0 ? (t % 5 === 0 ? 250 + rnd(6) : t % 5 === 1 ? rnd(20) : 100 + rnd(60)) : t % 7 === 0 ? 255 : 100 + rnd(60);
    return t % 7 === side ? nanCode : t % 3 === side ? 0 : rnd(m);
  };
  const t8 = productTable(fa, fb);
  const bBits = elementBits(fb);
  for (let t = 0; t < n; t++) {
    const a = Array.from({ length: k }, () => (t % 3 === 0 && rnd(2) ? 0 : rnd(na)));
    const b = Array.from({ length: k }, () => rnd(nb));
    const sa = Array.from({ length: ns }, () => scaleCode(t, 0));
    const sb = Array.from({ length: ns }, () => scaleCode(t, 1));
    const c = t % 4 === 0 ? 0 : ((rnd(2) << 31) | (rnd(256) << 23) | rnd(1 << 23)) >>> 0;
    const A = { elem: fa, codes: a, ...(scale ? { scale, scales: sa } : {}) };
    const B = { elem: fb, codes: b, ...(scale ? { scale, scales: sb } : {}) };
    const want = fusedDotAdd(kind, A, B, c) >>> 0;
    // the pieces
    const ps = a.map((x, i) => fusedProduct(fa, x, fb, b[i]));
    const cNan = (c & 0x7f800000) === 0x7f800000 && (c & 0x7fffff) !== 0;
    const cInf = (c & 0x7fffffff) === 0x7f800000;
    const pinf = ps.some((q) => q.special.pinf) || (cInf && c >>> 31 === 0);
    const ninf = ps.some((q) => q.special.ninf) || (cInf && c >>> 31 === 1);
    const scaleNan = sg !== null && [...sa, ...sb].some((x) => sg.nan[x]);
    const nan = cNan || scaleNan || ps.some((q) => q.special.nan) || (pinf && ninf);
    let got: number;
    if (nan) got = FUSED_NAN;
    else if (pinf || ninf) got = ninf ? 0xff800000 : 0x7f800000;
    else {
      const field = (c >>> 23) & 0xff;
      const cSig = BigInt((field !== 0 ? 1 << 23 : 0) | (c & 0x7fffff));
      const eC = (field === 0 ? 1 : field) - 127;
      // the terms beside C: (negative, magnitude, its fractional bits, exponent)
      const terms: { neg: boolean; m: bigint; fr: number; e: number }[] = [];
      if (shape.group === 1) {
        ps.forEach((q, i) => terms.push({ neg: q.neg, m: q.m, fr: fracOf(fa) + fracOf(fb), e: q.e + (scale ? gexp(sa[Math.floor(i / block)]) - 127 + gexp(sb[Math.floor(i / block)]) - 127 : 0) }));
      } else {
        // a group: |the exact sum of its products| times both decoded scale significands
        for (let g = 0; g < k; g += shape.group) {
          const q = Math.floor(g / block);
          let sum = 0n;
          for (let i = g; i < g + shape.group; i++) sum += t8.big[(a[i] << bBits) | b[i]];
          const s = sg as ScaleGolden;
          const m = (sum < 0n ? -sum : sum) * s.sig[sa[q]] * s.sig[sb[q]];
          terms.push({ neg: sum < 0n, m, fr: -t8.lsb + 2 * ms, e: gexp(sa[q]) - 127 + gexp(sb[q]) - 127 });
        }
      }
      const E = Math.max(eC, ...terms.map((x) => x.e));
      let sum = 0n;
      for (const x of terms) {
        const v = (x.m << BigInt(F - x.fr)) >> BigInt(E - x.e);
        sum += x.neg ? -v : v;
      }
      const cv = F >= 23 ? (cSig << BigInt(F - 23)) >> BigInt(E - eC) : (cSig >> BigInt(23 - F)) >> BigInt(E - eC);
      sum += c >>> 31 ? -cv : cv;
      got = roundGolden(FP32, sum < 0n, sum < 0n ? -sum : sum, E - F, { mode: 'toward-zero', keepFraction: shape.outFracBits }, 'positive');
    }
    if (got >>> 0 !== want) return `${kind} ${fa.name} x ${fb.name}${scale ? ` ${scale.name}` : ''}, instruction ${t}: the pieces give 0x${(got >>> 0).toString(16)}, fusedDotAdd 0x${want.toString(16)}`;
  }
  return null;
}

/** A positive element value's threshold to the next code: the midpoint (v_c + v_{c+1}) / 2 as 1.f * 2^e. */
export interface QuantMidpoint {
  /** the code below the midpoint (0 .. max - 1) */
  readonly code: number;
  /** exponent of the midpoint's leading one */
  readonly e: number;
  /** its 23 fraction bits below the leading one (exact: a midpoint has few bits) */
  readonly frac: number;
}

/**
 * The midpoints between neighbouring non-negative element values, from the golden element table:
 * x / scale rounds to code c + 1 above midpoint c, to c below it, and to the even one of the two
 * on it (ties away: to c + 1). Saturation needs no threshold: the top code has none above it.
 */
export function quantMidpoints(f: ElementFormat): QuantMidpoint[] {
  const t = elementTable(f);
  const max = elementMaxCode(f);
  const val = (c: number): { n: bigint; e: number } => ({ n: BigInt(t[c].sig), e: t[c].exp });
  const out: QuantMidpoint[] = [];
  for (let c = 0; c < max; c++) {
    const a = val(c);
    const b = val(c + 1);
    const lo = Math.min(a.e, b.e) - 1;
    const n = (a.n << BigInt(a.e - lo)) + (b.n << BigInt(b.e - lo)); // 2 * midpoint in units of 2^lo
    const bits = n.toString(2).length;
    const e = lo - 1 + bits - 1; // midpoint = n * 2^(lo - 1)
    if (bits - 1 > 23) throw new Error(`${f.name}: midpoint ${c} has more than 24 bits`);
    const frac = Number((n - (1n << BigInt(bits - 1))) << BigInt(23 - (bits - 1)));
    out.push({ code: c, e, frac });
  }
  return out;
}

/** The FP32 magnitude bits of 1.frac * 2^(e + sc - 127), or null when that is 2^128 or more (no finite value exceeds it). */
export function quantThreshold(m: QuantMidpoint, sc: number): number | null {
  const be = m.e + sc;
  if (be >= 255) return null;
  if (be >= 1) return ((be << 23) | m.frac) >>> 0;
  const sig = (1 << 23) | m.frac;
  const sh = 1 - be;
  if (sh > 24 || (sig & ((1 << sh) - 1)) !== 0) throw new Error(`threshold 1.${m.frac.toString(16)} * 2^${be - 127} is not an FP32 value`);
  return sig >>> sh;
}

/**
 * The reference lane, as the quantizer proof states it: the element code of FP32 value x (finite)
 * over scale 2^(sc - 127): |code| = the number of midpoints below |x|, plus one on a midpoint whose
 * lower code is odd (ties to even) or on any midpoint (ties away); the sign of x (INT8: two's
 * complement, one zero).
 */
export function quantRefLane(f: ElementFormat, mids: readonly QuantMidpoint[], x: number, sc: number, away: boolean): number {
  const mag = x & 0x7fffffff;
  let n = 0;
  for (const m of mids) {
    const t = quantThreshold(m, sc);
    if (t === null) continue;
    if (mag > t || (mag === t && (away || (m.code & 1) === 1))) n++;
  }
  const neg = x >>> 31 === 1;
  if (isIntFormat(f)) return neg && n !== 0 ? (256 - n) & 0xff : n;
  return (neg ? minifloatSignBit(f) : 0) | n;
}

/** An exact positive dyadic value n * 2^e. */
interface Dyadic {
  readonly n: bigint;
  readonly e: number;
}

const dyadicOf = (sig: number | bigint, exp: number): Dyadic => ({ n: BigInt(sig), e: exp });

function compareDyadic(a: Dyadic, b: Dyadic): number {
  const lo = Math.min(a.e, b.e);
  const x = a.n << BigInt(a.e - lo);
  const y = b.n << BigInt(b.e - lo);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The FP32 magnitude bits of an exact value, or null if it is not an FP32 value (too many bits, out of range). */
export function fp32KeyOf(d: Dyadic): number | null {
  if (d.n <= 0n) return d.n === 0n ? 0 : null;
  let n = d.n;
  let e = d.e;
  while ((n & 1n) === 0n) {
    n >>= 1n;
    e++;
  }
  const bits = n.toString(2).length;
  const top = e + bits - 1; // floor(log2)
  if (top > 127) return null;
  if (top >= -126) {
    if (bits > 24) return null;
    const frac = Number((n - (1n << BigInt(bits - 1))) << BigInt(24 - bits));
    return (((top + 127) << 23) | frac) >>> 0;
  }
  if (e < -149) return null;
  return Number(n << BigInt(e + 149));
}

/** The exact value of FP32 magnitude bits (finite, non-zero). */
function fp32Dyadic(mag: number): Dyadic {
  const ev = mag >>> 23;
  const fr = mag & 0x7fffff;
  return ev === 0 ? dyadicOf(fr, -149) : dyadicOf(fr | 0x800000, ev - 150);
}

const midpointDyadic = (m: QuantMidpoint): Dyadic => dyadicOf((1 << 23) | m.frac, m.e - 23);

/** The quantizer configurations the proof references cover. */
export interface QuantRefConfig {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly recipe: 'floor' | 'ceil' | 'nv';
  readonly guard: boolean;
}

/**
 * The nv scale thresholds: between neighbouring finite scale codes c and c + 1, max_elem times their
 * midpoint (amax above it rounds amax / max_elem to c + 1 or beyond; on it, to the even code).
 */
const thresholdCache = new Map<string, { code: number; key: number }[]>();

export function nvScaleThresholds(elem: ElementFormat, scale: ScaleFormat): { code: number; key: number }[] {
  const id = `${elem.name}/${scale.name}`;
  const hit = thresholdCache.get(id);
  if (hit) return hit;
  const mx = elementMax(elem);
  const out: { code: number; key: number }[] = [];
  for (let c = 0; c < scaleMaxCode(scale); c++) {
    const a = decodeScale(scale, c);
    const b = decodeScale(scale, c + 1);
    const lo = Math.min(a.exp, b.exp);
    const twice = (BigInt(a.sig) << BigInt(a.exp - lo)) + (BigInt(b.sig) << BigInt(b.exp - lo));
    const key = fp32KeyOf({ n: BigInt(mx.sig) * twice, e: mx.exp + lo - 1 });
    if (key === null) throw new Error(`${elem.name} / ${scale.name}: nv threshold ${c} is not an FP32 value`);
    out.push({ code: c, key });
  }
  thresholdCache.set(id, out);
  return out;
}

/** The reference scale of the power-of-two recipes with a UE4M3 / UE5M3 scale: the E8M0 codes of its powers of two, and their codes. */
export function pow2ScaleCodes(scale: ScaleFormat): { lo: number; hi: number; code: (sc: number) => number } {
  if (isE8M0(scale)) return { lo: 0, hi: 254, code: (sc) => sc };
  const lo = 127 + 1 - scale.bias - scale.mbits;
  const hi = 127 + scaleMaxPow2(scale);
  return { lo, hi, code: (sc) => scaleCodeOfPow2(scale, sc - 127) };
}

/**
 * The reference scale of a block with largest magnitude bits amax, as the quantizer proof states it:
 * the scale code, sc (what the lanes divide by: an E8M0 code for the power-of-two recipes, the scale
 * code for nv) and whether the block is flushed (a zero scale).
 */
export function quantRefScaleOf(c: QuantRefConfig, amax: number): { scale: number; sc: number; flush: boolean } {
  const nanCode = scaleNanCode(c.scale);
  let sc: number;
  let code: number;
  let flush: boolean;
  if (c.recipe === 'nv') {
    let n = 0;
    for (const t of nvScaleThresholds(c.elem, c.scale)) if (amax > t.key || (amax === t.key && (t.code & 1) === 1)) n++;
    code = c.guard && n === 0 ? 1 : n;
    sc = code;
    flush = code === 0;
  } else {
    const range = pow2ScaleCodes(c.scale);
    const r = quantRefScale(c.elem, c.recipe, amax, range);
    sc = r.sc;
    code = range.code(sc);
    flush = r.under && !c.guard && !isE8M0(c.scale);
  }
  const ev = amax >>> 23;
  return { scale: ev === 0xff ? nanCode : amax === 0 || flush ? 0 : code, sc, flush };
}

/** The reference lane of an nv quantizer: |code| = the midpoints below |x| / S (S the value of scale code sc, positive), the tie rule, x's sign. */
export function quantRefLaneDiv(f: ElementFormat, scale: ScaleFormat, mids: readonly QuantMidpoint[], x: number, sc: number, away: boolean): number {
  const mag = x & 0x7fffffff;
  const s = decodeScale(scale, sc);
  let n = 0;
  if (mag !== 0) {
    const v = fp32Dyadic(mag);
    for (const m of mids) {
      const md = midpointDyadic(m);
      const c = compareDyadic(v, { n: md.n * BigInt(s.sig), e: md.e + s.exp });
      if (c > 0 || (c === 0 && (away || (m.code & 1) === 1))) n++;
    }
  }
  const neg = x >>> 31 === 1;
  if (isIntFormat(f)) return neg && n !== 0 ? (256 - n) & 0xff : n;
  return (neg ? minifloatSignBit(f) : 0) | n;
}

/** The reference scale code of a block with largest magnitude bits amax, as the quantizer proof states it. */
export function quantRefScale(f: ElementFormat, recipe: 'floor' | 'ceil', amax: number, range: { lo: number; hi: number } = { lo: 0, hi: 254 }): { scale: number; sc: number; under: boolean } {
  const ea = amax >>> 23;
  const afr = amax & 0x7fffff;
  let fl: number; // floor(log2 amax) + 149
  let sig: number; // amax's significand with its leading one at bit 23
  if (ea !== 0) {
    fl = ea + 22;
    sig = (1 << 23) | afr;
  } else {
    let p = 22;
    while (p > 0 && ((afr >>> p) & 1) === 0) p--;
    fl = p;
    sig = (afr << (23 - p)) & 0xffffff;
  }
  const mx = elementMax(f);
  const mxSig = BigInt(mx.sig);
  const ceilSig = Number(mxSig << BigInt(24 - mxSig.toString(2).length));
  const t = fl + (recipe === 'ceil' && sig > ceilSig ? 1 : 0);
  const off = 22 + elementEmax(f);
  const sc = t < off + range.lo ? range.lo : t > off + range.hi ? range.hi : t - off;
  return { scale: ea === 0xff ? 0xff : amax === 0 ? 0 : sc, sc, under: t < off + range.lo };
}

/**
 * That the golden quantizer is what the quantizer proof composes: scale and sc = quantRefScaleOf(max |x_i|),
 * each code the reference lane of x_i over sc (quantRefLane over a power of two, quantRefLaneDiv over
 * an nv scale), all codes 0 for a block with NaN or Inf and zeros of the values' signs for a flushed
 * block; checked against quantizeBlockReference on `n` pseudo-random adversarial blocks. The first
 * disagreement, or null.
 */
export function checkQuantDecomposition(c: QuantRefConfig, away: boolean, k: number, n: number): string | null {
  const f = c.elem;
  const mids = quantMidpoints(f);
  let seed = 0x1b873593;
  const rnd = (m: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % m;
  };
  const out = new Uint8Array(k);
  const name = `${f.name} ${c.scale.name} ${c.recipe}${c.guard ? ' guard' : ''}`;
  for (let t = 0; t < n; t++) {
    // exponents anywhere, or (half the blocks) within the reach of a UE4M3 / UE5M3 scale
    const e = t % 2 ? rnd(260) : 100 + rnd(50);
    const block = Array.from({ length: k }, () => {
      const kind = rnd(8);
      const s = rnd(2) << 31;
      if (kind === 0) return s >>> 0;
      if (kind === 1) return (s | rnd(1 << 23)) >>> 0; // subnormal
      if (kind === 2 && t % 9 === 0) return (s | 0x7f800000 | rnd(2)) >>> 0; // Inf or NaN
      const ev = Math.max(0, Math.min(254, e - rnd(12)));
      return (s | (ev << 23) | (rnd(4) === 0 ? 0 : rnd(1 << 23))) >>> 0;
    });
    const want = quantizeBlockReference(block, 0, { elem: f, scale: c.scale, blockSize: k, recipe: c.recipe, round: away ? 'away' : 'rne', guard: c.guard }, out, 0);
    const amax = block.reduce((m, x) => Math.max(m, x & 0x7fffffff), 0);
    const { scale, sc, flush } = quantRefScaleOf(c, amax);
    if (scale !== want) return `${name} block ${t}: reference scale ${scale}, golden ${want}`;
    const special = amax >>> 23 === 0xff;
    for (let i = 0; i < k; i++) {
      const zero = isIntFormat(f) ? 0 : block[i] >>> 31 ? minifloatSignBit(f) : 0;
      const q = special ? 0 : flush ? zero : c.recipe === 'nv' ? quantRefLaneDiv(f, c.scale, mids, block[i], sc, away) : quantRefLane(f, mids, block[i], sc, away);
      if (q !== out[i]) return `${name} block ${t} element ${i} (0x${block[i].toString(16)}): reference code 0x${q.toString(16)}, golden 0x${out[i].toString(16)}`;
    }
  }
  return null;
}
