/**
 * Quantization: every recipe against a test-side oracle (brute force over the value tables, exact
 * bigint arithmetic), the fast path against the reference path, recipe relations and edge cases.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  E2M1,
  E8M0,
  E4M3,
  E5M2,
  INT8,
  UE4M3,
  UE5M3,
  ELEMENT_FORMATS,
  autoTensorScale,
  dequantize,
  quantize,
  quantizeReference,
  type QuantizeOptions,
  type RoundMode,
  type ScaleFormat,
  type ScaleRecipe,
} from '../../src/index.js';
import { FIX, TABLES, bitsOf, fix, floorLog2, nearestCode, squaredError, valueOfBits, type FormatTable } from './helpers.js';
import { studentT } from '../../explore/data.js';

const ONE = 1n << BigInt(FIX);

/** OCP MX emax_elem of each element format (spec table). */
const EMAX: Record<string, number> = { e2m1: 2, e2m3: 2, e3m2: 4, e4m3: 8, e5m2: 15, int8: 0 };
/** The largest finite element (spec). */
const MAXV: Record<string, number> = { e2m1: 6, e2m3: 7.5, e3m2: 28, e4m3: 448, e5m2: 57344, int8: 127 / 64 };
/** Largest power-of-two exponent and smallest positive exponent of each scale format. */
const POW2: Record<string, [number, number]> = { e8m0: [127, -127], ue4m3: [8, -9], ue5m3: [16, -17] };
/** Overflow threshold of nv scale rounding (halfway past the largest value). */
const NV_MID: Record<string, number> = { ue4m3: 464, ue5m3: 118784 };

interface Expected {
  scale: number;
  elems: number[];
}

function nanCode(st: FormatTable): number {
  return st.values.findIndex(Number.isNaN);
}

function zeroCodes(et: FormatTable, xs: readonly number[]): number[] {
  return xs.map((x) => (et.signBit && (x < 0 || Object.is(x, -0)) ? et.signBit : 0));
}

/** Elements of a block against the exact scale value s (a double), per the oracle. */
function oracleElems(et: FormatTable, xs: readonly number[], s: number, o: QuantizeOptions): number[] {
  if (s === 0) return zeroCodes(et, xs);
  const sf = fix(s);
  return xs.map((x) => nearestCode(et, fix(x), x < 0 || Object.is(x, -0), sf, o.round ?? 'rne', o.int8Range === 'full'));
}

function pre(xs: readonly number[], et: FormatTable, st: FormatTable): Expected | number {
  if (xs.some((x) => !Number.isFinite(x))) return { scale: nanCode(st), elems: xs.map(() => 0) };
  const amax = Math.max(...xs.map(Math.abs));
  if (amax === 0) return { scale: 0, elems: zeroCodes(et, xs) };
  return amax;
}

/** floor / ceil by the definitions. */
function oraclePow2(xs: readonly number[], o: QuantizeOptions): Expected {
  const et = TABLES[o.elem.name];
  const st = TABLES[o.scale.name];
  const p = pre(xs, et, st);
  if (typeof p !== 'number') return p;
  const amax = p;
  let x = floorLog2(amax) - EMAX[o.elem.name];
  if (o.recipe === 'ceil' && amax > MAXV[o.elem.name] * 2 ** x) x += 1;
  const [top, bottom] = POW2[o.scale.name];
  let scale: number;
  if (x > top) {
    if (o.overflow === 'nan') return { scale: nanCode(st), elems: xs.map(() => 0) };
    x = top;
  }
  if (x < bottom) {
    // E8M0 has no zero: clamp; UE formats: 2^x rounds to zero (2^(bottom-1) is a tie, even = 0)
    scale = o.scale.name === 'e8m0' ? 0 : o.guard ? 1 : 0;
  } else {
    scale = st.values.indexOf(2 ** x);
  }
  return { scale, elems: oracleElems(et, xs, st.values[scale], o) };
}

/** The nv scale code for amax mapped to `target`, by brute force; guard applied. */
function nvCode(amax: number, target: number, o: QuantizeOptions): number {
  const st = TABLES[o.scale.name];
  const t = o.tensorScale === undefined ? 1 : valueOfBits(o.tensorScale);
  const den = (fix(target) * fix(t)) / ONE; // target * T, units 2^-FIX
  if (o.overflow === 'nan' && fix(amax) * ONE > fix(NV_MID[o.scale.name]) * den) return nanCode(st);
  let c = nearestCode(st, fix(amax), false, den, 'rne');
  if (c === 0 && o.guard) c = 1;
  return c;
}

function tensorValue(o: QuantizeOptions): number {
  return o.tensorScale === undefined ? 1 : valueOfBits(o.tensorScale);
}

