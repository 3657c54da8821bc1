/**
 * Numbers and format codes as text, one definition for every place that prints them: simulation
 * reports, proof reports and counterexamples, and the numerics commands. Pure: no I/O.
 */
import { e2m1HalfUnits } from './formats/e2m1.js';
import { E8M0_BIAS, E8M0_NAN } from './formats/e8m0.js';
import { fp32BitsToNumber, hex32 } from './fp32.js';

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
