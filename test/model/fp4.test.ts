// MXFP4 golden model: value tables written out from the OCP MX definition of E2M1 and E8M0,
// and properties of the dot product that follow from its definition.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  E2M1,
  FP32_QNAN,
  decodeE8M0,
  decodeMinifloat,
  dequantE2M1E8M0,
  dotE2M1E8M0,
  dotE2M1E8M0Generic,
  fp32BitsToNumber,
  mulE2M1,
  numberToFp32Bits,
  roundToFp32,
} from '../../src/index.js';

// E2M1 codes 0..7 in order (positive half), from the format: e=0 subnormal 0, 0.5; e=1: 1, 1.5; e=2: 2, 3; e=3: 4, 6.
const E2M1_POS = [0, 0.5, 1, 1.5, 2, 3, 4, 6];
const e2m1Value = (c: number) => (c & 8 ? -1 : 1) * E2M1_POS[c & 7];

const exactValue = (r: { sign: number; sig: number | bigint; exp: number }) => (r.sign ? -1 : 1) * Number(r.sig) * 2 ** r.exp;

describe('E2M1 decode', () => {
  it('matches the value table for all 16 codes, including -0', () => {
    for (let c = 0; c < 16; c++) {
      const r = decodeMinifloat(E2M1, c);
      expect(r.nan || r.inf).toBe(false);
      expect(exactValue(r)).toBe(e2m1Value(c));
    }
  });
});

describe('E8M0 decode', () => {
  it('is 2^(code-127) with 0xFF NaN', () => {
    expect(decodeE8M0(0xff).nan).toBe(true);
    for (const [code, value] of [[127, 1], [128, 2], [126, 0.5], [0, 2 ** -127], [254, 2 ** 127]] as const) {
      expect(exactValue(decodeE8M0(code))).toBe(value);
    }
  });
});

describe('FP4 multiplier', () => {
  it('gives a*b*4 for all 256 pairs', () => {
    for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) {
      const v = mulE2M1(a, b);
      expect(v === 0 ? 0 : v).toBe(e2m1Value(a) * e2m1Value(b) * 4 || 0); // one zero: -0 * x is 0
      expect(Number.isInteger(v) && v >= -144 && v <= 144).toBe(true);
    }
  });
});

describe('FP32 rounding', () => {
  // Expected values from JavaScript's own correctly rounded double -> float conversion, on values
  // that are exact doubles.
  it('agrees with Math.fround on exact doubles, subnormals and overflow included', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 40 }), fc.integer({ min: -200, max: 110 }), fc.boolean(), (mag, exp, neg) => {
        const x = (neg ? -1 : 1) * mag * 2 ** exp;
        expect(roundToFp32(neg, mag, exp)).toBe(numberToFp32Bits(Math.fround(x)));
      }),
      { numRuns: 20000 },
    );
  });
  it('agrees with Math.fround for every magnitude below 2^12 at every exponent from -175 to 120', () => {
    let bad = 0;
    for (let mag = 1; mag < 4096; mag++) {
      for (let exp = -175; exp <= 120; exp++) {
        if (roundToFp32(false, mag, exp) !== numberToFp32Bits(Math.fround(mag * 2 ** exp))) bad++;
      }
    }
    expect(bad).toBe(0);
  });
  it('rounds ties to even at the subnormal boundary', () => {
    // 2^-150 is half the smallest subnormal: ties to 0; 3 * 2^-150 ties up to 2 * 2^-149.
    expect(roundToFp32(false, 1, -150)).toBe(0);
    expect(roundToFp32(true, 1, -150)).toBe(0x80000000);
    expect(roundToFp32(false, 3, -150)).toBe(2);
    expect(roundToFp32(false, 5, -151)).toBe(1); // 1.25 ulp -> 1
    expect(roundToFp32(false, (1 << 24) - 1, 104)).toBe(0x7f7fffff); // largest finite
    expect(roundToFp32(false, (1 << 25) - 1, 103)).toBe(0x7f800000); // rounds up past it: Inf
  });
});

