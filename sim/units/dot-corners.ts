/**
 * Directed vectors of the dot product, derived from the formats of the configuration, one list per
 * class, and the check that each vector really is in its class. Construction aims a block's exact
 * value at a class (a scale pair chosen for it); the check then recomputes everything from the
 * golden model (exact products, the scales, dotBlock) and keeps a vector only in a class it
 * belongs to, so the class counts in the summary are true.
 *
 * A class that the configuration cannot reach (no NaN codes in the formats, no result small enough
 * to be subnormal, ...) is reported as such; one that it can reach but for which no vector was
 * found is an error, so a weakened generator cannot pass unnoticed.
 */
import { decodeScale } from '../../src/formats/format.js';
import { floatInf, floatQuietNan, type FloatFormat } from '../../src/formats/float.js';
import { dotBlock } from '../../src/dot.js';
import { productTable, type DotKernel, type ProductTable } from '../../src/dot-kernel.js';
import { hex32 } from '../../src/fp32.js';
import { roundToFloat } from '../../src/round-float.js';
import type { DotParams } from '../../generator/units/dot.js';
import type { Xoshiro128 } from '../prng.js';
import { elementCodes, scaleCodes, type ElementCodes, type ScaleCodes } from './codes.js';

export const DOT_CLASSES = [
  'lane-pairs',
  'all-zero',
  'all-max',
  'cancel-to-zero',
  'nan-scale',
  'scale-extremes',
  'nan-element',
  'inf-element',
  'inf-minus-inf',
  'inf-times-zero',
  'inf-zero-scale',
  'subnormal',
  'underflow-to-zero',
  'overflow-inf',
  'max-exponent-finite',
  'tie-even',
  'tie-odd',
] as const;

export type DotClass = (typeof DOT_CLASSES)[number];

export const CLASS_MEANING: Record<DotClass, string> = {
  'lane-pairs': 'every (a, b) code pair alone on a lane, scales 1 (all pairs on every lane up to 256 pairs and k <= 64; else all on the first and last lane, a sample on the others)',
  'all-zero': 'blocks of +-0 elements on one or both sides',
  'all-max': 'blocks of +-max elements (the largest products), at extreme scales',
  'cancel-to-zero': 'non-zero products of both signs summing to exactly 0',
  'nan-scale': 'scale_a and/or scale_b NaN',
  'scale-extremes': 'a scale at its smallest or largest codes',
  'nan-element': 'a NaN element in the block',
  'inf-element': 'an Inf element times a non-zero finite one: Inf of the product sign',
  'inf-minus-inf': '+Inf and -Inf products in one block: NaN',
  'inf-times-zero': 'an Inf element times a zero: NaN',
  'inf-zero-scale': 'an infinite sum times a zero scale: NaN',
  subnormal: 'results in the subnormal range of the result format',
  'underflow-to-zero': 'non-zero values rounding to a zero of their sign',
  'overflow-inf': 'finite values rounding to +-Inf',
  'max-exponent-finite': 'finite results in the top binade of the result format',
  'tie-even': 'exact half-ulp ties, lower neighbour even (rounds down)',
  'tie-odd': 'exact half-ulp ties, lower neighbour odd (rounds up)',
};

export interface DotVector {
  readonly a: Uint8Array;
  readonly b: Uint8Array;
  readonly sa: number;
  readonly sb: number;
  readonly cls: DotClass;
}

/** Everything the classes are decided from, computed from the golden model. */
export interface DotFacts {
  readonly nan: boolean;
  /** +1 / -1 for an infinite exact result, 0 otherwise */
  readonly inf: number;
  /** exact sum of the products, units of 2^lsb */
  readonly sum: bigint;
  /** the exact value: (-1)^neg * mag * 2^exp (finite results) */
  readonly neg: boolean;
  readonly mag: bigint;
  readonly exp: number;
  readonly result: number;
  readonly anyProduct: boolean;
}

