/**
 * src/text.ts: the one definition of how numbers and codes are printed, used by the simulation
 * reports, the proof reports and the numerics commands.
 */
import { describe, expect, it } from 'vitest';
import { describeInputs, describeOutput } from '../../formal/golden.js';
import { article, e2m1List, e2m1Text, e8m0Text, fp32Text, hexDigitCount, hexDigits, num } from '../../src/index.js';
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

describe('the proofs print values with src/text.ts', () => {
  it('counterexample inputs and outputs', () => {
    expect(describeInputs('dequant_e2m1_e8m0', 4, { elems: 0x8f31n, scale: 0x7fn })).toEqual(['elems = [0.5, 1.5, -6, -0] (lane 0 first)', 'scale = 0x7f (2^0)']);
    expect(describeOutput('dot_e2m1_e8m0', 'result', 0n, 32)).toBe('0x00000000 (+0)');
    expect(describeOutput('dot_e2m1_e8m0', 'result', 5n, 32)).toBe('0x00000005 (7.006492321624085e-45 = 5*2^-149, subnormal)');
  });
});
