/** Decode tables of every format against the written-out value lists, spec facts, and encode(decode(c)) = c. */
import { describe, expect, it } from 'vitest';
import {
  decodeElement,
  decodeElementFp32,
  decodeScale,
  decodeScaleFp32,
  E2M1,
  E2M3,
  E3M2,
  E4M3,
  E5M2,
  E8M0,
  elementEmax,
  elementMaxCode,
  encodeElementFp32,
  encodeScaleFp32,
  INT8,
  isElementNan,
  scaleMaxCode,
  scaleNanCode,
  UE4M3,
  UE5M3,
  ELEMENT_FORMATS,
  SCALE_FORMATS,
  type ElementFormat,
  type Raw,
  type ScaleFormat,
} from '../../src/index.js';
import { TABLES, bitsOf, valueOfBits } from './helpers.js';

function rawValue(r: Raw): number {
  if (r.nan) return NaN;
  if (r.inf) return r.sign ? -Infinity : Infinity;
  const v = Number(r.sig) * 2 ** r.exp; // exact: small significands, exponents well inside the double range
  return r.sign ? -v : v;
}

const ELEMS: [string, ElementFormat][] = [
  ['e2m1', E2M1],
  ['e2m3', E2M3],
  ['e3m2', E3M2],
  ['e4m3', E4M3],
  ['e5m2', E5M2],
  ['int8', INT8],
];
const SCALES: [string, ScaleFormat][] = [
  ['e8m0', E8M0],
  ['ue4m3', UE4M3],
  ['ue5m3', UE5M3],
];

describe('decode tables', () => {
  for (const [name, f] of ELEMS) {
    it(`${name}: every code decodes to the listed value (exact and as FP32)`, () => {
      const t = TABLES[name];
      expect(t.values.length).toBe(2 ** t.bits);
      for (let c = 0; c < t.values.length; c++) {
        const want = t.values[c];
        expect(rawValue(decodeElement(f, c)), `${name} code ${c}`).toBe(want);
        const fp = decodeElementFp32(f, c);
        if (Number.isNaN(want)) expect(fp).toBe(0x7fc00000);
        else expect(valueOfBits(fp), `${name} code ${c} as FP32`).toBe(want);
        expect(isElementNan(f, c)).toBe(Number.isNaN(want));
      }
    });
  }
  for (const [name, f] of SCALES) {
    it(`${name}: every scale code decodes to the listed value`, () => {
      const t = TABLES[name];
      for (let c = 0; c < t.values.length; c++) {
        expect(rawValue(decodeScale(f, c)), `${name} code ${c}`).toBe(t.values[c]);
        const fp = decodeScaleFp32(f, c);
        if (Number.isNaN(t.values[c])) expect(fp).toBe(0x7fc00000);
        else expect(valueOfBits(fp)).toBe(t.values[c]);
      }
      expect(() => decodeScale(f, t.values.length)).toThrow(RangeError);
    });
  }

  it('spec facts: extremes and special codes', () => {
    const v = (f: ElementFormat, c: number) => rawValue(decodeElement(f, c));
    // E4M3: max 448 = S.1111.110, NaN S.1111.111, min normal 2^-6, min subnormal 2^-9, no Inf
    expect(v(E4M3, 0x7e)).toBe(448);
    expect(v(E4M3, 0xfe)).toBe(-448);
    expect(v(E4M3, 0x7f)).toBeNaN();
    expect(v(E4M3, 0xff)).toBeNaN();
    expect(v(E4M3, 0x08)).toBe(2 ** -6);
    expect(v(E4M3, 0x01)).toBe(2 ** -9);
    expect(v(E4M3, 0x78)).toBe(256);
    // E5M2: max 57344, Inf S.11111.00, NaN S.11111.{01,10,11}, min subnormal 2^-16
    expect(v(E5M2, 0x7b)).toBe(57344);
    expect(v(E5M2, 0x7c)).toBe(Infinity);
    expect(v(E5M2, 0xfc)).toBe(-Infinity);
    for (const c of [0x7d, 0x7e, 0x7f, 0xfd, 0xfe, 0xff]) expect(v(E5M2, c)).toBeNaN();
    expect(v(E5M2, 0x01)).toBe(2 ** -16);
    expect(v(E5M2, 0x04)).toBe(2 ** -14);
    // FP6 and FP4
    expect(v(E3M2, 0x1f)).toBe(28);
    expect(v(E3M2, 0x01)).toBe(0.0625);
    expect(v(E2M3, 0x1f)).toBe(7.5);
    expect(v(E2M3, 0x01)).toBe(0.125);
    expect(v(E2M1, 0x7)).toBe(6);
    expect(v(E2M1, 0x1)).toBe(0.5);
    expect(Object.is(v(E2M1, 0x8), -0)).toBe(true);
    // INT8: code / 64, -2 .. 127/64
    expect(v(INT8, 0x7f)).toBe(127 / 64);
    expect(v(INT8, 0x80)).toBe(-2);
    expect(v(INT8, 0xff)).toBe(-1 / 64);
    expect(v(INT8, 0x40)).toBe(1);
    // scales
    const s = (f: ScaleFormat, c: number) => rawValue(decodeScale(f, c));
    expect(s(E8M0, 0x00)).toBe(2 ** -127);
    expect(s(E8M0, 0x7f)).toBe(1);
    expect(s(E8M0, 0xfe)).toBe(2 ** 127);
    expect(s(E8M0, 0xff)).toBeNaN();
    expect(s(UE4M3, 0x7e)).toBe(448);
    expect(s(UE4M3, 0x7f)).toBeNaN();
    expect(s(UE4M3, 0x00)).toBe(0);
    expect(s(UE4M3, 0x01)).toBe(2 ** -9);
    expect(s(UE5M3, 0xfe)).toBe(114688);
    expect(s(UE5M3, 0xff)).toBeNaN();
    expect(s(UE5M3, 0x01)).toBe(2 ** -17);
    expect(s(UE5M3, 0x08)).toBe(2 ** -14);
    expect(s(UE5M3, 0x78)).toBe(1);
    expect([scaleNanCode(E8M0), scaleNanCode(UE4M3), scaleNanCode(UE5M3)]).toEqual([0xff, 0x7f, 0xff]);
    expect([scaleMaxCode(E8M0), scaleMaxCode(UE4M3), scaleMaxCode(UE5M3)]).toEqual([0xfe, 0x7e, 0xfe]);
  });

  it('OCP emax_elem and the largest finite codes', () => {
    expect(ELEMS.map(([, f]) => elementEmax(f))).toEqual([2, 2, 4, 8, 15, 0]);
    expect(ELEMS.map(([, f]) => elementMaxCode(f))).toEqual([0x7, 0x1f, 0x1f, 0x7e, 0x7b, 0x7f]);
  });

  it('the format registries name every format', () => {
    expect(Object.keys(ELEMENT_FORMATS).sort()).toEqual(['e2m1', 'e2m3', 'e3m2', 'e4m3', 'e5m2', 'int8']);
    expect(Object.keys(SCALE_FORMATS).sort()).toEqual(['e8m0', 'ue4m3', 'ue5m3']);
  });
});