/** The configuration as the corners see it. */
export interface DotSpace {
  readonly p: DotParams;
  readonly ta: ElementCodes;
  readonly tb: ElementCodes;
  readonly sc: ScaleCodes;
  readonly prod: ProductTable;
  readonly kernel: DotKernel;
  readonly out: FloatFormat;
  readonly M: number;
  readonly emin: number;
  readonly emax: number;
  readonly qmin: number;
}

export function dotSpace(p: DotParams, kernel: DotKernel): DotSpace {
  const out = p.out;
  const emin = 1 - out.bias;
  return {
    p,
    ta: elementCodes(p.a),
    tb: elementCodes(p.b),
    sc: scaleCodes(p.scale),
    prod: productTable(p.a, p.b),
    kernel,
    out,
    M: out.mbits,
    emin,
    emax: 2 ** out.ebits - 2 - out.bias,
    qmin: emin - out.mbits,
  };
}

function bitLen(x: bigint): number {
  return x === 0n ? 0 : x.toString(2).length;
}

function tz(x: bigint): number {
  let n = 0;
  while (x !== 0n && (x & 1n) === 0n) {
    x >>= 1n;
    n++;
  }
  return n;
}

/** The exact facts of a vector; the result from dotBlock, checked against the fast kernel. */
export function facts(s: DotSpace, v: { a: ArrayLike<number>; b: ArrayLike<number>; sa: number; sb: number }): DotFacts {
  const t = s.prod;
  let sum = 0n;
  let fl = 0;
  let anyProduct = false;
  for (let i = 0; i < v.a.length; i++) {
    const j = (v.a[i] << t.bBits) | v.b[i];
    sum += t.big[j];
    fl |= t.flags[j];
    if (t.big[j] !== 0n) anyProduct = true;
  }
  const ra = decodeScale(s.p.scale, v.sa);
  const rb = decodeScale(s.p.scale, v.sb);
  const result = dotBlock(s.p.a, v.a, s.p.b, v.b, ra, rb, s.out) >>> 0;
  const fast = s.kernel(v.a, 0, v.b, 0, v.a.length, v.sa, v.sb) >>> 0;
  if (fast !== result) {
    throw new Error(`golden model: dotKernel gives ${hex32(fast)} but dotBlock gives ${hex32(result)} for a=[${Array.from(v.a)}] b=[${Array.from(v.b)}] scales ${v.sa}, ${v.sb}`);
  }
  const zeroScale = (!ra.nan && BigInt(ra.sig) === 0n) || (!rb.nan && BigInt(rb.sig) === 0n);
  const nan = ra.nan || rb.nan || (fl & 1) !== 0 || ((fl & 2) !== 0 && (fl & 4) !== 0) || ((fl & 6) !== 0 && zeroScale);
  const inf = nan ? 0 : fl & 2 ? 1 : fl & 4 ? -1 : 0;
  const absSum = sum < 0n ? -sum : sum;
  const mag = ra.nan || rb.nan ? 0n : absSum * BigInt(ra.sig) * BigInt(rb.sig);
  return { nan, inf, sum, neg: sum < 0n, mag, exp: t.lsb + ra.exp + rb.exp, result, anyProduct };
}

/** Position of the leading one of the exact value (it lies in [2^top, 2^(top+1))). */
function topOf(f: DotFacts): number {
  return bitLen(f.mag) - 1 + f.exp;
}

/** The tie a value makes, if any: halfway between two neighbours of the result format. */
function tieOf(s: DotSpace, f: DotFacts): { lowerOdd: boolean } | null {
  if (f.nan || f.inf !== 0 || f.mag === 0n) return null;
  const top = topOf(f);
  if (top > s.emax) return null;
  const q = Math.max(top, s.emin) - s.M;
  const sh = q - f.exp;
  if (sh < 1) return null;
  const unit = 1n << BigInt(sh);
  if (f.mag % unit !== unit / 2n) return null;
  return { lowerOdd: ((f.mag >> BigInt(sh)) & 1n) === 1n };
}

