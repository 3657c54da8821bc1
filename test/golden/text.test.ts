/**
 * src/text.ts: the one definition of how numbers and codes are printed, used by the simulation
 * reports, the proof reports and the numerics commands.
 */
import { describe, expect, it } from 'vitest';
import { dequantFamily } from '../../generator/units/dequant.js';
import { dotFamily } from '../../generator/units/dot.js';
import { mulFamily } from '../../generator/units/mul.js';
import {
  BF16,
  E2M1,
  E2M3,
  E4M3,
  E5M2,
  E8M0,
  FP32,
  INT8,
  UE4M3,
  UE5M3,
  article,
  e2m1List,
  e2m1Text,
  e8m0Text,
  elementText,
  floatText,
  formatSummary,
  fp32Text,
  hexDigitCount,
  hexDigits,
  num,
  scaleText,
} from '../../src/index.js';
import { E2M1_VALUES } from './value-tables.js';
import { bitsOf } from './helpers.js';

describe('src/text.ts', () => {
  it('num: -0 keeps its sign', () => {
    expect(num(-0)).toBe('-0');
    expect(num(0)).toBe('0');
    expect(num(1.5)).toBe('1.5');
    expect(num(-Infinity)).toBe('-Infinity');
  });

  it('hexDigits: ceil(width / 4) digits, MSB first, zero-padded', () => {
    expect([1, 4, 5, 8, 9, 32, 33].map(hexDigitCount)).toEqual([1, 1, 2, 2, 3, 8, 9]);
    expect(hexDigits(0x1fn, 9)).toBe('01f');
    expect(hexDigits(0n, 32)).toBe('00000000');
    expect(hexDigits((1n << 128n) - 1n, 128)).toBe('f'.repeat(32));
  });

  it('e2m1Text: the value of each of the 16 codes, -0 for 0x8', () => {
    for (let c = 0; c < 16; c++) expect(e2m1Text(c), `code ${c}`).toBe(c < 8 ? E2M1_VALUES[c] : `-${E2M1_VALUES[c - 8]}`);
    expect(e2m1List([3, 8, 15])).toBe('[1.5, -0, -6]');
    expect(e2m1List([])).toBe('[]');
  });

  it('e8m0Text: the code and the power of two, or NaN', () => {
    expect(e8m0Text(0x7f)).toBe('0x7f (2^0)');
    expect(e8m0Text(0)).toBe('0x00 (2^-127)');
    expect(e8m0Text(0xfe)).toBe('0xfe (2^127)');
    expect(e8m0Text(0xff)).toBe('0xff (NaN)');
  });

  it("fp32Text 'report': signed zeros and infinities, NaN, subnormals with their exact form", () => {
    expect(fp32Text(bitsOf(1.5))).toBe('0x3fc00000 (1.5)');
    expect(fp32Text(0)).toBe('0x00000000 (+0)');
    expect(fp32Text(0x80000000)).toBe('0x80000000 (-0)');
    expect(fp32Text(0x7f800000)).toBe('0x7f800000 (+Inf)');
    expect(fp32Text(0xff800000)).toBe('0xff800000 (-Inf)');
    expect(fp32Text(0x7fc00000)).toBe('0x7fc00000 (NaN)');
    expect(fp32Text(0xffc00001)).toBe('0xffc00001 (NaN)');
    expect(fp32Text(3)).toBe('0x00000003 (4.203895392974451e-45 = 3*2^-149, subnormal)');
    expect(fp32Text(0x80000001)).toBe('0x80000001 (-1.401298464324817e-45 = -1*2^-149, subnormal)');
    expect(fp32Text(0x00800000)).toBe('0x00800000 (1.1754943508222875e-38)');
    expect(fp32Text(0xc0400000)).toBe('0xc0400000 (-3)');
  });

  it("fp32Text 'plain': two fields, the value as JavaScript prints it", () => {
    expect(fp32Text(bitsOf(1.5), 'plain')).toBe('0x3fc00000 1.5');
    expect(fp32Text(0, 'plain')).toBe('0x00000000 0');
    expect(fp32Text(0x80000000, 'plain')).toBe('0x80000000 -0');
    expect(fp32Text(0xff800000, 'plain')).toBe('0xff800000 -Infinity');
    expect(fp32Text(0x7fc00000, 'plain')).toBe('0x7fc00000 NaN');
    expect(fp32Text(3, 'plain')).toBe('0x00000003 4.203895392974451e-45');
  });

  it('article: an e2m1, an int8, a ue4m3; an 8-bit, an 11-bit, an 18-bit, a 9-bit, a 110-bit', () => {
    expect(['e2m1', 'e4m3', 'e8m0', 'int8', 'ue4m3', 'ue5m3'].map(article)).toEqual(['an', 'an', 'an', 'an', 'a', 'a']);
    expect(['8', '80', '800', '11', '18', '11000', '9', '1', '16', '110', '180', '32'].map(article)).toEqual(['an', 'an', 'an', 'an', 'an', 'an', 'a', 'a', 'a', 'a', 'a', 'a']);
  });
});

