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

export function elementFormatByName(name: string): ElementFormat | undefined {
  return Object.prototype.hasOwnProperty.call(ELEMENT_FORMATS, name) ? ELEMENT_FORMATS[name] : undefined;
}

export function scaleFormatByName(name: string): ScaleFormat | undefined {
  return Object.prototype.hasOwnProperty.call(SCALE_FORMATS, name) ? SCALE_FORMATS[name] : undefined;
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
