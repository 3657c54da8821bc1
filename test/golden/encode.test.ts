/** Element and scale encoders: nearest value, ties, saturation, monotonicity, sign symmetry; FP32 helpers. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  E2M1,
  E2M3,
  E3M2,
  E4M3,
  E5M2,
  E8M0,
  INT8,
  UE4M3,
  UE5M3,
  encodeElementFp32,
  encodeElementRatio,
  encodeScaleFp32,
  encodeScaleRatio,
  fp32Add,
  fp32Mul,
  parseFp32,
  roundRatioToFp32,
  type ElementFormat,
  type RoundMode,
  type ScaleFormat,
} from '../../src/index.js';
import { FIX, TABLES, bitsOf, fix, isNearestFp32, nearestCode, valueOfBits } from './helpers.js';

const ONE = 1n << BigInt(FIX);

const ELEMS: [string, ElementFormat, number, number][] = [
  // name, format, lowest interesting exponent, highest
  ['e2m1', E2M1, -4, 4],
  ['e2m3', E2M3, -5, 4],
  ['e3m2', E3M2, -7, 6],
  ['e4m3', E4M3, -12, 10],
  ['e5m2', E5M2, -19, 17],
  ['int8', INT8, -9, 3],
];

/** FP32 bits with an unbiased exponent in [lo, hi]: random mantissas and mantissas with few set bits (ties). */
function fp32Bits(lo: number, hi: number): fc.Arbitrary<number> {
  const mant = fc.oneof(
    fc.integer({ min: 0, max: 0x7fffff }),
    fc.integer({ min: 0, max: 63 }).map((m) => m << 17),
    fc.integer({ min: 0, max: 7 }).map((m) => m << 20),
  );
  return fc.tuple(fc.boolean(), fc.integer({ min: lo, max: hi }), mant).map(([neg, e, m]) => {
    const biased = e + 127;
    const mag = biased >= 1 ? (biased << 23) | m : ((m | 0x800000) >>> (1 - biased)) & 0x7fffff;
    return (mag | (neg ? 0x80000000 : 0)) >>> 0;
  });
}

const code = (t: { values: readonly number[] }, c: number) => t.values[c];