describe('the benches and proofs print values with src/text.ts', () => {
  it('counterexample inputs and outputs, for any formats', () => {
    const deq = dequantFamily.fromParameters({ elem: 'e2m1', scale: 'e8m0', out: 'fp32', block: 4 });
    expect(dequantFamily.describeInputs(deq, { elems: 0x8f31n, scale: 0x7fn })).toEqual(['elems = [0.5, 1.5, -6, -0] (lane 0 first)', 'scale = 0x7f (2^0)']);
    const dot = dotFamily.fromParameters({ elem_a: 'e4m3', elem_b: 'e5m2', scale: 'ue4m3', out: 'bf16', block: 2 });
    expect(dotFamily.describeInputs(dot, { a: 0x7f38n, b: 0xfc7bn, scale_a: 0x38n, scale_b: 0x7fn })).toEqual([
      'a = [1, NaN] (lane 0 first)',
      'b = [57344, -Inf]',
      'scale_a = 0x38 (1)',
      'scale_b = 0x7f (NaN)',
    ]);
    expect(dotFamily.describeOutput(dot, 'result', 0x7fc0n)).toBe('0x7fc0 (NaN)');
    expect(dotFamily.describeOutput(dot, 'result', 0x0001n)).toBe('0x0001 (9.183549615799121e-41 = 1*2^-133, subnormal)');
    const fp = dotFamily.fromParameters({ elem_a: 'e2m1', elem_b: 'e2m1', scale: 'e8m0', out: 'fp32', block: 1 });
    expect(dotFamily.describeOutput(fp, 'result', 0n)).toBe('0x00000000 (+0)');
    expect(dotFamily.describeOutput(fp, 'result', 5n)).toBe('0x00000005 (7.006492321624085e-45 = 5*2^-149, subnormal)');
    const mul = mulFamily.fromParameters({ elem_a: 'int8', elem_b: 'e2m1' });
    expect(mulFamily.describeOutput(mul, 'prod', 0xfffn)).toBe('0xfff (-1 * 2^-7 = -0.0078125)');
  });

  it('element, scale and result codes with their values', () => {
    expect(elementText(E4M3, 0x7e)).toBe('0x7e (448)');
    expect(elementText(E4M3, 0xff)).toBe('0xff (NaN)');
    expect(elementText(E5M2, 0x7c)).toBe('0x7c (+Inf)');
    expect(elementText(INT8, 0x80)).toBe('0x80 (-2)');
    expect(elementText(E2M3, 0x1f)).toBe('0x1f (7.5)');
    expect(elementText(E2M3, 0x3f)).toBe('0x3f (-7.5)');
    expect(scaleText(UE4M3, 0x7e)).toBe('0x7e (448)');
    expect(scaleText(UE5M3, 0xfe)).toBe('0xfe (114688)');
    expect(scaleText(E8M0, 0x00)).toBe('0x00 (2^-127)');
    expect(floatText(BF16, 0x3fc0)).toBe('0x3fc0 (1.5)');
    expect(floatText(BF16, 0x8000)).toBe('0x8000 (-0)');
    expect(floatText(BF16, 0xff80)).toBe('0xff80 (-Inf)');
    expect(floatText(FP32, 0x3fc00000)).toBe(fp32Text(0x3fc00000));
  });

  it('format summaries state fields, range and special codes', () => {
    expect(formatSummary(E4M3)).toBe('FP8 E4M3: sign, 4-bit exponent with bias 7, 3-bit mantissa; max +-448, smallest subnormal 2^-9; NaN = S.1111.111, no Inf');
    expect(formatSummary(E5M2)).toBe('FP8 E5M2: sign, 5-bit exponent with bias 15, 2-bit mantissa; max +-57344, smallest subnormal 2^-16; Inf = S.11111.00, NaN = exponent all ones with a non-zero mantissa');
    expect(formatSummary(E2M1)).toBe('FP4 E2M1: sign, 2-bit exponent with bias 1, 1-bit mantissa; max +-6, smallest subnormal 2^-1; no Inf, no NaN');
    expect(formatSummary(UE4M3)).toBe('UE4M3: unsigned, 4-bit exponent with bias 7, 3-bit mantissa; max 448, smallest subnormal 2^-9; NaN = 1111.111, no Inf');
    expect(formatSummary(INT8)).toBe("INT8: 8-bit two's complement code / 2^6, -2 .. 1.984375; no Inf, no NaN");
    expect(formatSummary(E8M0)).toBe('E8M0: 2^(code - 127), 2^-127 .. 2^127; 0xff is NaN; no zero, no sign');
    expect(formatSummary(BF16)).toMatch(/^BF16: sign, 8-bit exponent with bias 127, 7-bit mantissa; max \+-3\.3895313892515355e\+38, smallest subnormal 2\^-133; IEEE 754 Inf and NaN/);
  });
});
