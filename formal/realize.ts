/**
 * Turning values found at a cut point back into inputs of the whole unit: a lane product as a pair
 * of element codes, a sum of products as k lane products, an exponent as a pair of scale codes.
 */
import type { ProductTable } from '../src/dot-kernel.js';
import type { ScaleGolden } from './golden.js';

/** A code pair (a, b) for every product value, preferring small codes; 0 -> (0, 0). */
export function codesForProduct(t: ProductTable): Map<bigint, [number, number]> {
  const m = new Map<bigint, [number, number]>();
  for (let i = 0; i < t.big.length; i++) {
    if (t.flags[i] !== 0) continue;
    const v = t.big[i];
    if (!m.has(v)) m.set(v, [i >> t.bBits, i & ((1 << t.bBits) - 1)]);
  }
  return m;
}

/**
 * k lane products (values of the table) summing to s, or null when the search finds none: each lane
 * takes the largest product not past what remains (it may miss a solution, never returns a wrong one).
 */
export function realizeSum(s: bigint, k: number, t: ProductTable): bigint[] | null {
  const values = [...new Set(Array.from(codesForProduct(t).keys()))].sort((x, y) => (x < y ? 1 : x > y ? -1 : 0));
  const pos = values.filter((v) => v > 0n);
  const neg = values.filter((v) => v < 0n).reverse();
  const out: bigint[] = [];
  let rest = s;
  for (let i = 0; i < k; i++) {
    if (rest === 0n) {
      out.push(0n);
      continue;
    }
    const list = rest > 0n ? pos : neg;
    const v = list.find((x) => (rest > 0n ? x <= rest : x >= rest));
    if (v === undefined) return null;
    out.push(v);
    rest -= v;
  }
  return rest === 0n ? out : null;
}

/** Scale codes (neither NaN) whose exponents add up to `e` and whose significands multiply to a divisor of `mag`. */
export function realizeScales(g: ScaleGolden, e: number, mag: bigint): [number, number] | null {
  for (let a = 0; a < g.sig.length; a++) {
    if (g.nan[a]) continue;
    for (let b = 0; b < g.sig.length; b++) {
      if (g.nan[b] || g.exp[a] + g.exp[b] !== e) continue;
      const p = g.sig[a] * g.sig[b];
      if (p !== 0n && mag % p === 0n) return [a, b];
    }
  }
  return null;
}

/** Pack lane codes (lane 0 in the low bits) into a block port value. */
export function packLanes(codes: readonly number[], width: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--) v = (v << BigInt(width)) | BigInt(codes[i]);
  return v;
}
