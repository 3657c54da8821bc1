/**
 * Exact element products. Golden function of the `mul_e2m1` unit.
 *
 * Product encoding of the FP4 multiplier: the exact product a*b as a two's complement
 * integer in units of 2^-2 (range -144 .. 144, 9 bits). Zero has one encoding: -0 * x = 0.
 */
import { e2m1HalfUnits } from './formats/e2m1.js';
import type { ElementFormat } from './formats/format.js';
import { elementRaw } from './dequant.js';
import { rawMul, type Raw } from './raw.js';

/** Exact product of two element codes of (possibly different) element formats. */
export function mulElements(fa: ElementFormat, a: number, fb: ElementFormat, b: number): Raw {
  return rawMul(elementRaw(fa, a), elementRaw(fb, b));
}

/** a*b*4 for two E2M1 codes: the integer the FP4 multiplier outputs. */
export function mulE2M1(a: number, b: number): number {
  const mag = e2m1HalfUnits(a) * e2m1HalfUnits(b);
  return ((a ^ b) & 8) !== 0 && mag !== 0 ? -mag : mag; // one zero: -0 * x is 0
}

/** Width in bits of the two's complement product mulE2M1 returns. */
export const MUL_E2M1_WIDTH = 9;

/** mulE2M1 for every pair, indexed by (a << 4) | b. */
export const MUL_E2M1_TABLE: Int16Array = (() => {
  const t = new Int16Array(256);
  for (let a = 0; a < 16; a++) for (let b = 0; b < 16; b++) t[(a << 4) | b] = mulE2M1(a, b);
  return t;
})();
