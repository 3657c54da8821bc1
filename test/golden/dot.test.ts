/** Dequantization and dot products for every format combination, against exact test-side oracles. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  E2M1,
  E5M2,
  E8M0,
  ELEMENT_FORMATS,
  INT8,
  MUL_E2M1_TABLE,
  MUL_E2M1_WIDTH,
  SCALE_FORMATS,
  UE4M3,
  decodeE8M0,
  decodeScale,
  dequantBlockE2M1E8M0,
  dequantE2M1E8M0,
  dequantize,
  dotBlock,
  dotE2M1E8M0,
  dotE2M1E8M0Generic,
  dotMx,
  mulE2M1,
  mulElements,
  type ElementFormat,
  type MxOperand,
  type ScaleFormat,
} from '../../src/index.js';
import { FIX, TABLES, bitsOf, fix, isNearestFp32, valueOfBits } from './helpers.js';

const QNAN = 0x7fc00000;
const ONE = 1n << BigInt(FIX);
const ELEMS = Object.values(ELEMENT_FORMATS);
const SCALES = Object.values(SCALE_FORMATS);

/** FP32 bits of a double that is exactly the product wanted, rounded once (Math.fround). */
function fp32Of(x: number): number {
  return Number.isNaN(x) ? QNAN : bitsOf(x);
}

describe('dequantize', () => {
  for (const elem of ELEMS) {
    for (const scale of SCALES) {
      it(`${elem.name} x ${scale.name}: every element code with every scale code`, () => {
        const et = TABLES[elem.name].values;
        const st = TABLES[scale.name].values;
        const codes = Uint8Array.from(et.keys());
        for (let s = 0; s < st.length; s++) {
          const out = dequantize(elem, codes, scale, [s], codes.length);
          for (let c = 0; c < codes.length; c++) {
            // the double product is exact (few significant bits), Math.fround rounds it once
            const want = fp32Of(Math.fround(et[c] * st[s]));
            if (out[c] !== want) expect(`${elem.name} ${c} x ${scale.name} ${s}: ${out[c]}`).toBe(`${elem.name} ${c} x ${scale.name} ${s}: ${want}`);
          }
        }
      });
    }
  }
  it('with a tensor scale: element * scale * T rounded once', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ELEMS), fc.constantFrom(...SCALES), fc.integer({ min: 1, max: 0x7f7fffff }), fc.nat(), fc.nat(), (elem, scale, t, c0, s0) => {
        const et = TABLES[elem.name].values;
        const st = TABLES[scale.name].values;
        const c = c0 % et.length;
        const s = s0 % st.length;
        const got = dequantize(elem, [c], scale, [s], 1, t)[0];
        expect(got).toBe(fp32Of(Math.fround(et[c] * st[s] * valueOfBits(t)))); // 8 + 4 + 24 bits: exact in double
      }),
      { numRuns: 3000 },
    );
  });
  it('keeps -0, gives the quiet NaN for NaN scales, checks its arguments', () => {
    expect(dequantize(E2M1, [8], E8M0, [127], 1)[0]).toBe(0x80000000);
    expect(dequantize(INT8, [0], UE4M3, [0x38], 1)[0]).toBe(0);
    expect(dequantize(E2M1, [1], UE4M3, [0x7f], 1)[0]).toBe(QNAN);
    expect(dequantize(E5M2, [0x7c], UE4M3, [0], 1)[0]).toBe(QNAN); // Inf * 0
    expect(() => dequantize(E2M1, [1, 2, 3], E8M0, [127], 2)).toThrow(RangeError);
    expect(() => dequantize(E2M1, [16], E8M0, [127], 1)).toThrow(RangeError);
  });
  it('the MXFP4 lane functions keep their results', () => {
    for (let c = 0; c < 16; c++) {
      for (let s = 0; s < 256; s++) {
        expect(dequantE2M1E8M0(c, s)).toBe(fp32Of(Math.fround(TABLES.e2m1.values[c] * TABLES.e8m0.values[s])));
      }
    }
    expect([...dequantBlockE2M1E8M0([1, 9, 7], 128)]).toEqual([1, -1, 12].map(bitsOf));
  });
});

