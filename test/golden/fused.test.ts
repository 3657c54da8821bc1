/**
 * The GPU-compatible fused dot-add (src/fused.ts) against an independent transcription of the
 * published model it follows (microsoft/MMA-Sim, mmasim/simulator/arithmetic.py: nv_fused_dot_add
 * and nv_fused_dot_add_with_block_scale), written here in double arithmetic as the model is, with its
 * own decoding of the codes; worked examples whose values are derived by hand; the specials; and
 * results measured on an NVIDIA H200 (torch._scaled_mm, FP8), which the hopper mode must reproduce.
 */
import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { E2M1, E2M3, E3M2, E4M3, E5M2, E8M0, UE4M3, FUSED_NAN, dotMx, fp32Add, fusedDotAdd, type ElementFormat, type FusedKind, type MinifloatSpec } from '../../src/index.js';
import { bitsOf, valueOfBits } from './helpers.js';

// ---- the model, transcribed (doubles, as in the Python source) ----

/** A minifloat code's value, from its fields (NaN / Inf where the format has them). */
function decode(f: MinifloatSpec, code: number): number {
  const sign = f.signed && (code >> (f.ebits + f.mbits)) & 1 ? -1 : 1;
  const e = (code >> f.mbits) & ((1 << f.ebits) - 1);
  const m = code & ((1 << f.mbits) - 1);
  const top = (1 << f.ebits) - 1;
  if (f.specials === 'ieee' && e === top) return m === 0 ? sign * Infinity : NaN;
  if (f.specials === 'nan-all-ones' && e === top && m === (1 << f.mbits) - 1) return NaN;
  return e === 0 ? sign * m * 2 ** (1 - f.bias - f.mbits) : sign * (2 ** f.mbits + m) * 2 ** (e - f.bias - f.mbits);
}
const e8m0 = (code: number): number => (code === 0xff ? NaN : 2 ** (code - 127));

/** math.frexp for finite non-zero doubles of normal range: x = m * 2^e, 0.5 <= |m| < 1. */
function frexp(x: number): [number, number] {
  let e = Math.floor(Math.log2(Math.abs(x))) + 1;
  let m = x / 2 ** e;
  while (Math.abs(m) >= 1) (m /= 2), e++;
  while (Math.abs(m) < 0.5) (m *= 2), e--;
  return [m, e];
}

/** extract_significand_exponent: 1 <= |s| < 2, subnormals at the format's minimum exponent, zero at -126. */
function extract(x: number, minExp: number): [number, number] {
  if (x === 0) return [0, -126];
  let [s, e] = frexp(x);
  s *= 2;
  e -= 1;
  if (e < minExp) {
    s *= 2 ** (e - minExp);
    e = minExp;
  }
  return [s, e];
}

function fusedSumModel(sigs: number[], exps: number[], nFrac: number): [number, number] {
  const E = Math.max(...exps);
  let sum = 0;
  for (let i = 0; i < sigs.length; i++) sum += Math.trunc(sigs[i] * 2 ** (nFrac + exps[i] - E)) * 2 ** -nFrac;
  return [sum, E];
}

/** The FP32 result toward zero with `keep` fraction bits, as bits. */
function outModel(s: number, e: number, keep: number): number {
  const [s2, e2] = extract(s * 2 ** e, -126);
  const v = Math.trunc(s2 * 2 ** keep) * 2 ** -keep * 2 ** e2;
  return bitsOf(Math.fround(v === 0 ? 0 : v));
}

const EMIN: Record<string, number> = { e4m3: -6, e5m2: -14, e3m2: -2, e2m3: 0, e2m1: 0 };