function oracleNv(xs: readonly number[], o: QuantizeOptions): Expected {
  const et = TABLES[o.elem.name];
  const st = TABLES[o.scale.name];
  const p = pre(xs, et, st);
  if (typeof p !== 'number') return p;
  const c = nvCode(p, MAXV[o.elem.name], o);
  if (c === nanCode(st)) return { scale: c, elems: xs.map(() => 0) };
  return { scale: c, elems: oracleElems(et, xs, st.values[c] * tensorValue(o), o) };
}

/** The exact squared error of a block against codes and a scale code (dequantized in doubles: exact here). */
function errorOf(xs: readonly number[], e: Expected, o: QuantizeOptions): bigint {
  const et = TABLES[o.elem.name];
  const s = TABLES[o.scale.name].values[e.scale] * tensorValue(o);
  return squaredError(xs, e.elems.map((c) => et.values[c] * s));
}

function oracle4over6(xs: readonly number[], o: QuantizeOptions): Expected {
  const et = TABLES[o.elem.name];
  const st = TABLES[o.scale.name];
  const p = pre(xs, et, st);
  if (typeof p !== 'number') return p;
  const c6 = nvCode(p, 6, o);
  if (c6 === nanCode(st)) return { scale: c6, elems: xs.map(() => 0) };
  const e6 = { scale: c6, elems: oracleElems(et, xs, st.values[c6] * tensorValue(o), o) };
  const c4 = nvCode(p, 4, o);
  if (c4 === nanCode(st)) return e6;
  const e4 = { scale: c4, elems: oracleElems(et, xs, st.values[c4] * tensorValue(o), o) };
  return errorOf(xs, e4, o) < errorOf(xs, e6, o) ? e4 : e6;
}

function oracleMse(xs: readonly number[], o: QuantizeOptions): Expected {
  const et = TABLES[o.elem.name];
  const st = TABLES[o.scale.name];
  const p = pre(xs, et, st);
  if (typeof p !== 'number') return p;
  let best: Expected | undefined;
  let bestErr = 0n;
  for (let c = 0; c < st.values.length; c++) {
    const s = st.values[c];
    if (!Number.isFinite(s)) continue;
    if (s === 0 && o.guard) continue;
    const e = { scale: c, elems: oracleElems(et, xs, s * tensorValue(o), o) };
    const err = errorOf(xs, e, o);
    if (best === undefined || err < bestErr) {
      best = e;
      bestErr = err;
    }
  }
  return best as Expected;
}

function oracle(xs: readonly number[], o: QuantizeOptions): Expected {
  switch (o.recipe ?? 'floor') {
    case 'floor':
    case 'ceil':
      return oraclePow2(xs, { ...o, recipe: o.recipe ?? 'floor' });
    case 'nv':
      return oracleNv(xs, o);
    case '4over6':
      return oracle4over6(xs, o);
    case 'mse':
      return oracleMse(xs, o);
  }
}

/** FP32 bits of values with exponents around `center` +- spread, plus zeros, -0, subnormals. */
function valueBits(center: number, spread: number): fc.Arbitrary<number> {
  return fc.oneof(
    { weight: 12, arbitrary: fc.tuple(fc.boolean(), fc.integer({ min: -spread, max: spread }), fc.integer({ min: 0, max: 0x7fffff }), fc.integer({ min: 0, max: 3 })).map(([neg, d, m, few]) => {
      const e = Math.max(-149, Math.min(127, center + d));
      const mant = few === 0 ? m & 0x7e0000 : m; // few mantissa bits: hits ties
      const biased = e + 127;
      const mag = biased >= 1 ? (biased << 23) | mant : ((mant | 0x800000) >>> (1 - biased)) & 0x7fffff;
      return (mag | (neg ? 0x80000000 : 0)) >>> 0;
    }) },
    { weight: 1, arbitrary: fc.constantFrom(0, 0x80000000, 1, 0x80000001, 0x00400000) },
  );
}

function blockArb(k: number): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: -150, max: 130 }), fc.integer({ min: 0, max: 30 }))
    .chain(([c, s]) => fc.array(valueBits(c, s), { minLength: k, maxLength: k }));
}

function run(bits: number[], o: QuantizeOptions): Expected {
  const q = quantize(Uint32Array.from(bits), o);
  return { scale: q.scales[0], elems: [...q.elems] };
}

const ELEMS = Object.values(ELEMENT_FORMATS);
const ROUNDS: RoundMode[] = ['rne', 'away'];