/** Does the vector belong to its class? Returns the reason when it does not. */
export function checkClass(s: DotSpace, v: DotVector, f: DotFacts = facts(s, v)): string | null {
  const signBit = 2 ** (s.out.ebits + s.out.mbits);
  const mag = f.result % signBit;
  const resultNeg = f.result >= signBit;
  const expField = Math.floor(mag / 2 ** s.M);
  const infCode = floatInf(s.out, false);
  const qnan = floatQuietNan(s.out);
  const finite = !f.nan && f.inf === 0;
  const signMatches = resultNeg === f.neg;
  const ok = (cond: boolean, why: string): string | null => (cond ? null : why);
  const scaleNan = v.sa === s.sc.nan || v.sb === s.sc.nan;
  switch (v.cls) {
    case 'lane-pairs': {
      let lanes = 0;
      for (let i = 0; i < v.a.length; i++) if (v.a[i] !== 0 || v.b[i] !== 0) lanes++;
      return ok(lanes <= 1 && !scaleNan, 'more than one lane used, or a NaN scale');
    }
    case 'all-zero':
      return ok(!f.anyProduct && finite && f.result === 0, 'a product is non-zero or the result is not +0');
    case 'all-max': {
      let all = finite;
      for (let i = 0; i < v.a.length; i++) {
        if (v.a[i] !== s.ta.maxPos && v.a[i] !== s.ta.maxNeg) all = false;
        if (v.b[i] !== s.tb.maxPos && v.b[i] !== s.tb.maxNeg) all = false;
      }
      return ok(all, 'an element is not +-max, or the result is not finite');
    }
    case 'cancel-to-zero':
      return ok(finite && f.anyProduct && f.sum === 0n && f.result === 0, 'the products do not cancel to +0');
    case 'nan-scale':
      return ok(scaleNan && f.result === qnan, 'no NaN scale, or the result is not the quiet NaN');
    case 'scale-extremes': {
      const ext = [0, 1, s.sc.max - 1, s.sc.max];
      return ok(!scaleNan && (ext.includes(v.sa) || ext.includes(v.sb)), 'no scale at an extreme code');
    }
    case 'nan-element': {
      const has = Array.from(v.a).some((c) => s.ta.nans.includes(c)) || Array.from(v.b).some((c) => s.tb.nans.includes(c));
      return ok(has && f.result === qnan, 'no NaN element, or the result is not the quiet NaN');
    }
    case 'inf-element':
      return ok(f.inf !== 0 && mag === infCode && resultNeg === f.inf < 0, 'the result is not the Inf of an infinite product');
    case 'inf-minus-inf':
    case 'inf-times-zero':
    case 'inf-zero-scale':
      return ok(f.nan && f.result === qnan && !scaleNan, 'the result is not a NaN made from Inf');
    case 'subnormal':
      return ok(finite && f.mag !== 0n && topOf(f) < s.emin && expField === 0 && mag !== 0 && signMatches, 'the result is not a subnormal');
    case 'underflow-to-zero':
      return ok(finite && f.mag !== 0n && mag === 0 && signMatches, "the result is not a zero of the value's sign");
    case 'overflow-inf':
      return ok(finite && f.mag !== 0n && mag === infCode && signMatches, 'the finite value does not round to Inf');
    case 'max-exponent-finite':
      return ok(finite && f.mag !== 0n && topOf(f) === s.emax && expField === 2 ** s.out.ebits - 2 && signMatches, 'the result is not finite in the top binade');
    case 'tie-even':
    case 'tie-odd': {
      const t = tieOf(s, f);
      if (!t || t.lowerOdd !== (v.cls === 'tie-odd')) return `not a tie with an ${v.cls === 'tie-odd' ? 'odd' : 'even'} lower neighbour`;
      return ok(signMatches || mag === 0, 'the result has the wrong sign');
    }
  }
}