/** nv_fused_dot_add: mxf8f6f4 (nFrac 25, FP32) and Hopper FP8 (nFrac 13, e8m13). */
function nvFusedDotAdd(fa: MinifloatSpec, a: number[], fb: MinifloatSpec, b: number[], c: number, nFrac: number, keep: number, sa = 127, sb = 127): number {
  const x = a.map((v) => decode(fa, v));
  const y = b.map((v) => decode(fb, v));
  const scA = e8m0(sa);
  const scB = e8m0(sb);
  const cv = valueOfBits(c);
  const fp64 = x.reduce((acc, v, i) => acc + v * y[i] * scA * scB, 0) + cv;
  if (Number.isNaN(fp64)) return 0x7fffffff;
  if (!Number.isFinite(fp64)) return bitsOf(fp64);
  const [sc, ec] = extract(cv, -126);
  const esa = extract(scA, -127)[1];
  const esb = extract(scB, -127)[1];
  const sigs = [sc];
  const exps = [ec];
  for (let i = 0; i < x.length; i++) {
    const [p, ep] = extract(x[i], EMIN[fa.name]);
    const [q, eq] = extract(y[i], EMIN[fb.name]);
    sigs.push(p * q);
    exps.push(ep + eq + esa + esb);
  }
  const [s, e] = fusedSumModel(sigs, exps, nFrac);
  return outModel(s, e, keep);
}

/** nv_fused_dot_add_with_block_scale: mxf4nvf4, 64 E2M1 elements, groups of 16 (C = +-Inf: +-Inf, where the model has no case). */
function nvFusedBlockScale(a: number[], b: number[], c: number, scale: 'e8m0' | 'ue4m3', sa: number[], sb: number[]): number {
  const dec = (code: number) => (scale === 'e8m0' ? e8m0(code) : decode(UE4M3, code));
  const scA = sa.map(dec);
  const scB = sb.map(dec);
  const cv = valueOfBits(c);
  if (scA.some(Number.isNaN) || scB.some(Number.isNaN) || Number.isNaN(cv)) return 0x7fffffff;
  if (!Number.isFinite(cv)) return c;
  const block = a.length / sa.length;
  const [sc, ec] = extract(cv, -126);
  const sigs = [sc];
  const exps = [ec];
  const minExp = scale === 'e8m0' ? -127 : -6;
  for (let k = 0; k < a.length; k += 16) {
    let s = 0;
    for (let i = k; i < k + 16; i++) s += decode(E2M1, a[i]) * decode(E2M1, b[i]);
    const [s0, e0] = extract(scA[Math.floor(k / block)], minExp);
    const [s1, e1] = extract(scB[Math.floor(k / block)], minExp);
    sigs.push(s * s0 * s1);
    exps.push(e0 + e1);
  }
  const [s, e] = fusedSumModel(sigs, exps, 35);
  return outModel(s, e, 23);
}

// ---- inputs: codes of every kind, scales near and far, C near the products and at the edges ----

const codeOf = (f: ElementFormat) => fc.integer({ min: 0, max: f === E2M1 ? 15 : f === E2M3 || f === E3M2 ? 63 : 255 });
const scaleCode = fc.oneof(fc.integer({ min: 117, max: 137 }), fc.integer({ min: 0, max: 254 }), fc.constantFrom(0, 1, 253, 254, 255));
const cBits = fc.oneof(
  fc.integer({ min: 0, max: 0xffffffff }).map((x) => x >>> 0),
  fc.tuple(fc.boolean(), fc.integer({ min: 100, max: 150 }), fc.integer({ min: 0, max: 0x7fffff })).map(([s, e, m]) => ((s ? 0x80000000 : 0) | (e << 23) | m) >>> 0),
  fc.constantFrom(0, 0x80000000, 0x3f800000, 0x00000001, 0x807fffff, 0x7f7fffff, 0x7f800000, 0xff800000, 0x7fc00000),
);
/** mostly small codes and zeros, so that sums cancel and terms sit just below the truncation grain */
const sparse = (f: ElementFormat, n: number) => fc.array(fc.oneof(codeOf(f), fc.constant(0), fc.constant(f === E2M1 ? 1 : 8)), { minLength: n, maxLength: n });