describe('element encoder', () => {
  for (const [name, f, lo, hi] of ELEMS) {
    const t = TABLES[name];
    for (const round of ['rne', 'away'] as RoundMode[]) {
      for (const int8Range of name === 'int8' ? (['symmetric', 'full'] as const) : (['symmetric'] as const)) {
        it(`${name} ${round} ${int8Range}: the result is the nearest value, ties per the mode, saturating`, () => {
          fc.assert(
            fc.property(fp32Bits(lo, hi), (bits) => {
              const x = valueOfBits(bits);
              const got = encodeElementFp32(f, bits, { round, int8Range });
              const want = nearestCode(t, fix(x), x < 0 || Object.is(x, -0), ONE, round, int8Range === 'full');
              expect(got).toBe(want);
            }),
            { numRuns: 3000 },
          );
        });
      }
    }

    it(`${name}: values beyond the largest normal saturate to +-max`, () => {
      const max = Math.max(...t.values.filter(Number.isFinite));
      const maxCode = t.values.indexOf(max);
      fc.assert(
        fc.property(fp32Bits(lo, 40), fc.constantFrom<RoundMode>('rne', 'away'), (bits, round) => {
          const x = valueOfBits(bits);
          if (Math.abs(x) < max) return;
          const c = encodeElementFp32(f, bits, { round });
          expect(Math.abs(code(t, c))).toBe(max);
          expect(Math.sign(code(t, c))).toBe(Math.sign(x));
          if (x > 0) expect(c).toBe(maxCode);
        }),
        { numRuns: 1000 },
      );
      // Inf: E5M2 has it, every other format saturates
      const inf = encodeElementFp32(f, 0x7f800000);
      expect(code(t, inf)).toBe(name === 'e5m2' ? Infinity : max);
      expect(code(t, encodeElementFp32(f, 0xff800000))).toBe(name === 'e5m2' ? -Infinity : -max);
    });

    it(`${name}: monotonic`, () => {
      fc.assert(
        fc.property(fp32Bits(lo, hi), fp32Bits(lo, hi), fc.constantFrom<RoundMode>('rne', 'away'), (a, b, round) => {
          const [x, y] = [valueOfBits(a), valueOfBits(b)];
          const [lo2, hi2] = x <= y ? [a, b] : [b, a];
          expect(code(t, encodeElementFp32(f, lo2, { round }))).toBeLessThanOrEqual(code(t, encodeElementFp32(f, hi2, { round })));
        }),
        { numRuns: 2000 },
      );
    });

    it(`${name}: sign symmetric`, () => {
      fc.assert(
        fc.property(fp32Bits(lo, hi), fc.constantFrom<RoundMode>('rne', 'away'), (bits, round) => {
          const p = encodeElementFp32(f, bits & 0x7fffffff, { round });
          const n = encodeElementFp32(f, (bits | 0x80000000) >>> 0, { round });
          if (name === 'int8') expect(n).toBe((256 - p) & 0xff);
          else expect(n).toBe(p | t.signBit);
          expect(code(t, n) + 0).toBe(-code(t, p) + 0); // INT8 has a single zero
        }),
        { numRuns: 2000 },
      );
    });
  }

  it('hand-picked ties and zeros', () => {
    const e = (f: ElementFormat, x: number, round: RoundMode = 'rne') => encodeElementFp32(f, bitsOf(x), { round });
    expect(e(E2M1, 2.5)).toBe(0x4); // 2.5 -> 2 (even)
    expect(e(E2M1, 2.5, 'away')).toBe(0x5); // -> 3
    expect(e(E2M1, 5)).toBe(0x6); // 5 -> 4 (even)
    expect(e(E2M1, 5, 'away')).toBe(0x7); // -> 6
    expect(e(E2M1, 0.25)).toBe(0x0); // half of the smallest subnormal -> 0
    expect(e(E2M1, 0.25, 'away')).toBe(0x1);
    expect(e(E2M1, -0.25)).toBe(0x8); // -0
    expect(e(E2M1, -0)).toBe(0x8);
    expect(e(E2M1, 7)).toBe(0x7);
    expect(e(E2M1, 1e30)).toBe(0x7);
    expect(e(E4M3, 464)).toBe(0x7e); // tie between 448 and (absent) 480: saturates
    expect(e(E4M3, 2 ** -10)).toBe(0x00);
    expect(e(E4M3, 3 * 2 ** -11)).toBe(0x01); // 0.75 * 2^-9 -> 2^-9
    expect(e(E4M3, 5 * 2 ** -10)).toBe(0x02); // 2.5 * 2^-9: tie -> 2 * 2^-9 (even)
    expect(e(E4M3, 5 * 2 ** -10, 'away')).toBe(0x03);
    expect(e(E4M3, 17 * 2 ** -3)).toBe(0x40); // 2.125: tie between 2 (0x40) and 2.25 (0x41)
    expect(e(E4M3, 17 * 2 ** -3, 'away')).toBe(0x41);
    expect(e(E4M3, 17 * 2 ** -4)).toBe(0x38); // 1.0625: tie between 1 (0x38) and 1.125 (0x39)
    expect(e(E5M2, 65536)).toBe(0x7b);
    expect(e(INT8, -1 / 128)).toBe(0x00); // tie -> 0 (even), INT8 has one zero
    expect(e(INT8, -3 / 128)).toBe(0xfe); // -1.5/64 -> -2/64
    expect(e(INT8, -3)).toBe(0x81); // symmetric: -127/64
    expect(encodeElementFp32(INT8, bitsOf(-3), { int8Range: 'full' })).toBe(0x80); // -2
    expect(e(INT8, 1.9921875)).toBe(0x7f); // 127.5/64 saturates
  });

  it('quotients with odd denominators round like the brute-force search', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ELEMS),
        fc.integer({ min: 1, max: 0xffffff }),
        fc.integer({ min: 1, max: 2 ** 28 - 1 }),
        fc.integer({ min: -40, max: 20 }),
        fc.boolean(),
        fc.constantFrom<RoundMode>('rne', 'away'),
        ([name, f], num, den, exp, neg, round) => {
          const got = encodeElementRatio(f, neg, num, den, exp, round);
          const x = fix(num * 2 ** exp) * (neg ? -1n : 1n);
          const want = nearestCode(TABLES[name], x, neg, BigInt(den) << BigInt(FIX), round);
          expect(got).toBe(want);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('scale encoder', () => {
  // the overflow threshold: halfway from the largest value to the next one the exponent range cuts
  // off (448 -> 480, 114688 -> 122880); the midpoint itself rounds to the even 448 / 114688
  const SC: [string, ScaleFormat, number][] = [
    ['ue4m3', UE4M3, 464],
    ['ue5m3', UE5M3, 118784],
  ];
  for (const [name, f, mid] of SC) {
    it(`${name}: nearest even, clamp or NaN above the top`, () => {
      const t = TABLES[name];
      const nanCode = t.values.findIndex(Number.isNaN);
      fc.assert(
        fc.property(fc.integer({ min: 1, max: 0xffffff }), fc.integer({ min: 1, max: 2 ** 20 - 1 }), fc.integer({ min: -50, max: 12 }), (num, den, exp) => {
          const x = fix(num * 2 ** exp);
          const want = nearestCode(t, x, false, BigInt(den) << BigInt(FIX), 'rne');
          expect(encodeScaleRatio(f, num, den, exp)).toBe(want);
          const over = x > fix(mid) * BigInt(den);
          expect(encodeScaleRatio(f, num, den, exp, 'nan')).toBe(over ? nanCode : want);
        }),
        { numRuns: 3000 },
      );
      expect(encodeScaleRatio(f, mid, 1, 0, 'nan')).toBe(t.values.indexOf(mid === 464 ? 448 : 114688));
      expect(encodeScaleRatio(f, mid + 1, 1, 0, 'nan')).toBe(nanCode);
    });
  }
  it('e8m0: nearest power of two, the tie 1.5 * 2^e rounds up, clamped to [2^-127, 2^127]', () => {
    const e8 = (x: number) => encodeScaleFp32(E8M0, bitsOf(x));
    expect(e8(1)).toBe(127);
    expect(e8(1.4999999)).toBe(127);
    expect(e8(1.5)).toBe(128);
    expect(e8(3)).toBe(129); // 3 = 1.5 * 2: tie -> 4
    expect(e8(2.9)).toBe(128);
    expect(e8(2 ** -140)).toBe(0);
    expect(e8(0)).toBe(0);
    expect(e8(3e38)).toBe(0xfe);
    expect(encodeScaleFp32(E8M0, bitsOf(3e38), 'nan')).toBe(0xff);
    expect(encodeScaleFp32(UE4M3, bitsOf(500), 'nan')).toBe(0x7f);
    expect(encodeScaleFp32(UE4M3, bitsOf(460))).toBe(0x7e); // below the midpoint 464 of 448 and 480
    expect(encodeScaleFp32(UE4M3, bitsOf(2 ** -10))).toBe(0x00); // tie with 0: even
    expect(encodeScaleFp32(UE4M3, bitsOf(2 ** -10 * 1.0001))).toBe(0x01);
  });
});

describe('FP32 helpers', () => {
  const anyFp32 = fc.oneof(
    fc.integer({ min: 0, max: 0xffffffff }),
    fc.constantFrom(0, 0x80000000, 0x7f800000, 0xff800000, 0x7fc00000, 1, 0x80000001, 0x7f7fffff, 0xff7fffff, 0x00800000),
  );
  it('fp32Add is IEEE binary32 addition, round to nearest even', () => {
    fc.assert(
      fc.property(anyFp32, anyFp32, (a, b) => {
        // a + b of two FP32 values in double, then one rounding to FP32: exact (53 >= 2 * 24 + 2)
        const want = Math.fround(valueOfBits(a) + valueOfBits(b));
        const got = fp32Add(a, b);
        if (Number.isNaN(want)) expect(got).toBe(0x7fc00000);
        else expect(got).toBe(bitsOf(want));
      }),
      { numRuns: 5000 },
    );
    expect(fp32Add(0x80000000, 0x80000000)).toBe(0x80000000);
    expect(fp32Add(0x80000000, 0)).toBe(0);
    expect(fp32Add(bitsOf(1), bitsOf(-1))).toBe(0);
  });
  it('fp32Mul is IEEE binary32 multiplication', () => {
    fc.assert(
      fc.property(anyFp32, anyFp32, (a, b) => {
        const want = Math.fround(valueOfBits(a) * valueOfBits(b)); // the double product is exact
        const got = fp32Mul(a, b);
        if (Number.isNaN(want)) expect(got).toBe(0x7fc00000);
        else expect(got).toBe(bitsOf(want));
      }),
      { numRuns: 3000 },
    );
  });
  it('roundRatioToFp32 gives the nearest FP32', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 90n) - 1n }), fc.bigInt({ min: 1n, max: (1n << 70n) - 1n }), fc.integer({ min: -200, max: 100 }), fc.boolean(), (num, den, exp, neg) => {
        const bits = roundRatioToFp32(neg, num, den, exp);
        const x = (exp + FIX >= 0 ? num << BigInt(exp + FIX) : 0n) * (neg ? -1n : 1n);
        if (exp + FIX < 0) return;
        expect(isNearestFp32(bits, x, den)).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('parseFp32: decimals rounded once, exactly; 0x bits; specials', () => {
    expect(parseFp32('0.1')).toBe(0x3dcccccd);
    expect(parseFp32('1')).toBe(0x3f800000);
    expect(parseFp32('-2.5e-1')).toBe(bitsOf(-0.25));
    expect(parseFp32('3.4028235e38')).toBe(0x7f7fffff);
    expect(parseFp32('3.4028236e38')).toBe(0x7f800000);
    expect(parseFp32('1e-45')).toBe(0x00000001);
    expect(parseFp32('7e-46')).toBe(0x00000000);
    expect(parseFp32('-0')).toBe(0x80000000);
    expect(parseFp32('0x3f800000')).toBe(0x3f800000);
    expect(parseFp32('inf')).toBe(0x7f800000);
    expect(parseFp32('-Infinity')).toBe(0xff800000);
    expect(parseFp32('nan')).toBe(0x7fc00000);
    expect(parseFp32('1e999999')).toBe(0x7f800000);
    expect(parseFp32('.0000000000000000000000000000000000000000000000000000000000000001e70')).toBe(bitsOf(1e6));
    for (const bad of ['', 'abc', '1.2.3', '0x', '1e', '--1', '0x123456789']) expect(parseFp32(bad)).toBeUndefined();
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (b) => {
        const v = valueOfBits(b);
        if (!Number.isFinite(v)) return;
        expect(parseFp32(String(v))).toBe(Object.is(v, -0) ? 0x80000000 : b);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 10n ** 20n }), fc.integer({ min: -60, max: 40 }), (n, e) => {
        const bits = parseFp32(`${n}e${e}`) as number;
        const x = e >= 0 ? (n * 10n ** BigInt(e)) << BigInt(FIX) : n << BigInt(FIX);
        const den = e >= 0 ? 1n : 10n ** BigInt(-e);
        expect(isNearestFp32(bits, x, den)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });
});