describe('MXFP4 dequantize', () => {
  it('is element * 2^(scale-127) for every code and scale', () => {
    for (let c = 0; c < 16; c++) for (let s = 0; s < 256; s++) {
      const bits = dequantE2M1E8M0(c, s);
      if (s === 255) {
        expect(bits).toBe(FP32_QNAN);
        continue;
      }
      // the product is an exact double; Math.fround rounds it (only overflow can change it)
      expect(bits).toBe(numberToFp32Bits(Math.fround(e2m1Value(c) * 2 ** (s - 127))));
    }
  });
});

const code = fc.integer({ min: 0, max: 15 });
const block = (k: number) => fc.array(code, { minLength: k, maxLength: k });
const scale = fc.integer({ min: 0, max: 254 });
const dot = (a: number[], b: number[], sa: number, sb: number) => dotE2M1E8M0(a, 0, b, 0, a.length, sa, sb);

describe('MXFP4 dot product', () => {
  it('equals the sum of exact products, scaled and rounded once (checked in doubles where exact)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 64 }).chain((k) => fc.tuple(block(k), block(k))), scale, scale, ([a, b], sa, sb) => {
        let s = 0;
        for (let i = 0; i < a.length; i++) s += e2m1Value(a[i]) * e2m1Value(b[i]); // exact: multiples of 1/4, small
        const x = s * 2 ** (sa - 127) * 2 ** (sb - 127); // exact in double: < 2^13 significant bits, exponent in range
        const expected = s === 0 ? 0 : numberToFp32Bits(Math.fround(x));
        expect(dot(a, b, sa, sb)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
  it('fast path equals the generic Raw path', () => {
    fc.assert(
      fc.property(block(32), block(32), fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (a, b, sa, sb) => {
        expect(dot(a, b, sa, sb)).toBe(dotE2M1E8M0Generic(a, b, sa, sb));
      }),
      { numRuns: 3000 },
    );
  });
  it('is commutative', () => {
    fc.assert(
      fc.property(block(32), block(32), scale, scale, (a, b, sa, sb) => {
        expect(dot(a, b, sa, sb)).toBe(dot(b, a, sb, sa));
      }),
    );
  });
  it('is sign symmetric: negating every element of A negates the result unless the sum is exactly zero', () => {
    fc.assert(
      fc.property(block(32), block(32), scale, scale, (a, b, sa, sb) => {
        const r = dot(a, b, sa, sb);
        const n = dot(a.map((c) => c ^ 8), b, sa, sb);
        const exactZero = a.reduce((s, c, i) => s + e2m1Value(c) * e2m1Value(b[i]), 0) === 0;
        if (exactZero) expect([r, n]).toEqual([0, 0]);
        else expect(n).toBe((r ^ 0x80000000) >>> 0);
      }),
    );
  });
  it('doubles a finite, normal, non-overflowing result when one scale is raised by 1', () => {
    fc.assert(
      fc.property(block(32), block(32), fc.integer({ min: 0, max: 253 }), scale, (a, b, sa, sb) => {
        const r = dot(a, b, sa, sb);
        const x = fp32BitsToNumber(r);
        fc.pre(x !== 0 && Number.isFinite(x) && Math.abs(x) >= 2 ** -126 && Math.abs(x) * 2 < 2 ** 128);
        expect(fp32BitsToNumber(dot(a, b, sa + 1, sb))).toBe(2 * x);
      }),
      { numRuns: 2000 },
    );
  });
  it('gives the quiet NaN for a NaN scale and +0 for an exact zero sum', () => {
    const a = Array(32).fill(0b0010); // 1.0
    const b = [...Array(16).fill(0b0010), ...Array(16).fill(0b1010)]; // 16 * 1 - 16 * 1 = 0
    expect(dot(a, b, 127, 127)).toBe(0);
    expect(Object.is(fp32BitsToNumber(dot(a, b, 127, 127)), 0)).toBe(true);
    expect(dot(a, a, 255, 127)).toBe(FP32_QNAN);
    expect(dot(a, a, 127, 255)).toBe(FP32_QNAN);
    expect(dot(Array(32).fill(0b0111), Array(32).fill(0b0111), 254, 254)).toBe(0x7f800000); // 1152 * 2^254
    expect(dot(Array(32).fill(0b1111), Array(32).fill(0b0111), 254, 254)).toBe(0xff800000);
  });
});