const PAIRS: [MinifloatSpec, MinifloatSpec][] = [E4M3, E5M2, E3M2, E2M3, E2M1].flatMap((x) => [E4M3, E5M2, E3M2, E2M3, E2M1].map((y) => [x, y] as [MinifloatSpec, MinifloatSpec]));

describe('blackwell (kind::mxf8f6f4) against the transcribed model', () => {
  for (const [fa, fb] of PAIRS) {
    it(`${fa.name} x ${fb.name}: random and sparse blocks, every scale, every C`, () => {
      fc.assert(
        fc.property(sparse(fa, 32), sparse(fb, 32), scaleCode, scaleCode, cBits, (a, b, sa, sb, c) => {
          const got = fusedDotAdd('blackwell', { elem: fa, codes: a, scale: E8M0, scales: [sa] }, { elem: fb, codes: b, scale: E8M0, scales: [sb] }, c);
          expect(got >>> 0).toBe(nvFusedDotAdd(fa, a, fb, b, c, 25, 23, sa, sb) >>> 0);
        }),
        { numRuns: 400, seed: 0x5eed + fa.ebits * 16 + fb.ebits },
      );
    });
  }
});

describe('hopper (wgmma FP8) against the transcribed model', () => {
  for (const [fa, fb] of [[E4M3, E4M3], [E4M3, E5M2], [E5M2, E4M3], [E5M2, E5M2]] as const) {
    it(`${fa.name} x ${fb.name}, scale 2^0`, () => {
      fc.assert(
        fc.property(sparse(fa, 32), sparse(fb, 32), cBits, (a, b, c) => {
          expect(fusedDotAdd('hopper', { elem: fa, codes: a }, { elem: fb, codes: b }, c) >>> 0).toBe(nvFusedDotAdd(fa, a, fb, b, c, 13, 13) >>> 0);
        }),
        { numRuns: 1500, seed: 0x40 + fa.ebits * 16 + fb.ebits },
      );
    });
  }
});

describe('blackwell-f4 (kind::mxf4nvf4) against the transcribed model', () => {
  for (const [scale, per] of [['e8m0', 2], ['ue4m3', 4]] as const) {
    it(`${scale} scales per ${64 / per}`, () => {
      const sc = scale === 'e8m0' ? scaleCode : fc.oneof(fc.integer({ min: 0, max: 127 }), fc.constantFrom(0, 1, 7, 8, 0x7e, 0x7f));
      fc.assert(
        fc.property(sparse(E2M1, 64), sparse(E2M1, 64), fc.array(sc, { minLength: per, maxLength: per }), fc.array(sc, { minLength: per, maxLength: per }), cBits, (a, b, sa, sb, c) => {
          const f = scale === 'e8m0' ? E8M0 : UE4M3;
          expect(fusedDotAdd('blackwell-f4', { elem: E2M1, codes: a, scale: f, scales: sa }, { elem: E2M1, codes: b, scale: f, scales: sb }, c) >>> 0).toBe(nvFusedBlockScale(a, b, c, scale, sa, sb) >>> 0);
        }),
        { numRuns: 1500, seed: per },
      );
    });
  }
});

// ---- values derived by hand ----

const zeros = (n: number) => new Array<number>(n).fill(0);
const one = (code: number, n = 32) => [code, ...zeros(n - 1)];
const E4M3_ONE = 0x38; // 1.0
const E4M3_1_5 = 0x3c; // 1.5
const FP32_ONE = 0x3f800000;
const bw = (a: number[], b: number[], sa: number, sb: number, c: number, fa: ElementFormat = E4M3, fb: ElementFormat = E4M3) =>
  fusedDotAdd('blackwell', { elem: fa, codes: a, scale: E8M0, scales: [sa] }, { elem: fb, codes: b, scale: E8M0, scales: [sb] }, c) >>> 0;

