/**
 * The MXINT8 element: an 8-bit two's complement integer with an implicit scale of 2^-6,
 * value = code / 64, from -2 (0x80) to 127/64 (0x7F). No Inf, no NaN, one zero.
 */
import { rawFinite, type Raw } from '../raw.js';

/** A two's complement fixed-point element format: value = (signed code) * 2^-fracBits. */
export interface IntSpec {
  readonly name: string;
  readonly kind: 'int';
  readonly bits: number;
  readonly fracBits: number;
}

export const INT8: IntSpec = { name: 'int8', kind: 'int', bits: 8, fracBits: 6 };

/** The signed integer a code stands for (-2^(bits-1) .. 2^(bits-1) - 1). */
export function intCodeValue(f: IntSpec, code: number): number {
  const c = code & ((1 << f.bits) - 1);
  return c >= 1 << (f.bits - 1) ? c - (1 << f.bits) : c;
}

export function decodeInt(f: IntSpec, code: number): Raw {
  const v = intCodeValue(f, code);
  return rawFinite(v < 0 ? 1 : 0, v < 0 ? -v : v, -f.fracBits);
}