/** Why a class cannot occur in this configuration, or null when it can. */
export function unreachable(s: DotSpace): Partial<Record<DotClass, string>> & { readonly range: { minTop: number; maxTop: number } } {
  const r: Partial<Record<DotClass, string>> = {};
  const hasNan = s.ta.nans.length > 0 || s.tb.nans.length > 0;
  const hasInf = s.ta.pinf !== null || s.tb.pinf !== null;
  if (!hasNan) r['nan-element'] = 'no NaN element codes';
  if (!hasInf) {
    for (const c of ['inf-element', 'inf-minus-inf', 'inf-times-zero', 'inf-zero-scale'] as const) r[c] = 'no Inf element codes';
  } else if (s.sc.zero === null) r['inf-zero-scale'] = 'the scale format has no zero';
  if (s.p.block < 2) r['cancel-to-zero'] = 'one product cannot cancel';
  if (s.p.block < 2 && hasInf) r['inf-minus-inf'] = 'one lane holds one product';
  // the value range of non-zero finite results, exactly
  const byValue = (x: { sig: bigint; exp: number }, y: { sig: bigint; exp: number }): number => {
    const e = Math.min(x.exp, y.exp);
    const vx = x.sig << BigInt(x.exp - e);
    const vy = y.sig << BigInt(y.exp - e);
    return vx < vy ? -1 : vx > vy ? 1 : 0;
  };
  const minScale = s.sc.codes.reduce((m, c) => (byValue(c, m) < 0 ? c : m));
  const maxScale = s.sc.codes.reduce((m, c) => (byValue(c, m) > 0 ? c : m));
  const minMag = minScale.sig * minScale.sig; // the smallest |product| is 2^lsb
  const minExp = s.prod.lsb + 2 * minScale.exp;
  const minTop = bitLen(minMag) - 1 + minExp;
  const sumMax = s.prod.maxAbs * BigInt(s.p.block);
  const maxMag = sumMax * maxScale.sig * maxScale.sig;
  const maxExp = s.prod.lsb + 2 * maxScale.exp;
  const maxTop = bitLen(maxMag) - 1 + maxExp;
  // minMag * 2^minExp <= 2^(qmin - 1)
  const d = s.qmin - 1 - minExp;
  const minAtMostHalfSub = d >= 0 ? minMag <= 1n << BigInt(d) : false;
  if (minTop >= s.emin) r.subnormal = `no non-zero result is below 2^${s.emin} (the smallest is 2^${minTop} or more)`;
  if (!minAtMostHalfSub) r['underflow-to-zero'] = `no non-zero result is as small as 2^${s.qmin - 1} (the smallest is 2^${minTop} or more)`;
  if (roundToFloat(s.out, false, maxMag, maxExp) !== floatInf(s.out, false)) r['overflow-inf'] = `the largest result (below 2^${maxTop + 1}) does not overflow`;
  if (maxTop < s.emax) r['max-exponent-finite'] = `no result reaches 2^${s.emax} (the largest is below 2^${maxTop + 1})`;
  // a tie needs M + 2 significant bits from the top one to the lowest one; a sum of several products
  // can span the whole range of the sum, one product only the span of its own odd part
  const oddPart = (x: bigint): bigint => (x === 0n ? 0n : x >> BigInt(tz(x)));
  const oddSig = s.sc.codes.reduce((m, c) => (oddPart(c.sig) > m ? oddPart(c.sig) : m), 0n);
  const oddProd = s.prod.big.reduce((m, x) => (oddPart(x < 0n ? -x : x) > m ? oddPart(x < 0n ? -x : x) : m), 0n);
  const span = s.p.block === 1 ? bitLen(oddProd * oddSig * oddSig) : bitLen(maxMag);
  const normalTies = span >= s.M + 2 && maxTop >= s.emin;
  const subTies = minAtMostHalfSub && maxTop >= s.qmin - 1;
  if (!normalTies && !subTies) {
    const why = `every result is exact (at most ${span} significant bits, none below 2^${s.qmin})`;
    r['tie-even'] = why;
    r['tie-odd'] = why;
  }
  return Object.assign(r, { range: { minTop, maxTop } });
}