describe('worked examples', () => {
  it('C = 1.0 plus one product 1.5 * 2^-24 is exactly 1.0 (truncated), where one rounding gives 1 + 2^-23', () => {
    expect(bw(one(E4M3_1_5), one(E4M3_ONE), 127 - 24, 127, FP32_ONE)).toBe(FP32_ONE);
    const mx = (codes: number[], s: number) => ({ elem: E4M3, scale: E8M0, codes, scales: [s] });
    expect(dotMx(mx(one(E4M3_1_5), 127 - 24), mx(one(E4M3_ONE), 127), 32, 'exact', FP32_ONE) >>> 0).toBe(0x3f800001);
    expect(dotMx(mx(one(E4M3_1_5), 127 - 24), mx(one(E4M3_ONE), 127), 32, 'blackwell', FP32_ONE) >>> 0).toBe(FP32_ONE);
  });

  it('a negative term truncates toward zero too: 1.0 - 1.5 * 2^-24 is 1 - 2^-24 with 25 fractional bits, then 1 - 2^-24 in FP32', () => {
    // -1.5 * 2^-24 at E = 0 with 25 fraction bits is exactly -3 * 2^-25; 1 - 3 * 2^-25 truncates to 1 - 2^-23 + ... (binade below 1: quantum 2^-24)
    const got = bw(one(0x80 | E4M3_1_5), one(E4M3_ONE), 127 - 24, 127, FP32_ONE);
    // 1 - 3 * 2^-25 = (2^25 - 3) * 2^-25, in [0.5, 1): 24 bits kept, quantum 2^-24: floor((2^25 - 3) / 2) * 2^-24 = (2^24 - 2) * 2^-24
    expect(valueOfBits(got)).toBe(1 - 2 * 2 ** -24);
  });

  it('zero products beside huge scales raise the alignment exponent and flush C', () => {
    // a zero's exponent is -126, so 0 * 448 at scales 2^127 * 2^127 has exponent -126 + 8 + 254 = 136:
    // C = 1.0 is shifted 136 places and truncated to zero
    expect(bw(zeros(32), new Array(32).fill(0x7e), 254, 254, FP32_ONE)).toBe(0);
    // in exact mode the sum is C
    const mx = (codes: number[]) => ({ elem: E4M3, scale: E8M0, codes, scales: [254] });
    expect(dotMx(mx(zeros(32)), mx(new Array(32).fill(0x7e)), 32, 'exact', FP32_ONE) >>> 0).toBe(FP32_ONE);
    // exactly at the edge: 0 * 1.0 at scales 2^127 * 2^24 has exponent -126 + 0 + 151 = 25, so C = 1.5 keeps
    // 25 - 25 = 0 fractional bits and truncates to 1.0 (with a zero exponent of -127 it would keep 1.5)
    expect(bw(zeros(32), new Array(32).fill(E4M3_ONE), 254, 151, bitsOf(1.5))).toBe(FP32_ONE);
    expect(bw(zeros(32), new Array(32).fill(E4M3_ONE), 254, 150, bitsOf(1.5))).toBe(bitsOf(1.5));
  });

  it('hopper keeps 13 fraction bits: 1 + 2^-14 gives 1.0, blackwell keeps it', () => {
    const tiny = 0x04; // E4M3 2^-7 (subnormal)
    const a = [E4M3_ONE, tiny, ...zeros(30)];
    const b = [E4M3_ONE, tiny, ...zeros(30)];
    expect(fusedDotAdd('hopper', { elem: E4M3, codes: a }, { elem: E4M3, codes: b }, 0) >>> 0).toBe(FP32_ONE);
    expect(valueOfBits(bw(a, b, 127, 127, 0))).toBe(1 + 2 ** -14);
    // e8m13: 1 + 2^-13 is kept, 1 + 2^-13 + 2^-14 truncates to it
    const c13 = bitsOf(1 + 2 ** -13);
    expect(fusedDotAdd('hopper', { elem: E4M3, codes: zeros(32) }, { elem: E4M3, codes: zeros(32) }, c13) >>> 0).toBe(c13);
  });

  it('subnormal results keep the fraction bits below 2^-126 (toward zero)', () => {
    // C = the smallest subnormal, products 0: the result is C (E = -126, C's significand 2^-23 exactly)
    expect(bw(zeros(32), zeros(32), 127, 127, 1)).toBe(1);
    // hopper: 13 fraction bits at 2^-126, so 2^-149 truncates to +0, 2^-139 stays
    expect(fusedDotAdd('hopper', { elem: E4M3, codes: zeros(32) }, { elem: E4M3, codes: zeros(32) }, 1) >>> 0).toBe(0);
    expect(fusedDotAdd('hopper', { elem: E4M3, codes: zeros(32) }, { elem: E4M3, codes: zeros(32) }, 1 << 10) >>> 0).toBe(1 << 10);
  });

  it('overflow: at 2^128 and beyond the result is +-Inf', () => {
    // 448 * 448 * 32 at scales 2^127 * 2^0 is 2^(17.6 + 5 + 127) > 2^128
    expect(bw(new Array(32).fill(0x7e), new Array(32).fill(0x7e), 254, 127, 0)).toBe(0x7f800000);
    expect(bw(new Array(32).fill(0xfe), new Array(32).fill(0x7e), 254, 127, 0)).toBe(0xff800000);
  });

  it('a zero result is +0: exact cancellation, all-zero terms with C = -0', () => {
    expect(bw(one(E4M3_ONE), one(E4M3_ONE), 127, 127, 0xbf800000)).toBe(0);
    expect(bw(zeros(32), zeros(32), 127, 127, 0x80000000)).toBe(0);
  });
});