describe('encode(decode(c)) == c', () => {
  for (const [name, f] of ELEMS) {
    it(`${name}: every non-NaN code, both rounding modes`, () => {
      const t = TABLES[name];
      let checked = 0;
      for (let c = 0; c < t.values.length; c++) {
        if (Number.isNaN(t.values[c])) continue;
        const bits = bitsOf(t.values[c]);
        for (const round of ['rne', 'away'] as const) {
          expect(encodeElementFp32(f, bits, { round, int8Range: 'full' }), `${name} code ${c}`).toBe(c);
        }
        checked++;
      }
      expect(checked).toBeGreaterThan(t.values.length / 2);
    });
  }
  for (const [name, f] of SCALES) {
    it(`${name}: every non-NaN scale code`, () => {
      const t = TABLES[name];
      for (let c = 0; c < t.values.length; c++) {
        if (Number.isNaN(t.values[c])) continue;
        expect(encodeScaleFp32(f, bitsOf(t.values[c])), `${name} code ${c}`).toBe(c);
      }
    });
  }
  it('NaN codes encode back to the canonical NaN; formats without NaN refuse NaN', () => {
    expect(encodeElementFp32(E4M3, 0x7fc00000)).toBe(0x7f);
    expect(encodeElementFp32(E5M2, 0x7fc00000)).toBe(0x7f);
    for (const f of [E2M1, E2M3, E3M2, INT8]) expect(() => encodeElementFp32(f, 0x7fc00000)).toThrow(RangeError);
    expect(encodeScaleFp32(E8M0, 0x7fc00000)).toBe(0xff);
    expect(encodeScaleFp32(UE4M3, 0x7f800000)).toBe(0x7f);
    expect(() => encodeScaleFp32(UE4M3, bitsOf(-1))).toThrow(RangeError);
  });
});
