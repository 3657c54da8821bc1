/** Every unit generated for a configuration, in manifest order. */
import type { GenConfig } from './config.js';
import { genDequantE2M1E8M0 } from './dequant_e2m1_e8m0.js';
import { genDotE2M1E8M0 } from './dot_e2m1_e8m0.js';
import { genMulE2M1 } from './mul_e2m1.js';
import type { Unit } from './unit.js';

export function generateUnits(c: GenConfig, command: string): Unit[] {
  return [genMulE2M1(c, command), genDequantE2M1E8M0(c, command), genDotE2M1E8M0(c, command)];
}