describe('products', () => {
  it('mulE2M1 and its table: a * b * 4 as a 9-bit integer', () => {
    const v = TABLES.e2m1.values;
    for (let a = 0; a < 16; a++) {
      for (let b = 0; b < 16; b++) {
        const want = v[a] * v[b] * 4 + 0; // -0 -> 0
        expect(mulE2M1(a, b) + 0).toBe(want); // an integer: a JavaScript -0 counts as 0
        expect(MUL_E2M1_TABLE[(a << 4) | b]).toBe(want);
        expect(Math.abs(want)).toBeLessThan(2 ** (MUL_E2M1_WIDTH - 1));
      }
    }
  });
  it('mulElements: exact products of any two element formats', () => {
    for (const fa of ELEMS) {
      for (const fb of ELEMS) {
        for (const [a, b] of [[1, 3], [0x0f, 0x05], [0, 0x0e]]) {
          const r = mulElements(fa, a, fb, b);
          const want = TABLES[fa.name].values[a] * TABLES[fb.name].values[b];
          expect(r.sign ? -(Number(r.sig) * 2 ** r.exp) : Number(r.sig) * 2 ** r.exp).toBe(want);
        }
      }
    }
  });
});

/** A random finite element code of a format (the exact oracle below covers finite values). */
function finiteCode(f: ElementFormat): fc.Arbitrary<number> {
  const v = TABLES[f.name].values;
  return fc.nat({ max: v.length - 1 }).map((c) => {
    while (!Number.isFinite(v[c])) c = (c + 1) % v.length;
    return c;
  });
}

function finiteScale(f: ScaleFormat): fc.Arbitrary<number> {
  const v = TABLES[f.name].values;
  return fc.nat({ max: v.length - 1 }).map((c) => (Number.isFinite(v[c]) ? c : c - 1));
}

interface Case {
  a: MxOperand;
  b: MxOperand;
  k: number;
}

const caseArb: fc.Arbitrary<Case> = fc
  .record({
    fa: fc.constantFrom(...ELEMS),
    fb: fc.constantFrom(...ELEMS),
    sa: fc.constantFrom(...SCALES),
    sb: fc.constantFrom(...SCALES),
    k: fc.integer({ min: 1, max: 8 }),
    n: fc.integer({ min: 1, max: 4 }),
    ta: fc.option(fc.integer({ min: 0x30000000, max: 0x50000000 }), { nil: undefined }),
    tb: fc.option(fc.integer({ min: 0x30000000, max: 0x50000000 }), { nil: undefined }),
  })
  .chain(({ fa, fb, sa, sb, k, n, ta, tb }) =>
    fc
      .record({
        ca: fc.array(finiteCode(fa), { minLength: k * n, maxLength: k * n }),
        cb: fc.array(finiteCode(fb), { minLength: k * n, maxLength: k * n }),
        xa: fc.array(finiteScale(sa), { minLength: n, maxLength: n }),
        xb: fc.array(finiteScale(sb), { minLength: n, maxLength: n }),
      })
      .map(({ ca, cb, xa, xb }) => ({
        a: { elem: fa, scale: sa, codes: ca, scales: xa, tensorScale: ta },
        b: { elem: fb, scale: sb, codes: cb, scales: xb, tensorScale: tb },
        k,
      })),
  );

/** The exact dot product in units of 2^-FIX. */
function exactDot({ a, b, k }: Case): bigint {
  const va = TABLES[a.elem.name].values;
  const vb = TABLES[b.elem.name].values;
  const sa = TABLES[a.scale.name].values;
  const sb = TABLES[b.scale.name].values;
  let total = 0n;
  for (let i = 0; i < a.codes.length; i++) {
    const j = Math.floor(i / k);
    total += fix(va[a.codes[i]] * vb[b.codes[i]] * sa[a.scales[j]] * sb[b.scales[j]]); // <= 16 significant bits: exact
  }
  for (const t of [a.tensorScale, b.tensorScale]) if (t !== undefined) total = (total * fix(valueOfBits(t))) / ONE;
  return total;
}