describe('specials', () => {
  const E5M2_PINF = 0x7c;
  const E5M2_NINF = 0xfc;
  const e5 = (a: number[], b: number[], c = 0, sa = 127) => bw(a, b, sa, 127, c, E5M2, E5M2);
  it('a NaN scale gives 0x7FFFFFFF even over zero elements', () => {
    expect(bw(zeros(32), zeros(32), 0xff, 127, FP32_ONE)).toBe(FUSED_NAN);
    expect(FUSED_NAN).toBe(0x7fffffff);
  });
  it('a NaN element or a NaN C gives 0x7FFFFFFF', () => {
    expect(bw(one(0x7f), one(E4M3_ONE), 127, 127, 0)).toBe(FUSED_NAN);
    expect(bw(zeros(32), zeros(32), 127, 127, 0x7fc00000)).toBe(FUSED_NAN);
  });
  it('Inf x 0 and +Inf with -Inf give NaN; Inf with finite terms gives that Inf', () => {
    expect(e5(one(E5M2_PINF), zeros(32))).toBe(FUSED_NAN);
    expect(e5([E5M2_PINF, E5M2_NINF, ...zeros(30)], [0x3c, 0x3c, ...zeros(30)])).toBe(FUSED_NAN);
    expect(e5(one(E5M2_NINF), one(0x3c), FP32_ONE)).toBe(0xff800000);
    expect(e5(one(E5M2_PINF), one(0x3c), 0xff800000)).toBe(FUSED_NAN);
    expect(e5(zeros(32), zeros(32), 0x7f800000)).toBe(0x7f800000);
  });
});