describe('power-of-two recipes (floor, ceil) against the definitions', () => {
  for (const scale of [E8M0, UE4M3, UE5M3] as ScaleFormat[]) {
    for (const recipe of ['floor', 'ceil'] as ScaleRecipe[]) {
      it(`${recipe} with ${scale.name} scales, every element format and option`, () => {
        fc.assert(
          fc.property(
            fc.constantFrom(...ELEMS),
            fc.constantFrom(...ROUNDS),
            fc.boolean(),
            fc.constantFrom<'clamp' | 'nan'>('clamp', 'nan'),
            fc.constantFrom<'symmetric' | 'full'>('symmetric', 'full'),
            blockArb(8),
            (elem, round, guard, overflow, int8Range, bits) => {
              const o: QuantizeOptions = { elem, scale, blockSize: 8, recipe, round, guard, overflow, int8Range };
              const want = oracle(bits.map(valueOfBits), o);
              expect(run(bits, o)).toEqual(want);
            },
          ),
          { numRuns: 400 },
        );
      });
    }
  }

  it('floor: the scale puts amax in [2^emax, 2^(emax+1)) element units; ceil never clips', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMS), blockArb(32), (elem, bits) => {
        const xs = bits.map(valueOfBits);
        const amax = Math.max(...xs.map(Math.abs));
        if (amax === 0 || amax < 2 ** -100 || amax > 2 ** 100) return;
        const f = run(bits, { elem, scale: E8M0, blockSize: 32 });
        const s = 2 ** (f.scale - 127);
        expect(amax / s).toBeGreaterThanOrEqual(2 ** EMAX[elem.name]);
        expect(amax / s).toBeLessThan(2 ** (EMAX[elem.name] + 1));
        const c = run(bits, { elem, scale: E8M0, blockSize: 32, recipe: 'ceil' });
        expect(c.scale - f.scale).toBeGreaterThanOrEqual(0);
        expect(c.scale - f.scale).toBeLessThanOrEqual(1);
        const et = TABLES[elem.name];
        const sc = 2 ** (c.scale - 127);
        c.elems.forEach((code, i) => expect(Math.abs(et.values[code] * sc - xs[i])).toBeLessThanOrEqual(Math.abs(xs[i]))); // no clipping past max
        expect(amax).toBeLessThanOrEqual(MAXV[elem.name] * sc);
      }),
      { numRuns: 300 },
    );
  });
});