describe('dotMx', () => {
  it('exact accumulation: one rounding of the exact sum, any formats for A and B', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const got = dotMx(c.a, c.b, c.k, 'exact');
        const x = exactDot(c);
        if (x === 0n) expect(got).toBe(0); // an exact zero is +0
        else expect(isNearestFp32(got, x)).toBe(true);
      }),
      { numRuns: 1500 },
    );
  });

  it('fp32 accumulation: block results rounded, then added in FP32 in order', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const n = c.a.scales.length;
        let acc = 0;
        for (let j = 0; j < n; j++) {
          const blk = (o: MxOperand): MxOperand => ({ ...o, tensorScale: undefined, codes: Array.from(o.codes).slice(j * c.k, (j + 1) * c.k), scales: [o.scales[j]] });
          const p = valueOfBits(dotMx(blk(c.a), blk(c.b), c.k, 'exact'));
          acc = j === 0 ? p : Math.fround(acc + p); // double sum of two FP32 values rounded once: exact IEEE addition
        }
        const ts = [c.a.tensorScale, c.b.tensorScale].filter((t) => t !== undefined).map((t) => valueOfBits(t as number));
        if (ts.length > 0) acc = Math.fround(acc * Math.fround(ts.reduce((p, t) => p * t, 1)));
        expect(dotMx(c.a, c.b, c.k, 'fp32')).toBe(fp32Of(acc));
      }),
      { numRuns: 1500 },
    );
  });

  it('exact and fp32 accumulation differ where FP32 partial sums overflow', () => {
    // three blocks of 1.5 * 2^127, 1.5 * 2^127, -1.5 * 2^127
    const a: MxOperand = { elem: E2M1, scale: E8M0, codes: [3, 3, 0xb], scales: [254, 254, 254] };
    const b: MxOperand = { elem: E2M1, scale: E8M0, codes: [2, 2, 2], scales: [127, 127, 127] };
    expect(dotMx(a, b, 1, 'exact')).toBe(bitsOf(1.5 * 2 ** 127));
    expect(dotMx(a, b, 1, 'fp32')).toBe(0x7f800000);
  });

  it('specials: NaN scale, NaN element, Inf, Inf - Inf, zeros', () => {
    const op = (elem: ElementFormat, codes: number[], scales: number[], scale: ScaleFormat = E8M0): MxOperand => ({ elem, scale, codes, scales });
    const ones = op(E2M1, [2, 2], [127]);
    expect(dotMx(op(E2M1, [2, 2], [255]), ones, 2)).toBe(QNAN);
    expect(dotMx(op(E5M2, [0x7d, 0x3c], [127]), ones, 2)).toBe(QNAN);
    expect(dotMx(op(E5M2, [0x7c, 0x3c], [127]), ones, 2)).toBe(0x7f800000);
    expect(dotMx(op(E5M2, [0x7c, 0xfc], [127]), ones, 2)).toBe(QNAN);
    expect(dotMx(op(E5M2, [0x7c, 0x3c], [0], UE4M3), ones, 2)).toBe(QNAN); // Inf * zero scale
    expect(dotMx(op(E2M1, [8, 8], [127]), ones, 2, 'exact')).toBe(0); // -0 + -0 sums to +0
    expect(dotMx(op(E2M1, [2, 0xa], [127]), ones, 2, 'fp32')).toBe(0);
    // fp32: two blocks rounding to -0 (tiny negative values) add to -0
    const tiny = op(E2M1, [0x9, 0x9], [0, 0]);
    const tinyB = op(E2M1, [1, 1], [0, 0]);
    expect(dotMx(tiny, tinyB, 1, 'fp32')).toBe(0x80000000);
    expect(dotMx(tiny, tinyB, 1, 'exact')).toBe(0x80000000); // not an exact zero: -2^-256 rounds to -0
    expect(() => dotMx(ones, op(E2M1, [2], [127]), 2)).toThrow(RangeError);
    expect(() => dotMx(ones, ones, 3)).toThrow(RangeError);
  });

  it('dotBlock takes any element formats, INT8 included, and equals a one-block dotMx', () => {
    fc.assert(
      fc.property(caseArb, (c) => {
        const k = c.k;
        const a = Array.from(c.a.codes).slice(0, k);
        const b = Array.from(c.b.codes).slice(0, k);
        const got = dotBlock(c.a.elem, a, c.b.elem, b, decodeScale(c.a.scale, c.a.scales[0]), decodeScale(c.b.scale, c.b.scales[0]));
        expect(got).toBe(dotMx({ ...c.a, tensorScale: undefined, codes: a, scales: [c.a.scales[0]] }, { ...c.b, tensorScale: undefined, codes: b, scales: [c.b.scales[0]] }, k));
      }),
      { numRuns: 500 },
    );
  });

  it('the MXFP4 fast path equals the generic path and the exact oracle', () => {
    fc.assert(
      fc.property(fc.array(fc.nat({ max: 15 }), { minLength: 32, maxLength: 32 }), fc.array(fc.nat({ max: 15 }), { minLength: 32, maxLength: 32 }), fc.nat({ max: 255 }), fc.nat({ max: 255 }), (a, b, sa, sb) => {
        const fast = dotE2M1E8M0(Uint8Array.from(a), 0, Uint8Array.from(b), 0, 32, sa, sb);
        expect(fast).toBe(dotE2M1E8M0Generic(a, b, sa, sb));
        expect(fast).toBe(dotBlock(E2M1, a, E2M1, b, decodeE8M0(sa), decodeE8M0(sb)));
        if (sa !== 255 && sb !== 255) {
          expect(fast).toBe(dotMx({ elem: E2M1, scale: E8M0, codes: a, scales: [sa] }, { elem: E2M1, scale: E8M0, codes: b, scales: [sb] }, 32));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