describe('dotMx with a GPU kind: one instruction after another, D the next C', () => {
  const mx = (elem: ElementFormat, codes: number[], scales: number[]) => ({ elem, scale: E8M0, codes, scales });
  it('two blocks of blackwell are two fused dot-adds in order', () => {
    const a = [...one(E4M3_1_5), ...one(E4M3_ONE)];
    const b = [...one(E4M3_ONE), ...one(E4M3_ONE)];
    const first = bw(one(E4M3_1_5), one(E4M3_ONE), 103, 127, FP32_ONE);
    const second = bw(one(E4M3_ONE), one(E4M3_ONE), 127, 127, first);
    expect(dotMx(mx(E4M3, a, [103, 127]), mx(E4M3, b, [127, 127]), 32, 'blackwell', FP32_ONE) >>> 0).toBe(second);
    expect(second).toBe(bitsOf(2));
  });
  it('refuses shapes the instruction does not have', () => {
    const a = mx(E4M3, zeros(16), [127]);
    expect(() => dotMx(a, a, 16, 'blackwell')).toThrow(/e8m0 scales need a block size of 32, got 16/);
    const i8 = { elem: { name: 'int8', kind: 'int', bits: 8, fracBits: 6 } as ElementFormat, scale: E8M0, codes: zeros(32), scales: [127] };
    expect(() => dotMx(i8, i8, 32, 'blackwell')).toThrow(/A elements must be e4m3, e5m2, e3m2, e2m3, e2m1, got int8/);
    const f4 = mx(E2M1, zeros(32), [127]);
    expect(() => dotMx(f4, f4, 32, 'blackwell-f4')).toThrow(/not a whole number of instructions of 64 elements/);
    const k: FusedKind = 'hopper';
    expect(() => dotMx(mx(E2M1, zeros(32), [127]), mx(E2M1, zeros(32), [127]), 32, k)).toThrow(/A elements must be e4m3, e5m2, got e2m1/);
    expect(() => dotMx({ ...mx(E4M3, zeros(32), [127]), tensorScale: FP32_ONE }, mx(E4M3, zeros(32), [127]), 32, 'exact', 0)).toThrow(/cannot be combined with tensor scales/);
  });
});

describe('measured on an NVIDIA H200 (test/fixtures/h200-scaled-mm.json, from bench/gpu/run_gpu.py)', () => {
  interface FixtureCase {
    name: string;
    elemA: string;
    elemB: string;
    k: number;
    fastAccum: boolean;
    rows: number;
    cols: number;
    a: string;
    b: string;
    d: string;
  }
  const fx = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'h200-scaled-mm.json'), 'utf8')) as { device: string; cases: FixtureCase[] };
  const fmt = (n: string): ElementFormat => (n === 'e4m3' ? E4M3 : E5M2);
  const bytes = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'));
  it('holds K = 32 and K = 256 cases of the three format pairs, with and without fast accumulation', () => {
    expect(fx.device).toBe('NVIDIA H200');
    expect(fx.cases.map((c) => `${c.elemA}x${c.elemB}_k${c.k}_fast${Number(c.fastAccum)}`).sort()).toEqual(fx.cases.map((c) => c.name).sort());
    expect(new Set(fx.cases.map((c) => c.k))).toEqual(new Set([32, 256]));
    expect(fx.cases).toHaveLength(12);
  });
  for (const c of fx.cases) {
    // without fast accumulation, cuBLAS adds the tensor core's sum to an FP32 total every 4 instructions (128 elements)
    const promoted = !c.fastAccum && c.k > 128;
    it(`${c.name}: every result is the hopper chain${promoted ? ', promoted to FP32 every 4 instructions' : ''}`, () => {
      const a = bytes(c.a);
      const b = bytes(c.b);
      const d = new Uint32Array(bytes(c.d).buffer);
      expect(d.length).toBe(c.rows * c.cols);
      const step = promoted ? 128 : c.k;
      for (let i = 0; i < c.rows; i++) {
        for (let j = 0; j < c.cols; j++) {
          let total = 0x80000000;
          for (let off = 0; off < c.k; off += step) {
            const op = (f: ElementFormat, src: Uint8Array, r: number) => ({ elem: f, scale: E8M0, codes: src.subarray(r * c.k + off, r * c.k + off + step), scales: new Array(step / 32).fill(127) });
            const part = dotMx(op(fmt(c.elemA), a, i), op(fmt(c.elemB), b, j), 32, 'hopper');
            total = promoted ? fp32Add(total, part) : part;
          }
          expect(total >>> 0, `[${i}, ${j}]`).toBe(d[i * c.cols + j]);
        }
      }
    });
  }
});
