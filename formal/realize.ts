/**
 * Turning a value found at a cut point of the dot product back into an input block: a sum of
 * products as k lane products, and each product as a pair of E2M1 codes.
 */
import { MUL_E2M1_TABLE } from './golden.js';

/** A code pair (a, b) for every product value, preferring small codes; 0 -> (0, 0). */
export function codesForProduct(): Map<number, [number, number]> {
  const m = new Map<number, [number, number]>();
  for (let i = 0; i < 256; i++) {
    const v = MUL_E2M1_TABLE[i];
    if (!m.has(v)) m.set(v, [i >> 4, i & 15]);
  }
  return m;
}

/** Largest block size for the exact search (one byte per reachable sum per lane). */
const EXACT_MAX_CELLS = 24_000_000;

/**
 * Lane products (values of `values`, which holds 0) for k lanes summing to s, or null when none
 * exists. Exact when k * (2 * k * max + 1) is small; beyond, a search that fills lanes with +-max
 * and solves the rest exactly on a few lanes (it may miss a solution, never returns a wrong one).
 */
export function realizeSum(s: number, k: number, values: readonly number[]): number[] | null {
  const max = Math.max(...values.map(Math.abs));
  if (Math.abs(s) > max * k) return null;
  if (k * (2 * max * k + 1) <= EXACT_MAX_CELLS) return exactSum(s, k, values, max);
  const m = Math.min(k, 12);
  const sign = s < 0 ? -1 : 1;
  const mag = Math.abs(s);
  const full = Math.min(k - m, Math.floor(mag / max));
  for (let q = full; q >= Math.max(0, full - 2 * m); q--) {
    const rest = exactSum(sign * (mag - q * max), m, values, max);
    if (rest) return [...new Array<number>(q).fill(sign * max), ...rest, ...new Array<number>(k - m - q).fill(0)];
  }
  return null;
}

function exactSum(s: number, k: number, values: readonly number[], max: number): number[] | null {
  const span = 2 * max * k + 1;
  const off = max * k;
  if (Math.abs(s) > off) return null;
  // reach[j][v + off] = 1 when v is a sum of j lane products
  const reach: Uint8Array[] = [new Uint8Array(span)];
  reach[0][off] = 1;
  for (let j = 1; j <= k; j++) {
    const prev = reach[j - 1];
    const cur = new Uint8Array(span);
    const lim = max * (j - 1);
    for (let v = -lim; v <= lim; v++) {
      if (prev[v + off] !== 1) continue;
      for (const p of values) cur[v + p + off] = 1;
    }
    reach.push(cur);
  }
  if (reach[k][s + off] !== 1) return null;
  // walk back, each lane taking the product that leaves the smallest remainder (few non-zero lanes)
  const byCloseness = (t: number): number[] => [...values].sort((x, y) => Math.abs(t - x) - Math.abs(t - y) || Math.abs(x) - Math.abs(y));
  const out: number[] = [];
  let t = s;
  for (let j = k; j >= 1; j--) {
    const prev = reach[j - 1];
    const p = byCloseness(t).find((x) => Math.abs(t - x) <= max * (j - 1) && prev[t - x + off] === 1);
    if (p === undefined) throw new Error('realizeSum: inconsistent reachability table');
    out.push(p);
    t -= p;
  }
  return out;
}

/**
 * E8M0 scale codes (neither NaN) for which the exponent of the sum's unit,
 * sa + sb - 2 * bias + lsb, equals `e`; or null.
 */
export function realizeScales(e: number, bias: number, lsb: number, nanCode: number): [number, number] | null {
  const total = e + 2 * bias - lsb;
  const top = nanCode - 1;
  if (total < 0 || total > 2 * top) return null;
  const sa = Math.min(top, total);
  return [sa, total - sa];
}

/** Pack lane codes (lane 0 in the low bits) into a block port value. */
export function packLanes(codes: readonly number[], width: number): bigint {
  let v = 0n;
  for (let i = codes.length - 1; i >= 0; i--) v = (v << BigInt(width)) | BigInt(codes[i]);
  return v;
}
