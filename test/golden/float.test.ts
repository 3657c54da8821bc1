/**
 * The result formats (FP32, BF16) and the one generic rounding, against references written here:
 * BF16 rounding of FP32-representable values by the classic integer trick, known BF16 codes, a
 * nearest-even check in exact rational arithmetic for wide significands, and the format names.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BF16,
  FP32,
  canonicalFormatName,
  elementFormatByName,
  floatFormatByName,
  floatQuietNan,
  roundRawToFloat,
  roundToFloat,
  roundToFloatGeneric,
  roundToFp32,
  scaleFormatByName,
  RAW_NAN,
  rawInf,
} from '../../src/index.js';

/** BF16 of an FP32 value, round to nearest even: the widely used integer trick (finite inputs). */
function bf16OfFp32Bits(x: number): number {
  return ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16) & 0xffff;
}

/** An FP32 bit pattern as (neg, integer significand, exponent), decoded here. */
function fp32Parts(bits: number): { neg: boolean; sig: number; exp: number } {
  const e = (bits >>> 23) & 0xff;
  const m = bits & 0x7fffff;
  return { neg: bits >>> 31 === 1, sig: e === 0 ? m : m + 0x800000, exp: e === 0 ? -149 : e - 150 };
}

/** The exact value of a finite BF16 code as a rational n * 2^e (test-side decode). */
function bf16Value(code: number): { n: bigint; e: number } {
  const s = code >>> 15 ? -1n : 1n;
  const e = (code >>> 7) & 0xff;
  const m = BigInt(code & 0x7f);
  return e === 0 ? { n: s * m, e: -133 } : { n: s * (m + 128n), e: e - 134 };
}

describe('BF16 rounding', () => {
  it('equals the integer trick on FP32-representable values (a stride through all finite patterns, and every tie pattern)', () => {
    let checked = 0;
    const check = (bits: number): void => {
      const e = (bits >>> 23) & 0xff;
      if (e === 0xff) return;
      const p = fp32Parts(bits);
      const got = roundToFloat(BF16, p.neg, p.sig, p.exp);
      const want = bf16OfFp32Bits(bits);
      if (got !== want) expect(`0x${bits.toString(16)} -> 0x${got.toString(16)}`).toBe(`0x${bits.toString(16)} -> 0x${want.toString(16)}`);
      checked++;
    };
    for (let b = 0; b < 2 ** 32; b += 4099) check(b >>> 0);
    // ties and their neighbours: low 16 bits 0x7fff, 0x8000, 0x8001 under every upper half
    for (let hi = 0; hi < 0x10000; hi++) for (const lo of [0x7fff, 0x8000, 0x8001, 0x0000, 0xffff]) check(((hi << 16) | lo) >>> 0);
    expect(checked).toBeGreaterThan(1_300_000);
  });

  it('gives the known codes of spec values', () => {
    const r = (sig: number, exp: number, neg = false): number => roundToFloat(BF16, neg, sig, exp);
    expect(r(1, 0)).toBe(0x3f80); // 1
    expect(r(3, -1, true)).toBe(0xbfc0); // -1.5
    expect(r(257, -8)).toBe(0x3f80); // 1 + 2^-8: a tie, to even (1)
    expect(r(259, -8)).toBe(0x3f82); // 1 + 3*2^-8: a tie, to even (1 + 2^-6)
    expect(r(513, -9)).toBe(0x3f80); // 1 + 2^-9: below half an ulp
    expect(r(255, 120)).toBe(0x7f7f); // (2 - 2^-7) * 2^127, the largest finite BF16
    expect(r(511, 119)).toBe(0x7f80); // (2 - 2^-8) * 2^127: a tie, rounds up to +Inf
    expect(r(1, 128, true)).toBe(0xff80); // -2^128: -Inf
    expect(r(1, -133)).toBe(0x0001); // the smallest subnormal
    expect(r(1, -134)).toBe(0x0000); // half of it: a tie, to even (0)
    expect(r(1, -134, true)).toBe(0x8000); // and its negative keeps the sign
    expect(r(3, -135)).toBe(0x0001); // 0.75 of the smallest subnormal
    expect(r(3, -134)).toBe(0x0002); // 1.5 of it: a tie, to even (2)
    expect(r(127, -133)).toBe(0x007f); // the largest subnormal
    expect(r(255, -134)).toBe(0x0080); // 127.5 units: a tie, to even: the smallest normal
    expect(r(0, 5, true)).toBe(0x8000);
    expect(floatQuietNan(BF16)).toBe(0x7fc0);
    expect(floatQuietNan(FP32)).toBe(0x7fc00000);
    expect(roundRawToFloat(BF16, RAW_NAN)).toBe(0x7fc0);
    expect(roundRawToFloat(BF16, rawInf(1))).toBe(0xff80);
  });

  it('is the nearest BF16 (ties to even) for wide significands, checked in exact rational arithmetic', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: (1n << 90n) - 1n }), fc.integer({ min: -260, max: 60 }), fc.boolean(), (mag, exp, neg) => {
        const code = roundToFloat(BF16, neg, mag, exp);
        const x = neg ? -mag : mag; // value x * 2^exp
        const at = (c: number): bigint => {
          // c's value minus x * 2^exp, in units of 2^(lo) with lo low enough for both
          const v = bf16Value(c);
          const lo = Math.min(v.e, exp);
          return (v.n << BigInt(v.e - lo)) - (x << BigInt(exp - lo));
        };
        const abs = (d: bigint): bigint => (d < 0n ? -d : d);
        const sign = neg ? 0x8000 : 0;
        const mags = code & 0x7fff;
        if (mags === 0x7f80) {
          // Inf: the value is at least halfway between the largest finite and 2^128
          const top = 255n << 120n;
          const d = mag * 2n; // compare 2 * |x| * 2^exp with (2 * top + 2^120) at a common unit
          const lhs = exp >= 0 ? d << BigInt(exp) : d;
          const rhs = exp >= 0 ? 2n * top + (1n << 120n) : (2n * top + (1n << 120n)) << BigInt(-exp);
          return lhs >= rhs;
        }
        // no other finite BF16 of the same sign is nearer, and a tie goes to the even code
        const here = abs(at(code));
        for (const n of [mags - 1, mags + 1]) {
          if (n < 0 || n > 0x7f7f) continue;
          const there = abs(at(sign | n));
          if (there < here || (there === here && (code & 1) === 1)) return false;
        }
        return true;
      }),
      { numRuns: 3000 },
    );
  });
});