// ---------------------------------------------------------------------------------------------
// construction

type BlockMode = 'uniform' | 'small' | 'positive' | 'large' | 'sparse1' | 'sparse2' | 'sparse3' | 'large+odd';
const BLOCK_MODES: readonly BlockMode[] = ['uniform', 'small', 'positive', 'large', 'sparse1', 'sparse2', 'sparse3', 'large+odd'];

function randomBlock(rng: Xoshiro128, t: ElementCodes, k: number, mode: BlockMode, lanes?: readonly number[]): Uint8Array {
  const x = new Uint8Array(k);
  const table = mode === 'small' ? t.draw.small : mode === 'positive' ? t.draw.positive : mode === 'large' || mode === 'large+odd' ? t.draw.large : t.draw.finite;
  if (lanes) {
    for (const i of lanes) x[i] = table[rng.next() & 255];
    return x;
  }
  for (let i = 0; i < k; i++) x[i] = table[rng.next() & 255];
  return x;
}

/** A random finite block pair with a non-zero exact sum. */
function nonZeroPair(s: DotSpace, rng: Xoshiro128): { a: Uint8Array; b: Uint8Array; sum: bigint } {
  const k = s.p.block;
  for (let tries = 0; ; tries++) {
    const mode = BLOCK_MODES[rng.below(BLOCK_MODES.length)];
    const n = mode === 'sparse1' ? 1 : mode === 'sparse2' ? 2 : mode === 'sparse3' ? 3 : 0;
    const lanes = n > 0 ? Array.from({ length: Math.min(n, k) }, () => rng.below(k)) : undefined;
    const a = randomBlock(rng, s.ta, k, mode, lanes);
    const b = randomBlock(rng, s.tb, k, mode, lanes);
    if (mode === 'large+odd') {
      // the largest sums, made odd by one product of a single unit
      for (let i = 1; i < k; i++) {
        if (rng.next() & 1) a[i] = s.ta.maxPos;
        if (rng.next() & 1) b[i] = s.tb.maxPos;
      }
      a[0] = s.ta.minPos;
      b[0] = s.tb.minPos;
    }
    let sum = 0n;
    for (let i = 0; i < k; i++) sum += s.prod.big[(a[i] << s.prod.bBits) | b[i]];
    if (sum !== 0n) return { a, b, sum };
    if (tries > 10000) throw new Error('no block with a non-zero sum found');
  }
}

/**
 * A scale pair that puts the leading one of |sum| * sa * sb * 2^lsb at 2^top, or null. E8M0 scales
 * are powers of two and are solved for directly; minifloat scales are searched.
 */
function scalesForTop(s: DotSpace, rng: Xoshiro128, absSum: bigint, top: number): [number, number] | null {
  const lbS = bitLen(absSum) - 1 + s.prod.lsb;
  const sc = s.sc;
  for (let t = 0; t < 48; t++) {
    const ca = sc.codes[rng.below(sc.codes.length)];
    const withA = absSum * ca.sig;
    const baseTop = bitLen(withA) - 1 + s.prod.lsb + ca.exp;
    const want = top - baseTop; // floor(log2) of B, or one less when the significands carry
    for (const lb of [want, want - 1]) {
      const list = sc.byLb.get(lb);
      if (!list) continue;
      for (let u = 0; u < Math.min(4, list.length); u++) {
        const cb = list[rng.below(list.length)];
        const rb = decodeScale(s.p.scale, cb);
        const mag = withA * BigInt(rb.sig);
        if (bitLen(mag) - 1 + s.prod.lsb + ca.exp + rb.exp === top) return rng.next() & 1 ? [ca.code, cb] : [cb, ca.code];
      }
    }
    if (lbS + 2 * sc.lbMax < top || lbS + 2 * sc.lbMin > top + 2) return null;
  }
  return null;
}

