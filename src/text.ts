/**
 * Numbers and format codes as text, one definition for every place that prints them: simulation
 * reports, proof reports and counterexamples, and the numerics commands. Pure: no I/O.
 */
import { e2m1HalfUnits } from './formats/e2m1.js';
import { E8M0_BIAS, E8M0_NAN } from './formats/e8m0.js';
import { fp32BitsToNumber, hex32 } from './fp32.js';
import { floatBits, type FloatFormat } from './formats/float.js';
import { decodeElement, decodeScale, elementBits, isE8M0, isIntFormat, type ElementFormat, type ScaleFormat } from './formats/format.js';
import type { IntSpec } from './formats/int8.js';
import { decodeMinifloat, minifloatBits, minifloatMaxCode, type MinifloatSpec } from './formats/minifloat.js';
import type { Raw } from './raw.js';

/** A number as JavaScript prints it, but -0 as "-0". */
export function num(x: number): string {
  return Object.is(x, -0) ? '-0' : String(x);
}

/** How many hex digits a `width`-bit value is written with: ceil(width / 4). */
export function hexDigitCount(width: number): number {
  return Math.ceil(width / 4);
}

/** An unsigned value as hex digits, MSB first, no 0x, zero-padded to hexDigitCount(width) digits. */
export function hexDigits(u: bigint, width: number): string {
  return u.toString(16).padStart(hexDigitCount(width), '0');
}

/** The number an E2M1 code stands for: "1.5", "-0", "6". */
export function e2m1Text(code: number): string {
  const v = e2m1HalfUnits(code) / 2;
  return num(code & 8 ? -v : v);
}

/** E2M1 codes as their numbers, element 0 first: "[1.5, -0, 6]". */
export function e2m1List(codes: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i++) parts.push(e2m1Text(codes[i]));
  return `[${parts.join(', ')}]`;
}

/** An E8M0 scale code and the power of two it stands for: "0x7f (2^0)", "0xff (NaN)". */
export function e8m0Text(code: number): string {
  const h = `0x${code.toString(16).padStart(2, '0')}`;
  return code === E8M0_NAN ? `${h} (NaN)` : `${h} (2^${code - E8M0_BIAS})`;
}

/**
 * How fp32Text writes FP32 bits and their value:
 * - 'report' (reports and mismatch messages): "0x3fc00000 (1.5)", "0x00000000 (+0)",
 *   "0x80000000 (-0)", "0x7f800000 (+Inf)", "0x7fc00000 (NaN)", and subnormals with their exact
 *   form: "0x00000003 (4.203895392974451e-45 = 3*2^-149, subnormal)";
 * - 'plain' (what the numerics commands print, one result a line): two fields, the bits and the
 *   value as JavaScript prints it: "0x3fc00000 1.5", "0x80000000 -0", "0x7f800000 Infinity".
 */
export type Fp32TextForm = 'report' | 'plain';

/** FP32 bits with their value, in the form `form` (default 'report'). */
export function fp32Text(bits: number, form: Fp32TextForm = 'report'): string {
  const b = bits >>> 0;
  const x = fp32BitsToNumber(b);
  if (form === 'plain') return `${hex32(b)} ${num(x)}`;
  const e = (b >>> 23) & 0xff;
  const m = b & 0x7fffff;
  const sign = b >>> 31 ? '-' : '+';
  let v: string;
  if (e === 0xff) v = m === 0 ? `${sign}Inf` : 'NaN';
  else if (e === 0 && m === 0) v = `${sign}0`;
  else if (e === 0) v = `${num(x)} = ${sign === '-' ? '-' : ''}${m}*2^-149, subnormal`;
  else v = num(x);
  return `${hex32(b)} (${v})`;
}

/**
 * The indefinite article before a format name or a number as it is read aloud: "an e2m1",
 * "an int8", "a ue4m3" (read "you-e"), "an 8-bit", "an 11-bit", "a 9-bit".
 */
export function article(word: string): 'a' | 'an' {
  const digits = /^\d+/.exec(word)?.[0];
  if (digits !== undefined) {
    // eight, eighty, eight hundred ...; eleven and eighteen (and eleven thousand ...)
    return digits.startsWith('8') || (/^1[18]/.test(digits) && digits.length % 3 === 2) ? 'an' : 'a';
  }
  return /^[aeio]/i.test(word) ? 'an' : 'a';
}

/** The exact value of a finite raw as a double (exact for every MX element and scale value). */
function rawNumber(r: Raw): number {
  const v = Number(r.sig) * 2 ** r.exp;
  return r.sign ? -v : v;
}

