/**
 * add_blocks (src/add-blocks.ts) against a test-side oracle: the exact sums in bigint fixed point
 * (test/golden/helpers.ts, written apart from src/), the recipes by their definitions and every
 * element by brute force over the value table; plus hand-worked blocks and the FP32 quantizer on
 * blocks whose sums are FP32 values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBlocks, type AddBlocksRecipe } from '../../src/add-blocks.js';
import { E2M1, E4M3, E5M2, E8M0, INT8, UE4M3, UE5M3, quantize, type ElementFormat, type ScaleFormat } from '../../src/index.js';
import { FIX, TABLES, bitsOf, fix, nearestCode } from './helpers.js';

/** OCP MX emax_elem and the largest finite element (spec tables). */
const EMAX: Record<string, number> = { e2m1: 2, e2m3: 2, e3m2: 4, e4m3: 8, e5m2: 15, int8: 0 };
const MAXV: Record<string, number> = { e2m1: 6, e2m3: 7.5, e3m2: 28, e4m3: 448, e5m2: 57344, int8: 127 / 64 };
/** Largest and smallest power of two of each scale format. */
const POW2: Record<string, [number, number]> = { e8m0: [127, -127], ue4m3: [8, -9], ue5m3: [16, -17] };

interface Config {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly k: number;
  readonly recipe: AddBlocksRecipe;
  readonly round: 'rne' | 'away';
  readonly guard: boolean;
}

const bitLen = (x: bigint): number => (x === 0n ? 0 : x.toString(2).length);
const shifted = (x: bigint, e: number): bigint => (e >= 0 ? x << BigInt(e) : x >> BigInt(-e));

/** The oracle: scale code and element codes of the sum of two blocks. */
function oracle(c: Config, a: readonly number[], sa: number, b: readonly number[], sb: number): { scale: number; elems: number[] } {
  const et = TABLES[c.elem.name];
  const st = TABLES[c.scale.name];
  const nan = st.values.findIndex(Number.isNaN);
  const sva = st.values[sa];
  const svb = st.values[sb];
  const sums: bigint[] = [];
  const negZero: boolean[] = [];
  for (let i = 0; i < c.k; i++) {
    const [x, y] = [et.values[a[i]], et.values[b[i]]];
    // a NaN, an Inf (Inf * 0 too) or Inf - Inf: the block is special
    const d = x * sva + y * svb;
    if (!Number.isFinite(d)) return { scale: nan, elems: a.map(() => 0) };
    const sum = (fix(x) * fix(sva) + fix(y) * fix(svb)) >> BigInt(FIX);
    sums.push(sum);
    // IEEE 754 addition of the two exact products: only (-0) + (-0) is -0
    negZero.push(sum === 0n && Object.is(x * sva, -0) && Object.is(y * svb, -0));
  }
  const abs = sums.map((v) => (v < 0n ? -v : v));
  const amax = abs.reduce((m, v) => (v > m ? v : m), 0n);
  const zeros = (): number[] => sums.map((v, i) => (et.signBit && (v < 0n || negZero[i]) ? et.signBit : 0));
  if (amax === 0n) return { scale: 0, elems: zeros() };
  let code: number;
  if (c.recipe === 'nv') {
    code = nearestCode(st, amax, false, fix(MAXV[c.elem.name]), 'rne');
    if (code === 0 && c.guard) code = 1;
  } else {
    let x = bitLen(amax) - 1 - FIX - EMAX[c.elem.name];
    if (c.recipe === 'ceil' && amax > shifted(fix(MAXV[c.elem.name]), x)) x += 1;
    const [top, bottom] = POW2[c.scale.name];
    if (x > top) x = top;
    code = x < bottom ? (c.scale === E8M0 ? 0 : c.guard ? 1 : 0) : st.values.indexOf(2 ** x);
  }
  const s = st.values[code];
  if (s === 0) return { scale: code, elems: zeros() };
  return { scale: code, elems: sums.map((v, i) => nearestCode(et, v, v < 0n || negZero[i], fix(s), c.round)) };
}

