/**
 * FP8 element formats of OCP MX (the OCP 8-bit floating point formats).
 *
 * E4M3: bias 7, max 448 (S.1111.110), min normal 2^-6, min subnormal 2^-9; NaN = S.1111.111; no Inf.
 * E5M2: bias 15, max 57344 (S.11110.11), min normal 2^-14, min subnormal 2^-16;
 *       Inf = S.11111.00, NaN = S.11111.{01,10,11} (IEEE 754 style).
 */
import type { MinifloatSpec } from './minifloat.js';

export const E4M3: MinifloatSpec = { name: 'e4m3', ebits: 4, mbits: 3, bias: 7, signed: true, specials: 'nan-all-ones' };

export const E5M2: MinifloatSpec = { name: 'e5m2', ebits: 5, mbits: 2, bias: 15, signed: true, specials: 'ieee' };