/** Scales for an exact tie, or null: in the normal range, or on the subnormal grid. */
function scalesForTie(s: DotSpace, rng: Xoshiro128, absSum: bigint): [number, number] | null {
  const sc = s.sc;
  const pow2 = sc.codes.every((c) => c.sig === 1n); // E8M0: any pair moves the value without changing its bits
  const maxSig = sc.codes.reduce((m, c) => (c.sig > m ? c.sig : m), 0n);
  const widest = sc.codes.filter((c) => c.sig === maxSig);
  const pick = (): (typeof sc.codes)[number] => (rng.next() & 1 ? widest[rng.below(widest.length)] : sc.codes[rng.below(sc.codes.length)]);
  for (let t = 0; t < 64; t++) {
    const ca = pick();
    const cb = pick();
    const mag = absSum * ca.sig * cb.sig;
    const exp = s.prod.lsb + ca.exp + cb.exp;
    const z = tz(mag);
    const oddBits = bitLen(mag) - z;
    const top = bitLen(mag) - 1 + exp;
    if (oddBits === s.M + 2) {
      // a tie in the normal range, wherever the value lands there
      if (top >= s.emin && top <= s.emax) return [ca.code, cb.code];
      if (pow2) return scalesForTop(s, rng, absSum, s.emin + rng.below(Math.max(1, s.emax - s.emin)));
    }
    if (oddBits <= s.M + 1) {
      // a subnormal tie: the lowest one at 2^(qmin - 1)
      if (z + exp === s.qmin - 1) return [ca.code, cb.code];
      if (pow2) return scalesForTop(s, rng, absSum, s.qmin - 1 + oddBits - 1);
    }
  }
  return null;
}

/**
 * The directed vectors. Every vector is checked against its class; classes the configuration
 * cannot reach are listed in `missing` with the reason.
 */
