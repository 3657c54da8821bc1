/**
 * Directed vectors of the dot product, one list per class, and the check that each vector
 * really is in its class. Construction picks scales from the exact sum of the block; the check
 * then recomputes everything from the golden model (exact products, the generic dot path) and
 * fails loudly when a vector misses its class, so the class counts in the summary are true.
 *
 * Sums of k FP4 products have at most 13 significant bits, so a result in the FP32 normal range is
 * always exact: every rounding, and so every round-to-nearest-even tie, happens in the subnormal
 * range, where the ulp is 2^-149.
 */
import { dotE2M1E8M0, dotE2M1E8M0Generic } from '../../src/dot.js';
import { E8M0_BIAS, E8M0_NAN } from '../../src/formats/e8m0.js';
import { FP32_QNAN, bitLength, hex32 } from '../../src/fp32.js';
import { mulE2M1 } from '../../src/mul.js';
import type { Xoshiro128 } from '../prng.js';

export const DOT_CLASSES = [
  'lane-pairs',
  'all-zero',
  'all-max',
  'cancel-to-zero',
  'nan-scale',
  'scale-00-fe',
  'subnormal',
  'underflow-to-zero',
  'overflow-inf',
  'max-exponent-finite',
  'tie-even',
  'tie-odd',
] as const;

export type DotClass = (typeof DOT_CLASSES)[number];