describe('the generic rounding at FP32', () => {
  it('agrees with roundToFp32 on random and wide inputs', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: (1n << 80n) - 1n }), fc.integer({ min: -260, max: 140 }), fc.boolean(), (mag, exp, neg) => {
        expect(roundToFloatGeneric(FP32, neg, mag, exp)).toBe(roundToFp32(neg, mag, exp));
        const small = Number(mag & 0xffffffn);
        expect(roundToFloatGeneric(FP32, neg, small, exp)).toBe(roundToFp32(neg, small, exp));
      }),
      { numRuns: 5000 },
    );
  });
});

describe('format names', () => {
  it('accepts the names users type, case-insensitively', () => {
    const e = (n: string): string | undefined => elementFormatByName(n)?.name;
    expect(e('E4M3')).toBe('e4m3');
    expect(e('fp8_e4m3')).toBe('e4m3');
    expect(e('float8_e4m3fn')).toBe('e4m3');
    expect(e('torch.float8_e5m2')).toBe('e5m2');
    expect(e('fp4_e2m1')).toBe('e2m1');
    expect(e('float4_e2m1fn')).toBe('e2m1');
    expect(e('fp6_e3m2')).toBe('e3m2');
    expect(e('float6_e2m3fn')).toBe('e2m3');
    expect(e('INT8')).toBe('int8');
    expect(e('e8m0')).toBeUndefined();
    expect(scaleFormatByName('float8_e8m0fnu')?.name).toBe('e8m0');
    expect(scaleFormatByName('UE4M3')?.name).toBe('ue4m3');
    expect(scaleFormatByName('e4m3')).toBeUndefined();
    expect(floatFormatByName('bfloat16')).toBe(BF16);
    expect(floatFormatByName('FP32')).toBe(FP32);
    expect(canonicalFormatName(' Float8_E4M3FN ')).toBe('e4m3');
  });
});

describe('rounding options', () => {
  it('saturate: values that would overflow give the largest finite value of their sign', () => {
    const r = (sig: number | bigint, exp: number, neg = false) => roundToFloat(BF16, neg, sig, exp, { overflow: 'saturate' });
    expect(r(255, 120)).toBe(0x7f7f); // already the largest
    expect(r(511, 119)).toBe(0x7f7f); // a tie that rounds up to 2^128
    expect(r(1, 128, true)).toBe(0xff7f);
    expect(r(1n << 200n, 0)).toBe(0x7f7f);
    expect(roundToFloat(FP32, false, 1, 128, { overflow: 'saturate' })).toBe(0x7f7fffff);
    expect(roundToFloat(FP32, false, 1, 128, { overflow: 'inf' })).toBe(0x7f800000);
  });

  it('flush: values below the smallest normal give a zero of their sign; the rest round as usual', () => {
    const r = (sig: number, exp: number, neg = false) => roundToFloat(BF16, neg, sig, exp, { subnormals: 'flush' });
    expect(r(1, -133)).toBe(0x0000);
    expect(r(255, -134, true)).toBe(0x8000); // just below 2^-126: flushed before rounding
    expect(r(1, -126)).toBe(0x0080); // the smallest normal stays
    expect(r(3, -1)).toBe(0x3fc0);
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 30 }), fc.integer({ min: -200, max: 100 }), fc.boolean(), (mag, exp, neg) => {
        const keep = roundToFloat(BF16, neg, mag, exp);
        const flush = roundToFloat(BF16, neg, mag, exp, { subnormals: 'flush' });
        const tiny = Math.floor(Math.log2(mag)) + exp < -126;
        return tiny ? flush === (neg ? 0x8000 : 0) : flush === keep;
      }),
      { numRuns: 3000 },
    );
  });
});