/** The number an element code stands for: "1.5", "-0", "NaN", "-Inf". */
export function elementValueText(f: ElementFormat, code: number): string {
  const r = decodeElement(f, code);
  if (r.nan) return 'NaN';
  if (r.inf) return r.sign ? '-Inf' : '+Inf';
  return num(rawNumber(r));
}

/** An element code with its value: "0x3c (1.5)". */
export function elementText(f: ElementFormat, code: number): string {
  return `0x${code.toString(16).padStart(Math.ceil(elementBits(f) / 4), '0')} (${elementValueText(f, code)})`;
}

/** Element codes as their numbers, element 0 first: "[1.5, -0, 6]". */
export function elementList(f: ElementFormat, codes: ArrayLike<number>): string {
  const parts: string[] = [];
  for (let i = 0; i < codes.length; i++) parts.push(elementValueText(f, codes[i]));
  return `[${parts.join(', ')}]`;
}

/** A scale code with its value: "0x7f (2^0)", "0xff (NaN)", "0x7e (448)". */
export function scaleText(f: ScaleFormat, code: number): string {
  const h = `0x${code.toString(16).padStart(2, '0')}`;
  const r = decodeScale(f, code);
  if (r.nan) return `${h} (NaN)`;
  if (isE8M0(f)) return `${h} (2^${r.exp})`;
  return `${h} (${num(rawNumber(r))})`;
}

/** Result-format bits with their value, as fp32Text does for FP32: "0x3fc0 (1.5)", "0x0001 (... subnormal)". */
export function floatText(f: FloatFormat, bits: number): string {
  if (f.name === 'fp32') return fp32Text(bits);
  const digits = Math.ceil(floatBits(f) / 4);
  const b = bits >>> 0;
  const h = `0x${b.toString(16).padStart(digits, '0')}`;
  const r = decodeMinifloat(f, b);
  if (r.nan) return `${h} (NaN)`;
  if (r.inf) return `${h} (${r.sign ? '-' : '+'}Inf)`;
  const v = rawNumber(r);
  if (v === 0) return `${h} (${r.sign ? '-' : '+'}0)`;
  const sub = ((b >>> f.mbits) & (2 ** f.ebits - 1)) === 0;
  return sub ? `${h} (${num(v)} = ${r.sign ? '-' : ''}${r.sig}*2^${r.exp}, subnormal)` : `${h} (${num(v)})`;
}

/** One line describing a format's fields and specials, for file headers and reports. */
export function formatSummary(f: ElementFormat | ScaleFormat | FloatFormat): string {
  if (isIntFormat(f as ElementFormat)) {
    const g = f as IntSpec;
    return `${g.name.toUpperCase()}: ${g.bits}-bit two's complement code / 2^${g.fracBits}, ${num(-(2 ** (g.bits - 1 - g.fracBits)))} .. ${num((2 ** (g.bits - 1) - 1) / 2 ** g.fracBits)}; no Inf, no NaN`;
  }
  if (isE8M0(f as ScaleFormat)) return `E8M0: 2^(code - ${E8M0_BIAS}), 2^-${E8M0_BIAS} .. 2^${E8M0_BIAS}; 0x${E8M0_NAN.toString(16)} is NaN; no zero, no sign`;
  const g = f as MinifloatSpec;
  const bits = minifloatBits(g);
  const upper = g.name.toUpperCase();
  const name = !g.signed || /^(FP|BF)\d/.test(upper) ? upper : `FP${bits} ${upper}`;
  const max = rawNumber(decodeMinifloat(g, minifloatMaxCode(g)));
  const minSub = 2 ** (1 - g.bias - g.mbits);
  const fields = `${g.signed ? 'sign, ' : 'unsigned, '}${g.ebits}-bit exponent with bias ${g.bias}, ${g.mbits}-bit mantissa`;
  const range = `max ${g.signed ? '+-' : ''}${num(max)}, smallest subnormal 2^${Math.log2(minSub)}`;
  const specials =
    g.specials === 'none'
      ? 'no Inf, no NaN'
      : g.specials === 'nan-all-ones'
        ? `NaN = ${g.signed ? 'S.' : ''}${'1'.repeat(g.ebits)}.${'1'.repeat(g.mbits)}, no Inf`
        : g.mbits > 3
          ? 'IEEE 754 Inf and NaN (exponent all ones)'
          : `Inf = ${g.signed ? 'S.' : ''}${'1'.repeat(g.ebits)}.${'0'.repeat(g.mbits)}, NaN = exponent all ones with a non-zero mantissa`;
  return `${name}: ${fields}; ${range}; ${specials}`;
}
