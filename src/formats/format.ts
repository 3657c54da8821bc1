/**
 * One interface over every MX element format (minifloats and INT8) and every scale format
 * (E8M0 and the unsigned minifloats UE4M3 and UE5M3).
 */
import type { Raw } from '../raw.js';
import {
  decodeMinifloat,
  minifloatBits,
  minifloatEmax,
  minifloatIsNan,
  minifloatMaxCode,
  minifloatNanCode,
  type MinifloatSpec,
} from './minifloat.js';
import { decodeInt, INT8, type IntSpec } from './int8.js';
import { decodeE8M0, E8M0, E8M0_MAX, E8M0_NAN, type E8M0Spec } from './e8m0.js';
import { E2M1 } from './e2m1.js';
import { E2M3, E3M2 } from './fp6.js';
import { E4M3, E5M2 } from './fp8.js';
import { UE4M3, UE5M3 } from './scales.js';
import { FLOAT_FORMATS, type FloatFormat } from './float.js';

export type ElementFormat = MinifloatSpec | IntSpec;
export type ScaleFormat = MinifloatSpec | E8M0Spec;

export function isIntFormat(f: ElementFormat): f is IntSpec {
  return (f as IntSpec).kind === 'int';
}

export function isE8M0(f: ScaleFormat): f is E8M0Spec {
  return (f as E8M0Spec).kind === 'e8m0';
}

/** The element formats by name. */
export const ELEMENT_FORMATS: Readonly<Record<string, ElementFormat>> = {
  e4m3: E4M3,
  e5m2: E5M2,
  e3m2: E3M2,
  e2m3: E2M3,
  e2m1: E2M1,
  int8: INT8,
};

/** The scale formats by name. */
export const SCALE_FORMATS: Readonly<Record<string, ScaleFormat>> = {
  e8m0: E8M0,
  ue4m3: UE4M3,
  ue5m3: UE5M3,
};

/**
 * Other names users type for the formats, all lower case: microxcaling's (fp8_e4m3, fp4_e2m1, ...)
 * and ml_dtypes / PyTorch dtype names (float8_e4m3fn, float4_e2m1fn, float8_e8m0fnu, ...).
 */
export const FORMAT_ALIASES: Readonly<Record<string, string>> = {
  fp4_e2m1: 'e2m1',
  float4_e2m1fn: 'e2m1',
  float4_e2m1fn_x2: 'e2m1',
  fp4: 'e2m1',
  fp6_e2m3: 'e2m3',
  float6_e2m3fn: 'e2m3',
  fp6_e3m2: 'e3m2',
  float6_e3m2fn: 'e3m2',
  fp8_e4m3: 'e4m3',
  float8_e4m3fn: 'e4m3',
  e4m3fn: 'e4m3',
  fp8_e5m2: 'e5m2',
  float8_e5m2: 'e5m2',
  mxint8: 'int8',
  fp8_e8m0: 'e8m0',
  e8m0fnu: 'e8m0',
  float8_e8m0fnu: 'e8m0',
  float32: 'fp32',
  f32: 'fp32',
  bfloat16: 'bf16',
};

/**
 * The canonical name of a format as a user may write it: case-insensitive, an alias of
 * FORMAT_ALIASES, with an optional "torch." / "ml_dtypes." / "jnp." / "np." prefix.
 */
export function canonicalFormatName(text: string): string {
  const t = text.trim().toLowerCase().replace(/^(torch|ml_dtypes|jnp|np)\./, '');
  return Object.prototype.hasOwnProperty.call(FORMAT_ALIASES, t) ? FORMAT_ALIASES[t] : t;
}

function byName<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  const c = canonicalFormatName(name);
  return Object.prototype.hasOwnProperty.call(table, c) ? table[c] : undefined;
}

/** An element format by its name or an alias (case-insensitive). */
export function elementFormatByName(name: string): ElementFormat | undefined {
  return byName(ELEMENT_FORMATS, name);
}

/** A scale format by its name or an alias (case-insensitive). */
export function scaleFormatByName(name: string): ScaleFormat | undefined {
  return byName(SCALE_FORMATS, name);
}

/** A result format (fp32, bf16) by its name or an alias (case-insensitive). */
export function floatFormatByName(name: string): FloatFormat | undefined {
  return byName(FLOAT_FORMATS, name);
}

/** Width of a code in bits. */
export function elementBits(f: ElementFormat): number {
  return isIntFormat(f) ? f.bits : minifloatBits(f);
}

export function scaleBits(f: ScaleFormat): number {
  return isE8M0(f) ? 8 : minifloatBits(f);
}

function checkCode(name: string, bits: number, code: number): void {
  if (!Number.isInteger(code) || code < 0 || code >= 2 ** bits) {
    throw new RangeError(`${name} code must be an integer from 0 to ${2 ** bits - 1}, got ${code}`);
  }
}

/** The exact value of an element code. */
export function decodeElement(f: ElementFormat, code: number): Raw {
  checkCode(f.name, elementBits(f), code);
  return isIntFormat(f) ? decodeInt(f, code) : decodeMinifloat(f, code);
}

/** The exact value of a scale code. */
export function decodeScale(f: ScaleFormat, code: number): Raw {
  checkCode(f.name, scaleBits(f), code);
  return isE8M0(f) ? decodeE8M0(code) : decodeMinifloat(f, code);
}

/** The positive code of the largest finite element (INT8: 0x7F = 127/64). */
export function elementMaxCode(f: ElementFormat): number {
  return isIntFormat(f) ? (1 << (f.bits - 1)) - 1 : minifloatMaxCode(f);
}

/**
 * OCP MX emax_elem: the exponent of the largest normal element
 * (E2M1 2, E2M3 2, E3M2 4, E4M3 8, E5M2 15, INT8 0 since 127/64 is in [1, 2)).
 */
export function elementEmax(f: ElementFormat): number {
  if (isIntFormat(f)) return f.bits - 2 - f.fracBits;
  return minifloatEmax(f);
}

/** The largest finite element value. */
export function elementMax(f: ElementFormat): Raw {
  return decodeElement(f, elementMaxCode(f));
}

export function isElementNan(f: ElementFormat, code: number): boolean {
  return !isIntFormat(f) && minifloatIsNan(f, code);
}

/** The NaN code of a scale format (E8M0 0xFF, UE4M3 0x7F, UE5M3 0xFF). */
export function scaleNanCode(f: ScaleFormat): number {
  return isE8M0(f) ? E8M0_NAN : minifloatNanCode(f);
}

/** The code of the largest finite scale (E8M0 0xFE = 2^127, UE4M3 0x7E = 448, UE5M3 0xFE = 114688). */
export function scaleMaxCode(f: ScaleFormat): number {
  return isE8M0(f) ? E8M0_MAX : minifloatMaxCode(f);
}

export function isScaleNan(f: ScaleFormat, code: number): boolean {
  return code === scaleNanCode(f);
}
