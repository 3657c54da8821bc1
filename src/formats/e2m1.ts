/** FP4 E2M1 (OCP MX): values +-{0, 0.5, 1, 1.5, 2, 3, 4, 6}, no Inf, no NaN. */
import type { MinifloatSpec } from './minifloat.js';

export const E2M1: MinifloatSpec = {
  name: 'e2m1',
  ebits: 2,
  mbits: 1,
  bias: 1,
  signed: true,
  specials: 'none',
};

/**
 * The magnitude of an E2M1 code in units of 2^-1 (0, 1, 2, 3, 4, 6, 8, 12): the fixed-point form the
 * FP4 units compute with. Sign is bit 3.
 */
export function e2m1HalfUnits(code: number): number {
  const e = (code >>> 1) & 3;
  const m = code & 1;
  return e === 0 ? m : (2 | m) << (e - 1);
}
