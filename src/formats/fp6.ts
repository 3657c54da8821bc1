/**
 * FP6 element formats of OCP MX; every code is a finite number (no Inf, no NaN).
 *
 * E3M2: bias 3, max 28 (S.111.11), min normal 2^-2, min subnormal 2^-4.
 * E2M3: bias 1, max 7.5 (S.11.111), min normal 1, min subnormal 2^-3.
 */
import type { MinifloatSpec } from './minifloat.js';

export const E3M2: MinifloatSpec = { name: 'e3m2', ebits: 3, mbits: 2, bias: 3, signed: true, specials: 'none' };

export const E2M3: MinifloatSpec = { name: 'e2m3', ebits: 2, mbits: 3, bias: 1, signed: true, specials: 'none' };