function run(c: Config, a: readonly number[], sa: number, b: readonly number[], sb: number): { scale: number; elems: number[] } {
  const out = new Uint8Array(c.k);
  const scale = addBlocks(a, sa, b, sb, { elem: c.elem, scale: c.scale, blockSize: c.k, recipe: c.recipe, round: c.round, guard: c.guard }, out);
  return { scale, elems: [...out] };
}

const CONFIGS: Config[] = [
  { elem: E2M1, scale: E8M0, k: 8, recipe: 'floor', round: 'rne', guard: false },
  { elem: E4M3, scale: E8M0, k: 8, recipe: 'ceil', round: 'away', guard: false },
  { elem: E5M2, scale: E8M0, k: 4, recipe: 'floor', round: 'rne', guard: false },
  { elem: INT8, scale: E8M0, k: 4, recipe: 'floor', round: 'rne', guard: false },
  { elem: E2M1, scale: UE4M3, k: 8, recipe: 'nv', round: 'rne', guard: false },
  { elem: E2M1, scale: UE4M3, k: 8, recipe: 'nv', round: 'rne', guard: true },
  { elem: E4M3, scale: UE5M3, k: 4, recipe: 'floor', round: 'rne', guard: true },
];

describe('add_blocks: the exact sums requantized', () => {
  it.each(CONFIGS.map((c) => [`${c.elem.name} x ${c.scale.name}, ${c.recipe}${c.guard ? ', guard' : ''}, ${c.round}`, c] as const))('%s: equals the oracle on random blocks and scales', (_, c) => {
    const codes = TABLES[c.elem.name].values.length;
    const scales = TABLES[c.scale.name].values.length;
    const block = fc.array(fc.integer({ min: 0, max: codes - 1 }), { minLength: c.k, maxLength: c.k });
    // scales anywhere, or near one another (where the two blocks' values interleave)
    const scalePair = fc.oneof(
      fc.tuple(fc.integer({ min: 0, max: scales - 1 }), fc.integer({ min: 0, max: scales - 1 })),
      fc.integer({ min: 0, max: scales - 1 }).chain((s) => fc.tuple(fc.constant(s), fc.integer({ min: Math.max(0, s - 3), max: Math.min(scales - 1, s + 3) }))),
    );
    fc.assert(
      fc.property(block, block, scalePair, (a, b, [sa, sb]) => {
        expect(run(c, a, sa, b, sb)).toEqual(oracle(c, a, sa, b, sb));
      }),
      { numRuns: 1500, seed: 11 },
    );
  });

  it('hand-worked MXFP4 blocks: saturation, a tie to even, signed zeros, NaN scales', () => {
    const c = CONFIGS[0];
    // E2M1 codes: 0 +0, 1 0.5, 2 1, 3 1.5, 4 2, 5 3, 6 4, 7 6; 8..15 the negatives
    // lane 0: 6 + 6 = 12, the scale 2^(3 - 2) = 2, 12 / 2 = 6; lane 1: 1.5 + 1 = 2.5, / 2 = 1.25, a tie: 1 (even);
    // lane 2: 3 + (-3) = +0; lane 3: (-0) + (-0) = -0; lane 4: (+0) + (-0) = +0; lane 5: -0.5 + -0.5 = -1, / 2 = -0.5;
    // lane 6: 0.5 + 0 = 0.5, / 2 = 0.25, a tie between 0 and 0.5: +0 (even); lane 7: 4 + 0.5 = 4.5, / 2 = 2.25: 2
    const a = [7, 3, 5, 8, 0, 9, 1, 6];
    const b = [7, 2, 13, 8, 8, 9, 0, 1];
    expect(run(c, a, 127, b, 127)).toEqual({ scale: 128, elems: [7, 2, 0, 8, 0, 9, 0, 4] });
    // the same with scale B one step up: b counts double (6 + 12 = 18: scale 2^(4 - 2), 18 / 4 = 4.5: 4)
    expect(run(c, [7, 0, 0, 0, 0, 0, 0, 0], 127, [7, 0, 0, 0, 0, 0, 0, 0], 128).scale).toBe(129);
    expect(run(c, [7, 0, 0, 0, 0, 0, 0, 0], 127, [7, 0, 0, 0, 0, 0, 0, 0], 128).elems[0]).toBe(6);
    // a NaN scale in either block: the NaN scale and zero codes
    expect(run(c, a, 255, b, 127)).toEqual({ scale: 255, elems: [0, 0, 0, 0, 0, 0, 0, 0] });
    expect(run(c, a, 127, b, 255)).toEqual({ scale: 255, elems: [0, 0, 0, 0, 0, 0, 0, 0] });
    // every sum cancels: scale 0 and +0 codes
    expect(run(c, a, 127, a.map((x) => x ^ 8), 127)).toEqual({ scale: 0, elems: [0, 0, 0, 0, 0, 0, 0, 0] });
  });

  it('scales 2^254 apart: the larger block alone, and the smaller one where the larger is zero', () => {
    const c = CONFIGS[0];
    const a = [7, 3, 1, 0, 0, 0, 0, 0];
    const b = [5, 9, 1, 7, 2, 0, 8, 14];
    // lanes 0 .. 2: 6, 1.5, 0.5 at 2^127 plus a few units of 2^-127: the scale 2^127, A's codes;
    // lanes 3 .. 7: +0 + B's value at 2^-127, far below half of 0.5 * 2^127: zeros of the sums' signs
    // (lane 6: (+0) + (-0) = +0; lane 7: -4 * 2^-127, a negative value that rounds to -0)
    expect(run(c, a, 254, b, 0)).toEqual({ scale: 254, elems: [7, 3, 1, 0, 0, 0, 0, 8] });
    expect(run(c, a, 254, b, 0)).toEqual(oracle(c, a, 254, b, 0));
    // A all +0: B's block comes back as it was, but for its -0, which meets +0 and gives +0
    const z = [0, 0, 0, 0, 0, 0, 0, 0];
    expect(run(c, z, 254, [7, 9, 1, 3, 2, 0, 8, 14], 0)).toEqual({ scale: 0, elems: [7, 9, 1, 3, 2, 0, 0, 14] });
    expect(run(c, z, 254, [7, 9, 1, 3, 2, 0, 8, 14], 0)).toEqual(oracle(c, z, 254, [7, 9, 1, 3, 2, 0, 8, 14], 0));
  });

  it('blocks whose sums are FP32 values give what the FP32 quantizer gives them', () => {
    // E8M0 scales within 2^+-20 of each other and elements of E4M3: every sum is exact in FP32
    const c = CONFIGS[1];
    const t = TABLES.e4m3;
    const finite = t.values.map((v, i) => [v, i] as const).filter(([v]) => Number.isFinite(v)).map(([, i]) => i);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...finite), { minLength: c.k, maxLength: c.k }),
        fc.array(fc.constantFrom(...finite), { minLength: c.k, maxLength: c.k }),
        fc.integer({ min: 107, max: 147 }),
        fc.integer({ min: -3, max: 3 }),
        (a, b, sa, d) => {
          const sb = sa + d;
          const sums = a.map((x, i) => t.values[x] * 2 ** (sa - 127) + t.values[b[i]] * 2 ** (sb - 127));
          for (const s of sums) expect(Math.fround(s)).toBe(s);
          const q = quantize(new Uint32Array(sums.map(bitsOf)), { elem: c.elem, scale: c.scale, blockSize: c.k, recipe: c.recipe, round: c.round });
          expect(run(c, a, sa, b, sb)).toEqual({ scale: q.scales[0], elems: [...q.elems] });
        },
      ),
      { numRuns: 2000, seed: 5 },
    );
  });

  it('refuses the recipes whose squared errors need the exact sums, and blocks of the wrong size', () => {
    const o = { elem: E2M1, scale: UE4M3, blockSize: 2 };
    expect(() => addBlocks([0, 0], 1, [0, 0], 1, { ...o, recipe: '4over6' as AddBlocksRecipe }, new Uint8Array(2))).toThrow(/add_blocks requantizes with floor, ceil, nv, not 4over6/);
    expect(() => addBlocks([0], 1, [0, 0], 1, o, new Uint8Array(2))).toThrow(/blocks of 2 elements, got 1 and 2/);
  });
});