export const CLASS_MEANING: Record<DotClass, string> = {
  'lane-pairs': 'every (a, b) code pair alone on each lane',
  'all-zero': 'blocks of +-0 elements',
  'all-max': 'blocks of +-6 elements',
  'cancel-to-zero': 'non-zero products of both signs summing to exactly 0',
  'nan-scale': 'scale_a and/or scale_b 0xff',
  'scale-00-fe': 'a scale of 0x00 or 0xfe',
  subnormal: 'results in the FP32 subnormal range',
  'underflow-to-zero': 'non-zero sums rounding to a signed zero',
  'overflow-inf': 'results at or above 2^128, giving +-Inf',
  'max-exponent-finite': 'finite results in [2^127, 2^128)',
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

/** Exact facts about a vector, from the golden model. */
export interface DotFacts {
  /** sum of a_i*b_i in units of 2^-2 (golden products) */
  readonly sum: number;
  /** exponent of the sum's unit after scaling: value = sum * 2^exp */
  readonly exp: number;
  readonly nan: boolean;
  /** golden result bits (generic path; equal to the fast path or facts() throws) */
  readonly result: number;
  /** some product is non-zero */
  readonly anyProduct: boolean;
}

export function facts(v: { a: ArrayLike<number>; b: ArrayLike<number>; sa: number; sb: number }): DotFacts {
  let sum = 0;
  let anyProduct = false;
  for (let i = 0; i < v.a.length; i++) {
    const p = mulE2M1(v.a[i], v.b[i]);
    sum += p;
    if (p !== 0) anyProduct = true;
  }
  const result = dotE2M1E8M0Generic(v.a, v.b, v.sa, v.sb);
  const fast = dotE2M1E8M0(v.a, 0, v.b, 0, v.a.length, v.sa, v.sb);
  if (fast !== result) {
    throw new Error(`golden model: dotE2M1E8M0 gives ${hex32(fast)} but dotE2M1E8M0Generic gives ${hex32(result)} for a=[${Array.from(v.a)}] b=[${Array.from(v.b)}] scales ${v.sa}, ${v.sb}`);
  }
  return { sum, exp: v.sa + v.sb - 2 * E8M0_BIAS - 2, nan: v.sa === E8M0_NAN || v.sb === E8M0_NAN, result, anyProduct };
}

/** Position of the leading one of |sum| * 2^exp (the value lies in [2^t, 2^(t+1))). */
function topOf(f: DotFacts): number {
  return bitLength(Math.abs(f.sum)) - 1 + f.exp;
}

function signMatches(f: DotFacts): boolean {
  return f.result >>> 31 === (f.sum < 0 ? 1 : 0);
}

/** The tie a vector makes, if any: the value is exactly halfway between two subnormal neighbours. */
function tieOf(f: DotFacts): { lower: number } | null {
  if (f.nan || f.sum === 0) return null;
  const sh = -149 - f.exp; // bits of |sum| below the ulp 2^-149
  if (sh < 1 || sh > 30) return null;
  const mag = Math.abs(f.sum);
  const unit = 2 ** sh;
  if (mag % unit !== unit / 2) return null;
  return { lower: Math.floor(mag / unit) };
}

/** Does the vector belong to its class? Returns the reason when it does not. */
export function checkClass(v: DotVector, f: DotFacts = facts(v)): string | null {
  const mag = f.result & 0x7fffffff;
  const expField = mag >>> 23;
  const structural = (ok: boolean, what: string): string | null => (ok ? null : what);
  switch (v.cls) {
    case 'lane-pairs': {
      let lanes = 0;
      for (let i = 0; i < v.a.length; i++) if (v.a[i] !== 0 || v.b[i] !== 0) lanes++;
      return structural(lanes <= 1 && !f.nan, 'more than one lane used, or a NaN scale');
    }
    case 'all-zero':
      return structural(!f.anyProduct && !f.nan && f.result === 0, 'a product is non-zero or the result is not +0');
    case 'all-max': {
      let ok = !f.nan;
      for (let i = 0; i < v.a.length; i++) if ((v.a[i] & 7) !== 7 || (v.b[i] & 7) !== 7) ok = false;
      return structural(ok, 'an element is not +-6, or a NaN scale');
    }
    case 'cancel-to-zero':
      return structural(!f.nan && f.anyProduct && f.sum === 0 && f.result === 0, 'the products do not cancel to +0');
    case 'nan-scale':
      return structural(f.nan && f.result === FP32_QNAN, 'no NaN scale, or the result is not the quiet NaN');
    case 'scale-00-fe':
      return structural(!f.nan && [v.sa, v.sb].some((s) => s === 0 || s === 0xfe), 'neither scale is 0x00 or 0xfe');
    case 'subnormal':
      return structural(!f.nan && f.sum !== 0 && topOf(f) < -126 && expField === 0 && mag !== 0 && signMatches(f), 'the result is not an FP32 subnormal');
    case 'underflow-to-zero':
      return structural(!f.nan && f.sum !== 0 && mag === 0 && signMatches(f), 'the result is not a zero of the sum\'s sign');
    case 'overflow-inf':
      return structural(!f.nan && f.sum !== 0 && topOf(f) >= 128 && mag === 0x7f800000 && signMatches(f), 'the result is not Inf from a value >= 2^128');
    case 'max-exponent-finite':
      return structural(!f.nan && f.sum !== 0 && topOf(f) === 127 && expField === 254 && signMatches(f), 'the result is not finite with exponent 127');
    case 'tie-even': {
      const t = tieOf(f);
      return structural(t !== null && t.lower % 2 === 0 && mag === t.lower && signMatches(f), 'not a tie with an even lower neighbour rounding down');
    }
    case 'tie-odd': {
      const t = tieOf(f);
      return structural(t !== null && t.lower % 2 === 1 && mag === t.lower + 1 && signMatches(f), 'not a tie with an odd lower neighbour rounding up');
    }
  }
}

type BlockKind = 'uniform' | 'small' | 'positive' | 'sparse';
const BLOCK_KINDS: readonly BlockKind[] = ['uniform', 'small', 'positive', 'sparse'];

function randomBlock(rng: Xoshiro128, k: number, kind: BlockKind): Uint8Array {
  const x = new Uint8Array(k);
  for (let i = 0; i < k; i++) {
    const r = rng.next();
    if (kind === 'uniform') x[i] = r & 15;
    else if (kind === 'small') x[i] = r & 9; // +-0, +-0.5
    else if (kind === 'positive') x[i] = r & 7;
    else x[i] = (r >>> 4) % 4 === 0 ? r & 15 : 0;
  }
  return x;
}

/** Scales whose biased exponents add up to `total` (0 .. 508), neither of them NaN. */
function splitScales(rng: Xoshiro128, total: number): [number, number] {
  const lo = Math.max(0, total - 254);
  const hi = Math.min(254, total);
  if (lo > hi) throw new Error(`no scale pair sums to ${total}`);
  const sa = lo + rng.below(hi - lo + 1);
  return [sa, total - sa];
}

/** A random block pair with a non-zero sum (products in units of 2^-2). */
function nonZeroPair(rng: Xoshiro128, k: number): { a: Uint8Array; b: Uint8Array; sum: number } {
  for (;;) {
    const kind = BLOCK_KINDS[rng.below(BLOCK_KINDS.length)];
    const a = randomBlock(rng, k, kind);
    const b = randomBlock(rng, k, kind);
    let sum = 0;
    for (let i = 0; i < k; i++) sum += mulE2M1(a[i], b[i]);
    if (sum !== 0) return { a, b, sum };
  }
}

/** Scales that put the leading one of |sum| * 2^exp at 2^top (exp = sa + sb - 256). */
function scalesForTop(rng: Xoshiro128, sum: number, top: number): [number, number] | null {
  const total = top - (bitLength(Math.abs(sum)) - 1) + 2 * E8M0_BIAS + 2;
  return total >= 0 && total <= 508 ? splitScales(rng, total) : null;
}

function shuffle(rng: Xoshiro128, a: Uint8Array, b: Uint8Array): void {
  for (let i = a.length - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [a[i], a[j]] = [a[j], a[i]];
    [b[i], b[j]] = [b[j], b[i]];
  }
}

/**
 * The directed vectors for block size k. Every vector is checked against its class; the class
 * 'cancel-to-zero' is empty for k = 1 (one product cannot cancel).
 */
export function dotCorners(k: number, rng: Xoshiro128): DotVector[] {
  const out: DotVector[] = [];
  const add = (cls: DotClass, a: Uint8Array, b: Uint8Array, sa: number, sb: number): void => {
    const v: DotVector = { a, b, sa, sb, cls };
    const why = checkClass(v);
    if (why !== null) throw new Error(`directed vector of class ${cls} misses it: ${why} (a=[${Array.from(a)}] b=[${Array.from(b)}] scales ${sa}, ${sb})`);
    out.push(v);
  };
  const randomScale = (): number => rng.below(255); // 0x00 .. 0xfe

  // every code pair on each lane alone (all lanes up to k = 64, a sample of lanes above)
  const lanes: number[] = [];
  if (k <= 64) for (let i = 0; i < k; i++) lanes.push(i);
  else {
    for (let i = 0; i < 8; i++) lanes.push(i, k - 1 - i);
    for (let i = 0; i < 16; i++) lanes.push(8 + rng.below(k - 16));
  }
  for (const lane of lanes) {
    for (let p = 0; p < 256; p++) {
      const a = new Uint8Array(k);
      const b = new Uint8Array(k);
      a[lane] = p >>> 4;
      b[lane] = p & 15;
      add('lane-pairs', a, b, E8M0_BIAS, E8M0_BIAS);
    }
  }

  const scaleSet = [0x00, 0x01, 0x7f, 0x80, 0xfe];
  for (const sa of [...scaleSet, randomScale()]) {
    for (const sb of [...scaleSet, randomScale()]) {
      const zeros = (): Uint8Array => randomBlock(rng, k, 'uniform').map((c) => c & 8);
      add('all-zero', zeros(), randomBlock(rng, k, 'uniform'), sa, sb);
      add('all-zero', randomBlock(rng, k, 'uniform'), zeros(), sa, sb);
      add('all-zero', zeros(), zeros(), sa, sb);
    }
  }

  const maxPatterns: ((i: number) => number)[] = [() => 0x7, () => 0xf, (i) => (i & 1 ? 0xf : 0x7), () => (rng.next() & 1 ? 0xf : 0x7)];
  const maxScales = [0x00, 0x01, 0x3f, 0x7f, 0x80, 0xbe, 0xc0, 0xfd, 0xfe];
  for (const pa of maxPatterns) {
    for (const pb of maxPatterns) {
      for (const sa of maxScales) {
        for (const sb of maxScales) {
          const a = new Uint8Array(k).map((_, i) => pa(i));
          const b = new Uint8Array(k).map((_, i) => pb(i));
          add('all-max', a, b, sa, sb);
        }
      }
    }
  }

  if (k >= 2) {
    const h = Math.floor(k / 2);
    for (let n = 0; n < 200; n++) {
      const kind = BLOCK_KINDS[n % BLOCK_KINDS.length];
      let a: Uint8Array;
      let b: Uint8Array;
      do {
        a = randomBlock(rng, k, kind);
        b = randomBlock(rng, k, kind);
        for (let i = 0; i < h; i++) {
          a[i + h] = a[i] ^ 8;
          b[i + h] = b[i];
        }
        if (k % 2 === 1) a[k - 1] = rng.next() & 8; // +-0
      } while (!a.some((c, i) => mulE2M1(c, b[i]) !== 0));
      shuffle(rng, a, b);
      const s = n % 5 === 0 ? [0x00, 0xfe][n % 2] : randomScale();
      add('cancel-to-zero', a, b, s, randomScale());
    }
  }

  const elementSets: (() => Uint8Array)[] = [() => randomBlock(rng, k, 'uniform'), () => new Uint8Array(k), () => new Uint8Array(k).fill(0x7)];
  for (let n = 0; n < 150; n++) {
    const a = elementSets[n % 3]();
    const b = randomBlock(rng, k, 'uniform');
    const which = Math.floor(n / 3) % 3;
    add('nan-scale', a, b, which === 1 ? randomScale() : E8M0_NAN, which === 0 ? randomScale() : E8M0_NAN);
  }

  const extremePairs: [number | null, number | null][] = [
    [0x00, 0x00],
    [0x00, 0xfe],
    [0xfe, 0x00],
    [0xfe, 0xfe],
    [0x00, null],
    [null, 0x00],
    [0xfe, null],
    [null, 0xfe],
  ];
  for (let n = 0; n < 200; n++) {
    const [pa, pb] = extremePairs[n % extremePairs.length];
    const kind = BLOCK_KINDS[Math.floor(n / extremePairs.length) % BLOCK_KINDS.length];
    add('scale-00-fe', randomBlock(rng, k, kind), randomBlock(rng, k, kind), pa ?? randomScale(), pb ?? randomScale());
  }

  // classes placed by the position of the result's leading one
  const byTop = (cls: DotClass, count: number, top: () => number): void => {
    for (let n = 0; n < count; n++) {
      for (;;) {
        const { a, b, sum } = nonZeroPair(rng, k);
        const s = scalesForTop(rng, sum, top());
        if (s === null) continue;
        add(cls, a, b, s[0], s[1]);
        break;
      }
    }
  };
  byTop('subnormal', 300, () => -149 + rng.below(23));
  byTop('underflow-to-zero', 100, () => -151 - rng.below(20));
  byTop('overflow-inf', 200, () => 128 + rng.below(13));
  byTop('max-exponent-finite', 100, () => 127);

  // ties: shift |sum| right by one place more than its trailing zeros
  const want = 200;
  let even = 0;
  let odd = 0;
  const tie = (a: Uint8Array, b: Uint8Array, sum: number): void => {
    const mag = Math.abs(sum);
    const sh = 32 - Math.clz32(mag & -mag); // trailing zeros + 1
    const total = -149 - sh + 2 * E8M0_BIAS + 2;
    const [sa, sb] = splitScales(rng, total);
    const lowerOdd = Math.floor(mag / 2 ** sh) % 2 === 1;
    if (lowerOdd && odd < want) {
      add('tie-odd', a, b, sa, sb);
      odd++;
    } else if (!lowerOdd && even < want) {
      add('tie-even', a, b, sa, sb);
      even++;
    }
  };
  // the smallest ties: +-1 * 2^-150 (rounds to a signed zero) and +-3 * 2^-150 (rounds up to 2 ulp)
  for (const [ca, cb] of [
    [0x1, 0x1],
    [0x9, 0x1],
    [0x3, 0x1],
    [0x3, 0x9],
  ]) {
    const a = new Uint8Array(k);
    const b = new Uint8Array(k);
    const lane = rng.below(k);
    a[lane] = ca;
    b[lane] = cb;
    tie(a, b, mulE2M1(ca, cb));
  }
  for (let guard = 0; (even < want || odd < want) && guard < 100000; guard++) {
    const { a, b, sum } = nonZeroPair(rng, k);
    tie(a, b, sum);
  }
  return out;
}