describe('fast path equals the reference path', () => {
  it('random tensors, every element format, floor and ceil, every option', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMS),
        fc.constantFrom<ScaleRecipe>('floor', 'ceil'),
        fc.constantFrom(...ROUNDS),
        fc.constantFrom<'clamp' | 'nan'>('clamp', 'nan'),
        fc.constantFrom<'symmetric' | 'full'>('symmetric', 'full'),
        fc.constantFrom(1, 3, 16, 32),
        fc.array(blockArb(16), { minLength: 1, maxLength: 6 }),
        (elem, recipe, round, overflow, int8Range, k, blocks) => {
          const bits = Uint32Array.from(blocks.flat());
          const o: QuantizeOptions = { elem, scale: E8M0, blockSize: k, recipe, round, overflow, int8Range };
          expectFastIsReference(bits, o);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('sweep: every FP32 exponent as amax, elements over 40 binades below it, tie and random mantissas', () => {
    const k = 32;
    const mantissas = [0, 1, 0x400000, 0x200000, 0x600000, 0x100000, 0x7fffff, 0x3fffff, 0x480000, 0x2c0000, 0x5a5a5a, 0x0fffff, 0x700000, 0x080000];
    const blocks: number[] = [];
    for (let ea = 0; ea <= 254; ea++) {
      for (let r = 0; r < 2; r++) {
        const block: number[] = [];
        block.push(((ea << 23) | (r ? 0x7fffff : 0x400000)) >>> 0); // amax (subnormal when ea = 0)
        for (let i = 1; i < k; i++) {
          const e = Math.max(0, ea - ((i * 7 + r) % 40));
          const m = mantissas[(i + r * 5) % mantissas.length];
          const sign = i % 3 === 0 ? 0x80000000 : 0;
          block.push((sign | (e << 23) | m) >>> 0);
        }
        blocks.push(...block);
      }
    }
    const bits = Uint32Array.from(blocks);
    for (const elem of ELEMS) {
      for (const recipe of ['floor', 'ceil'] as ScaleRecipe[]) {
        for (const round of ROUNDS) {
          const o: QuantizeOptions = { elem, scale: E8M0, blockSize: k, recipe, round, int8Range: 'full' };
          const a = quantize(bits, o);
          const b = quantizeReference(bits, o);
          expect(Buffer.from(a.scales).equals(Buffer.from(b.scales)), `${elem.name} ${recipe} ${round} scales`).toBe(true);
          expect(Buffer.from(a.elems).equals(Buffer.from(b.elems)), `${elem.name} ${recipe} ${round} elements`).toBe(true);
        }
      }
    }
  });
});

/** quantize (its fast path) and quantizeReference give the same codes. */
function expectFastIsReference(bits: Uint32Array, o: QuantizeOptions, what = ''): void {
  const a = quantize(bits, o);
  const b = quantizeReference(bits, o);
  expect(Buffer.from(a.scales).equals(Buffer.from(b.scales)), `${what} scales`).toBe(true);
  expect(Buffer.from(a.elems).equals(Buffer.from(b.elems)), `${what} elements`).toBe(true);
}

describe('the nv fast path equals the reference path', () => {
  const TENSOR = [undefined, bitsOf(1.5), bitsOf(0.75 * 2 ** -3), bitsOf(2 ** 10), bitsOf(1.25 * 2 ** -20), bitsOf(3.3e-3)];
  it('random tensors, every element format, both scale formats, every option, with and without a tensor scale', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMS),
        fc.constantFrom<ScaleFormat>(UE4M3, UE5M3),
        fc.constantFrom(...ROUNDS),
        fc.boolean(),
        fc.constantFrom<'clamp' | 'nan'>('clamp', 'nan'),
        fc.constantFrom<'symmetric' | 'full'>('symmetric', 'full'),
        fc.constantFrom(...TENSOR),
        fc.constantFrom(1, 3, 16, 32),
        fc.array(blockArb(16), { minLength: 1, maxLength: 6 }),
        (elem, scale, round, guard, overflow, int8Range, tensorScale, k, blocks) => {
          const bits = Uint32Array.from(blocks.flat());
          const o: QuantizeOptions = { elem, scale, blockSize: k, recipe: 'nv', round, guard, overflow, int8Range, tensorScale };
          expectFastIsReference(bits, o);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('values exactly on the thresholds (scale midpoints times max_elem, element midpoints times S) and one ulp either side', () => {
    const k = 8;
    const near = (x: number): number[] => {
      const b = bitsOf(x);
      return Math.fround(x) === x && x > 0 ? [b, b - 1, b + 1] : [];
    };
    for (const scale of [UE4M3, UE5M3]) {
      const sv = TABLES[scale.name].values.filter((v) => Number.isFinite(v));
      for (const elem of ELEMS) {
        const et = TABLES[elem.name];
        const mags = et.int ? et.values.slice(0, 128) : et.values.slice(0, et.signBit).filter((v) => Number.isFinite(v));
        const emax = MAXV[elem.name];
        for (const tb of TENSOR) {
          const t = tb === undefined ? 1 : valueOfBits(tb);
          const blocks: number[] = [];
          for (let c = 0; c + 1 < sv.length; c += 3) {
            // amax on (and beside) the midpoint between scale values c and c + 1
            for (const a of near(((sv[c] + sv[c + 1]) / 2) * emax * t)) {
              const s = sv[c + (c % 2 === 0 ? 0 : 1)] * t; // the scale a tie rounds to
              const block = [a];
              for (let m = 0; block.length < k && m + 1 < mags.length; m += Math.max(1, Math.floor(mags.length / 6))) {
                for (const x of near(((mags[m] + mags[m + 1]) / 2) * s)) if (block.length < k) block.push(m % 2 ? x : (x | 0x80000000) >>> 0);
              }
              while (block.length < k) block.push(0x80000000);
              blocks.push(...block);
            }
          }
          const bits = Uint32Array.from(blocks);
          for (const round of ROUNDS) {
            for (const guard of [false, true]) {
              const o: QuantizeOptions = { elem, scale, blockSize: k, recipe: 'nv', round, guard, int8Range: 'full', tensorScale: tb };
              expectFastIsReference(bits, o, `${elem.name} ${scale.name} ${round} ${guard} T=${t}`);
            }
          }
        }
      }
    }
  });
});

describe('the 4over6 fast path equals the reference path', () => {
  const TENSOR = [undefined, bitsOf(1.5), bitsOf(0.75 * 2 ** -3), bitsOf(3.3e-3)];
  it('random tensors, both scale formats, both roundings, the guard, with and without a tensor scale', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<ScaleFormat>(UE4M3, UE5M3),
        fc.constantFrom(...ROUNDS),
        fc.boolean(),
        fc.constantFrom<'clamp' | 'nan'>('clamp', 'nan'),
        fc.constantFrom(...TENSOR),
        fc.constantFrom(1, 3, 16, 32),
        fc.array(blockArb(16), { minLength: 1, maxLength: 6 }),
        (scale, round, guard, overflow, tensorScale, k, blocks) => {
          const bits = Uint32Array.from(blocks.flat());
          const o: QuantizeOptions = { elem: E2M1, scale, blockSize: k, recipe: '4over6', round, guard, overflow, tensorScale };
          expectFastIsReference(bits, o);
        },
      ),
      { numRuns: 600 },
    );
  });

  it('blocks on a coarse grid, where the two errors are often equal (6 kept), and near-equal', () => {
    // values n / 8 for small n: many blocks whose errors against the two scales tie exactly
    const k = 4;
    const blocks: number[] = [];
    let seed = 12345;
    for (let n = 0; n < 4 * 3000; n++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      blocks.push(bitsOf(((seed >>> 16) % 97) / 8 - 6));
    }
    const bits = Uint32Array.from(blocks);
    for (const scale of [UE4M3, UE5M3]) {
      for (const round of ROUNDS) {
        const o: QuantizeOptions = { elem: E2M1, scale, blockSize: k, recipe: '4over6', round };
        expectFastIsReference(bits, o, `${scale.name} ${round}`);
        // the grid does reach ties: blocks where the nv scales for 6 and for 4 differ and both errors are equal
        const ties = countTies(bits.subarray(0, 4 * 600), k, o);
        expect(ties, `${scale.name} ${round}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('the mse fast path equals the reference path', () => {
  const TENSOR = [undefined, bitsOf(1.5), bitsOf(3.3e-3)];
  it('random tensors, every element and scale format, every option, with and without a tensor scale', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMS),
        fc.constantFrom<ScaleFormat>(E8M0, UE4M3, UE5M3),
        fc.constantFrom(...ROUNDS),
        fc.boolean(),
        fc.constantFrom<'symmetric' | 'full'>('symmetric', 'full'),
        fc.constantFrom(...TENSOR),
        fc.constantFrom(1, 3, 16),
        fc.array(blockArb(16), { minLength: 1, maxLength: 3 }),
        (elem, scale, round, guard, int8Range, tensorScale, k, blocks) => {
          const bits = Uint32Array.from(blocks.flat());
          const o: QuantizeOptions = { elem, scale, blockSize: k, recipe: 'mse', round, guard, int8Range, tensorScale };
          expectFastIsReference(bits, o);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('blocks on a coarse grid, where errors under different scales tie', () => {
    const k = 4;
    const blocks: number[] = [];
    let seed = 777;
    for (let n = 0; n < 4 * 1500; n++) {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      blocks.push(bitsOf(((seed >>> 16) % 97) / 8 - 6));
    }
    const bits = Uint32Array.from(blocks);
    for (const [elem, scale] of [[E2M1, UE4M3], [E2M1, E8M0], [E4M3, UE5M3], [INT8, E8M0]] as const) {
      for (const round of ROUNDS) {
        const o: QuantizeOptions = { elem, scale, blockSize: k, recipe: 'mse', round };
        expectFastIsReference(bits, o, `${elem.name} ${scale.name} ${round}`);
      }
    }
  });
});

describe('the fast paths equal the reference on heavy-tailed blocks of 32 (the sweeps\' case)', () => {
  // Student-t(3) values at several magnitudes: blocks whose small values fall below the smallest
  // element (the zero tail of the sorted error), and power-of-two scales that shift a grid onto itself
  const values = (seed: number, mag: number): Uint32Array => {
    const t = studentT(1 << 11, 3, seed);
    for (let i = 0; i < t.length; i++) t[i] *= mag;
    return new Uint32Array(t.buffer);
  };
  it.each([
    [E2M1, UE4M3],
    [E2M1, E8M0],
    [E4M3, E8M0],
    [E4M3, UE5M3],
    [E5M2, E8M0],
    [INT8, UE4M3],
  ].map(([elem, scale]) => ({ elem, scale, name: `${elem.name} x ${scale.name}` })))('mse, and 4over6 where it applies: $name', ({ elem, scale }) => {
    for (const [seed, mag] of [[1, 1], [2, 0.002], [3, 3e-6], [4, 2 ** 100]] as const) {
      const bits = values(seed, mag);
      for (const round of ROUNDS) {
        for (const guard of [false, true]) {
          expectFastIsReference(bits, { elem, scale, blockSize: 32, recipe: 'mse', round, guard }, `mse ${elem.name} ${scale.name} ${seed} ${round} ${guard}`);
          if (elem === E2M1 && scale !== E8M0) expectFastIsReference(bits, { elem, scale, blockSize: 32, recipe: '4over6', round, guard }, `4over6 ${seed} ${round} ${guard}`);
        }
      }
    }
  }, 120_000);
});

/** Blocks whose squared errors against the scales for amax -> 6 and amax -> 4 are equal (the scales differ). */
function countTies(bits: Uint32Array, k: number, o: QuantizeOptions): number {
  let ties = 0;
  for (let j = 0; j < bits.length / k; j++) {
    const block = [...bits.subarray(j * k, (j + 1) * k)];
    const amax = Math.max(...block.map((b) => Math.abs(valueOfBits(b))));
    if (amax === 0) continue;
    const c6 = nearestCode(TABLES[o.scale.name], fix(amax), false, fix(6), 'rne');
    const c4 = nearestCode(TABLES[o.scale.name], fix(amax), false, fix(4), 'rne');
    if (c6 === c4) continue;
    const err = (c: number): bigint => {
      const s = TABLES[o.scale.name].values[c];
      return squaredError(block.map(valueOfBits), block.map((b) => TABLES.e2m1.values[nearestCode(TABLES.e2m1, fix(valueOfBits(b)), valueOfBits(b) < 0, fix(s), o.round ?? 'rne')] * s));
    };
    if (err(c6) === err(c4)) ties++;
  }
  return ties;
}

describe('nv, 4over6 and mse against the definitions', () => {
  const tensor = fc.oneof(fc.constant(undefined), fc.constantFrom(bitsOf(1 / 448), bitsOf(3.25), bitsOf(2 ** -20), bitsOf(1000.5)));
  for (const scale of [UE4M3, UE5M3]) {
    it(`nv with ${scale.name} scales`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...ELEMS), fc.constantFrom(...ROUNDS), fc.boolean(), fc.constantFrom<'clamp' | 'nan'>('clamp', 'nan'), tensor, blockArb(8), (elem, round, guard, overflow, tensorScale, bits) => {
          const o: QuantizeOptions = { elem, scale, blockSize: 8, recipe: 'nv', round, guard, overflow, tensorScale };
          expect(run(bits, o)).toEqual(oracle(bits.map(valueOfBits), o));
        }),
        { numRuns: 300 },
      );
    });
    it(`4over6 with ${scale.name} scales`, () => {
      fc.assert(
        fc.property(fc.constantFrom(...ROUNDS), fc.boolean(), tensor, blockArb(16), (round, guard, tensorScale, bits) => {
          const o: QuantizeOptions = { elem: E2M1, scale, blockSize: 16, recipe: '4over6', round, guard, tensorScale };
          expect(run(bits, o)).toEqual(oracle(bits.map(valueOfBits), o));
        }),
        { numRuns: 200 },
      );
    });
  }
  it('mse with ue4m3 scales: the minimum over every scale code', () => {
    fc.assert(
      fc.property(fc.constantFrom(E2M1, E4M3, INT8), fc.boolean(), blockArb(8), (elem, guard, bits) => {
        const xs = bits.map(valueOfBits);
        if (xs.some((x) => x !== 0 && Math.abs(x) < 2 ** -60)) return; // keep the dequantized values exact in doubles
        const o: QuantizeOptions = { elem, scale: UE4M3, blockSize: 8, recipe: 'mse', guard };
        expect(run(bits, o)).toEqual(oracle(xs, o));
      }),
      { numRuns: 40 },
    );
  });
  it('mse with e8m0 scales: the minimum over every scale code', () => {
    fc.assert(
      fc.property(fc.constantFrom(E2M1, E4M3), blockArb(4), (elem, bits) => {
        const xs = bits.map(valueOfBits);
        const o: QuantizeOptions = { elem, scale: E8M0, blockSize: 4, recipe: 'mse' };
        expect(run(bits, o)).toEqual(oracle(xs, o));
      }),
      { numRuns: 15 },
    );
  });

  it('recipe relations on the same block: mse <= 4over6 <= nv (FP4, UE4M3 scales); mse <= floor (E8M0)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }), { minLength: 16, maxLength: 16 }), fc.boolean(), (vals, guard) => {
        const bits = vals.map(bitsOf);
        const xs = bits.map(valueOfBits);
        if (xs.some((x) => x !== 0 && Math.abs(x) < 2 ** -60)) return;
        const base = { elem: E2M1, scale: UE4M3, blockSize: 16, guard } as const;
        const err = (recipe: ScaleRecipe, scale: ScaleFormat = UE4M3) => {
          const o = { ...base, scale, recipe };
          return errorOf(xs, run(bits, o), o);
        };
        const nv = err('nv');
        const fo = err('4over6');
        const mse = err('mse');
        expect(fo <= nv).toBe(true);
        expect(mse <= fo).toBe(true);
        expect(err('mse', E8M0) <= err('floor', E8M0)).toBe(true);
        expect(err('mse', E8M0) <= err('ceil', E8M0)).toBe(true);
      }),
      { numRuns: 60 },
    );
  });
});

describe('edge cases, each with its documented result', () => {
  const q = (vals: number[], o: Partial<QuantizeOptions> = {}) => {
    const r = quantize(Uint32Array.from(vals.map(bitsOf)), { elem: E2M1, scale: E8M0, blockSize: vals.length, ...o });
    return { scale: r.scales[0], elems: [...r.elems] };
  };
  it('an all-zero block: scale 0x00, zero elements keeping their sign', () => {
    expect(q([0, -0, 0, 0])).toEqual({ scale: 0, elems: [0, 8, 0, 0] });
    expect(q([0, -0], { elem: INT8 })).toEqual({ scale: 0, elems: [0, 0] });
    expect(q([0, -0], { scale: UE4M3, recipe: 'nv' })).toEqual({ scale: 0, elems: [0, 8] });
    expect(q([-0, 0], { scale: UE5M3, recipe: 'mse', guard: true })).toEqual({ scale: 0, elems: [8, 0] });
  });
  it('NaN or Inf anywhere: the NaN scale, zero elements', () => {
    expect(q([1, NaN, 2, 3])).toEqual({ scale: 0xff, elems: [0, 0, 0, 0] });
    expect(q([1, -Infinity, 2, 3])).toEqual({ scale: 0xff, elems: [0, 0, 0, 0] });
    expect(q([1, Infinity], { scale: UE4M3, recipe: 'nv' }).scale).toBe(0x7f);
    expect(q([1, NaN], { scale: UE5M3, recipe: '4over6' }).scale).toBe(0xff);
    expect(q([NaN, 1], { scale: UE4M3, recipe: 'mse', elem: E4M3 }).scale).toBe(0x7f);
  });
  it('floor: MXFP4 worked examples', () => {
    // amax 7: floor(log2 7) = 2 = emax -> X = 0; 7 saturates to 6, 5 ties to 4, -0.1 -> -0
    expect(q([1, 7, 5, -0.1])).toEqual({ scale: 127, elems: [0x2, 0x7, 0x6, 0x8] });
    // ceil: 7 > 6 -> X = 1; 7/2 = 3.5 ties to 4, 5/2 = 2.5 ties to 2
    expect(q([1, 7, 5, -0.1], { recipe: 'ceil' })).toEqual({ scale: 128, elems: [0x1, 0x6, 0x4, 0x8] });
    expect(q([1, 7, 5, -0.1], { recipe: 'ceil', round: 'away' })).toEqual({ scale: 128, elems: [0x1, 0x6, 0x5, 0x8] });
    // MXINT8: emax 0, amax 3 -> X = 1, 3/2 = 1.5 = 96/64
    expect(q([3, -1], { elem: INT8 })).toEqual({ scale: 128, elems: [96, 256 - 32] });
  });
  it('FP32 subnormal inputs: their exact values, the exponent clamped to -127', () => {
    // amax 2^-130 (subnormal): E4M3 X = -138 clamps to -127; 2^-130 / 2^-127 = 2^-3 = 0x20 in E4M3
    expect(q([2 ** -130, -(2 ** -131)], { elem: E4M3 })).toEqual({ scale: 0, elems: [0x20, 0x98] });
    // the smallest subnormal alone: 2^-149 / 2^-127 = 2^-22 rounds to zero in every element format
    expect(q([2 ** -149])).toEqual({ scale: 0, elems: [0] });
  });
  it('a scale above the range: clamp by default, NaN as an option', () => {
    // MXINT8 ceil of amax = the largest FP32: 2^128 * (1 - 2^-24) > 127/64 * 2^127 needs 2^128
    const big = valueOfBits(0x7f7fffff);
    expect(q([big], { elem: INT8, recipe: 'ceil' })).toEqual({ scale: 0xfe, elems: [0x7f] });
    expect(q([big], { elem: INT8, recipe: 'ceil', overflow: 'nan' })).toEqual({ scale: 0xff, elems: [0] });
    // nv: 6000 / 6 = 1000 > 448
    expect(q([6000, 1], { scale: UE4M3, recipe: 'nv' })).toEqual({ scale: 0x7e, elems: [0x7, 0x0] });
    expect(q([6000, 1], { scale: UE4M3, recipe: 'nv', overflow: 'nan' })).toEqual({ scale: 0x7f, elems: [0, 0] });
  });
  it('the underflow guard keeps a small block from being flushed', () => {
    const tiny = 1.5 * 2 ** -10; // amax / 6 = 2^-12 rounds to zero in UE4M3 (smallest 2^-9)
    expect(q([tiny, -tiny], { scale: UE4M3, recipe: 'nv' })).toEqual({ scale: 0, elems: [0, 8] });
    expect(q([tiny, -tiny], { scale: UE4M3, recipe: 'nv', guard: true })).toEqual({ scale: 1, elems: [0x2, 0xa] }); // 0.75 -> 1 (tie, even)
    expect(q([2 ** -40], { scale: UE4M3, recipe: 'floor' })).toEqual({ scale: 0, elems: [0] });
    expect(q([2 ** -40], { scale: UE4M3, recipe: 'floor', guard: true }).scale).toBe(1);
  });
  it('INT8 clamps symmetrically unless the full range is asked for', () => {
    expect(q([1, -1.999], { elem: INT8 }).elems).toEqual([64, 0x81]);
    expect(q([1, -1.999], { elem: INT8, int8Range: 'full' }).elems).toEqual([64, 0x80]);
  });
  it('4over6 keeps amax -> 4 when it is exact', () => {
    // amax 4 with 1s: -> 4 means scale 1 and an exact block; -> 6 needs scale 0.6875 and rounds
    const r = q([4, 1, 1, 1, 2, 3], { scale: UE4M3, recipe: '4over6' });
    expect(r.scale).toBe(0x38);
    expect(q([4, 1, 1, 1, 2, 3], { scale: UE4M3, recipe: 'nv' }).scale).toBe(0x33);
    // ties keep 6: a block both represent exactly
    expect(q([0, 0, 0, 0, 0, 0, 0, 0], { scale: UE4M3, recipe: '4over6' }).scale).toBe(0);
  });
  it('a trailing partial block is padded with zeros', () => {
    const r = quantize(Uint32Array.from([1, 2, 3, 4, 5].map(bitsOf)), { elem: E2M1, scale: E8M0, blockSize: 4 });
    expect(r.scales.length).toBe(2);
    expect([...r.elems]).toEqual([0x2, 0x4, 0x5, 0x6, 0x6, 0, 0, 0]); // 5 ties to 4
    expect(r.scales[1]).toBe(127 + 0); // amax 5: floor(log2 5) - 2 = 0
  });
  it('options are checked', () => {
    const bits = new Uint32Array(4);
    expect(() => quantize(bits, { elem: E2M1, scale: E8M0, blockSize: 4, recipe: 'nv' })).toThrow(/ue4m3 or ue5m3/);
    expect(() => quantize(bits, { elem: E4M3, scale: UE4M3, blockSize: 4, recipe: '4over6' })).toThrow(/e2m1/);
    expect(() => quantize(bits, { elem: E2M1, scale: E8M0, blockSize: 0 })).toThrow(RangeError);
    expect(() => quantize(bits, { elem: E2M1, scale: E8M0, blockSize: 4, tensorScale: bitsOf(2) })).toThrow(/tensor scale/);
    expect(() => quantize(bits, { elem: E2M1, scale: UE4M3, blockSize: 4, recipe: 'nv', tensorScale: bitsOf(-2) })).toThrow(/tensor scale/);
    expect(() => quantize(bits, { elem: E2M1, scale: E8M0, blockSize: 4, recipe: 'bogus' as ScaleRecipe })).toThrow(/recipe/);
  });
  it('the automatic tensor scale maps the tensor amax to max_elem * max_scale', () => {
    const t = autoTensorScale(Uint32Array.from([2688, -1, NaN].map(bitsOf)), E2M1, UE4M3); // 6 * 448 = 2688
    expect(valueOfBits(t)).toBe(1);
    expect(valueOfBits(autoTensorScale(new Uint32Array(3), E2M1, UE4M3))).toBe(1);
    // 1 / 2688 in double, then to FP32: no double-rounding error for a quotient (53 >= 2 * 24 + 2)
    expect(autoTensorScale(Uint32Array.from([bitsOf(-1)]), E2M1, UE4M3)).toBe(bitsOf(1 / 2688));
    expect(autoTensorScale(Uint32Array.from([bitsOf(1)]), E2M1, UE5M3)).toBe(bitsOf(1 / (6 * 114688)));
    expect(autoTensorScale(Uint32Array.from([bitsOf(1)]), INT8, UE4M3)).toBe(bitsOf(1 / ((127 / 64) * 448)));
    expect(autoTensorScale(Uint32Array.from([bitsOf(2 ** -149)]), E2M1, UE4M3)).toBe(1); // rounds to 0: smallest positive
    // with it, the largest block scale lands on the top code
    const vals = Uint32Array.from([3000, 1, 2, 3, 0.5, 0.25, 0.1, 7].map(bitsOf));
    const ts = autoTensorScale(vals, E2M1, UE4M3);
    const r = quantize(vals, { elem: E2M1, scale: UE4M3, blockSize: 4, recipe: 'nv', tensorScale: ts });
    expect(r.scales[0]).toBe(0x7e);
    const deq = dequantize(E2M1, r.elems, UE4M3, r.scales, 4, ts);
    expect(Math.abs(valueOfBits(deq[0]) - 3000)).toBeLessThan(3000 * 0.01);
  });
});