export function dotCorners(s: DotSpace, rng: Xoshiro128): { vectors: DotVector[]; missing: Partial<Record<DotClass, string>> } {
  const k = s.p.block;
  const out: DotVector[] = [];
  const perClass = new Map<DotClass, number>();
  const add = (cls: DotClass, a: Uint8Array, b: Uint8Array, sa: number, sb: number): boolean => {
    const v: DotVector = { a, b, sa, sb, cls };
    if (checkClass(s, v) !== null) return false;
    out.push(v);
    perClass.set(cls, (perClass.get(cls) ?? 0) + 1);
    return true;
  };
  const must = (cls: DotClass, a: Uint8Array, b: Uint8Array, sa: number, sb: number): void => {
    const v: DotVector = { a, b, sa, sb, cls };
    const why = checkClass(s, v);
    if (why !== null) throw new Error(`directed vector of class ${cls} misses it: ${why} (a=[${Array.from(a)}] b=[${Array.from(b)}] scales ${sa}, ${sb})`);
    out.push(v);
    perClass.set(cls, (perClass.get(cls) ?? 0) + 1);
  };
  const sc = s.sc;
  const one = sc.one;
  const finiteScale = (): number => sc.codes[rng.below(sc.codes.length)].code;
  const missing = unreachable(s);

  // every code pair alone on a lane
  const pairs = s.ta.count * s.tb.count;
  const fullLanes = pairs <= 256 && k <= 64 ? Array.from({ length: k }, (_, i) => i) : [...new Set([0, k - 1])];
  const sampled = pairs <= 256 && k <= 64 ? [] : Array.from({ length: Math.min(k, 64) }, (_, i) => (i * 7919) % k).filter((i) => !fullLanes.includes(i));
  perClass.set('lane-pairs', 0);
  for (const lane of [...fullLanes, ...sampled]) {
    const n = fullLanes.includes(lane) ? pairs : 256;
    for (let q = 0; q < n; q++) {
      const pq = fullLanes.includes(lane) ? q : rng.below(pairs);
      const a = new Uint8Array(k);
      const b = new Uint8Array(k);
      a[lane] = Math.floor(pq / s.tb.count);
      b[lane] = pq % s.tb.count;
      out.push({ a, b, sa: one, sb: one, cls: 'lane-pairs' });
      perClass.set('lane-pairs', (perClass.get('lane-pairs') ?? 0) + 1);
    }
  }

  const extremes = [0, 1, sc.max - 1, sc.max].filter((c) => c !== sc.nan);
  const scaleSet = [...extremes, one];
  const zerosOf = (t: ElementCodes): Uint8Array => randomBlock(rng, t, k, 'uniform').map((c) => (t.format.name === 'int8' ? 0 : c & (t.count / 2)));
  for (const sa of [...scaleSet, finiteScale()]) {
    for (const sb of [...scaleSet, finiteScale()]) {
      must('all-zero', zerosOf(s.ta), randomBlock(rng, s.tb, k, 'uniform'), sa, sb);
      must('all-zero', randomBlock(rng, s.ta, k, 'uniform'), zerosOf(s.tb), sa, sb);
      must('all-zero', zerosOf(s.ta), zerosOf(s.tb), sa, sb);
    }
  }
  for (const e of extremes) {
    for (let n = 0; n < 25; n++) {
      const other = n % 5 === 0 ? e : finiteScale();
      const [sa, sb] = n % 2 ? [e, other] : [other, e];
      must('scale-extremes', randomBlock(rng, s.ta, k, 'uniform'), randomBlock(rng, s.tb, k, n % 3 ? 'uniform' : 'small'), sa, sb);
    }
  }

  const maxPatterns = (t: ElementCodes): ((i: number) => number)[] => [() => t.maxPos, () => t.maxNeg, (i) => (i & 1 ? t.maxNeg : t.maxPos), () => (rng.next() & 1 ? t.maxNeg : t.maxPos)];
  const maxScales = [...extremes, one, finiteScale(), finiteScale()];
  for (const pa of maxPatterns(s.ta)) {
    for (const pb of maxPatterns(s.tb)) {
      for (const sa of maxScales) {
        for (const sb of maxScales) add('all-max', new Uint8Array(k).map((_, i) => pa(i)), new Uint8Array(k).map((_, i) => pb(i)), sa, sb);
      }
    }
  }

  if (k >= 2) {
    for (let n = 0; n < 200; n++) {
      const h = Math.floor(k / 2);
      const a = randomBlock(rng, s.ta, k, 'uniform');
      const b = randomBlock(rng, s.tb, k, n % 2 ? 'small' : 'uniform');
      for (let i = 0; i < h; i++) {
        a[h + i] = a[i];
        b[h + i] = s.tb.neg(b[i]);
      }
      if (k % 2 === 1) a[k - 1] = 0;
      add('cancel-to-zero', a, b, finiteScale(), finiteScale());
    }
  }

  for (let n = 0; n < 150; n++) {
    const a = randomBlock(rng, s.ta, k, 'uniform');
    const b = randomBlock(rng, s.tb, k, 'uniform');
    const which = n % 3;
    must('nan-scale', a, b, which === 1 ? finiteScale() : sc.nan, which === 2 ? finiteScale() : sc.nan);
  }

  const lane = (): number => rng.below(k);
  if (!missing['nan-element']) {
    for (let n = 0; n < 200; n++) {
      const a = randomBlock(rng, s.ta, k, 'uniform');
      const b = randomBlock(rng, s.tb, k, 'uniform');
      const useA = s.ta.nans.length > 0 && (s.tb.nans.length === 0 || n % 2 === 0);
      const t = useA ? s.ta : s.tb;
      (useA ? a : b)[lane()] = t.nans[rng.below(t.nans.length)];
      must('nan-element', a, b, finiteScale(), finiteScale());
    }
  }
  if (!missing['inf-element']) {
    const infSide = s.ta.pinf !== null ? 'a' : 'b';
    const ti = infSide === 'a' ? s.ta : s.tb;
    const to = infSide === 'a' ? s.tb : s.ta;
    const isZero = (t: ElementCodes, c: number): boolean => s.prod.big.length > 0 && (t.format.name === 'int8' ? c === 0 : (c & (t.count / 2 - 1)) === 0);
    const positive = (): number => {
      for (;;) {
        const c = to.draw.positive[rng.next() & 255];
        if (!isZero(to, c)) return c;
      }
    };
    const negative = (): number => to.draw.negative[rng.next() & 255];
    const zero = (): number => (rng.next() & 1 && to.format.name !== 'int8' ? to.count / 2 : 0);
    const nonZeroScale = (): number => {
      for (;;) {
        const c = finiteScale();
        if (c !== sc.zero) return c;
      }
    };
    /** A finite block pair with lane i = (Inf code, partner) on the Inf side. */
    const block = (lanes: [number, number, number][]): [Uint8Array, Uint8Array] => {
      const a = randomBlock(rng, s.ta, k, 'uniform');
      const b = randomBlock(rng, s.tb, k, 'uniform');
      for (const [i, inf, other] of lanes) {
        if (infSide === 'a') [a[i], b[i]] = [inf, other];
        else [b[i], a[i]] = [inf, other];
      }
      return [a, b];
    };
    const pinf = ti.pinf ?? 0;
    const ninf = ti.ninf ?? 0;
    for (let n = 0; n < 200; n++) {
      const i = lane();
      const j = (i + 1 + rng.below(Math.max(1, k - 1))) % k;
      const inf = n % 2 ? ninf : pinf;
      add('inf-element', ...block([[i, inf, n % 4 < 2 ? positive() : negative()]]), nonZeroScale(), nonZeroScale());
      if (k >= 2) add('inf-minus-inf', ...block([[i, pinf, positive()], [j, pinf, negative()]]), nonZeroScale(), nonZeroScale());
      add('inf-times-zero', ...block([[i, inf, zero()]]), nonZeroScale(), nonZeroScale());
      if (!missing['inf-zero-scale'] && sc.zero !== null) {
        const [a, b] = block([[i, inf, positive()]]);
        add('inf-zero-scale', a, b, n % 2 ? sc.zero : nonZeroScale(), n % 2 ? nonZeroScale() : sc.zero);
      }
    }
  }

  // value classes: aim each block's exact value at the class
  const { minTop, maxTop } = missing.range;
  const within = (lo: number, hi: number): number => (lo >= hi ? lo : lo + rng.below(hi - lo + 1));
  const targets: [DotClass, () => number | 'tie'][] = [
    ['subnormal', () => within(Math.max(s.qmin - 1, minTop), s.emin - 1)],
    ['underflow-to-zero', () => within(Math.max(s.qmin - 14, minTop), s.qmin - 1)],
    ['overflow-inf', () => within(s.emax, Math.min(s.emax + 8, maxTop))],
    ['max-exponent-finite', () => s.emax],
    ['tie-even', () => 'tie'],
    ['tie-odd', () => 'tie'],
  ];
  const quota = 200;
  for (const [cls, target] of targets) {
    if (cls in missing) continue;
    let got = 0;
    for (let tries = 0; tries < 40 * quota && got < quota; tries++) {
      const { a, b, sum } = nonZeroPair(s, rng);
      const absSum = sum < 0n ? -sum : sum;
      const t = target();
      const pair = t === 'tie' ? scalesForTie(s, rng, absSum) : scalesForTop(s, rng, absSum, t);
      if (pair && add(cls, a, b, pair[0], pair[1])) got++;
    }
  }
  for (const c of DOT_CLASSES) {
    if ((perClass.get(c) ?? 0) === 0 && !(c in missing)) {
      throw new Error(`dot corners for ${s.p.a.name} x ${s.p.b.name}, ${s.p.scale.name}, ${s.out.name}, k = ${k}: class ${c} is reachable but no vector was found`);
    }
  }
  return { vectors: out, missing };
}
