/**
 * Scale formats besides E8M0: unsigned minifloats with subnormals and a zero.
 *
 * UE4M3 (the NVFP4 block scale): E4M3 without the sign bit, 7-bit codes 0x00..0x7F; bias 7,
 *   max 448 (0x7E), min subnormal 2^-9 (0x01), NaN = 0x7F, no Inf.
 * UE5M3: 8-bit codes, 5-bit exponent with bias 15, 3-bit mantissa, subnormals.
 *   NaN = 0xFF (all ones, the same rule as UE4M3 and E4M3), no Inf, so every other code is finite.
 *   The largest finite code is 0xFE = exponent field 11111, mantissa 110:
 *   max = 2^(31 - 15) * (1 + 6/8) = 2^16 * 1.75 = 114688.
 *   min normal 2^-14 (0x08), min subnormal 2^-17 (0x01).
 *   A scale has no use for Inf (a block holding Inf or NaN gets the NaN scale), so only one code is
 *   spent on NaN and the top binade stays finite, as in UE4M3.
 */
import type { MinifloatSpec } from './minifloat.js';

export const UE4M3: MinifloatSpec = { name: 'ue4m3', ebits: 4, mbits: 3, bias: 7, signed: false, specials: 'nan-all-ones' };

export const UE5M3: MinifloatSpec = { name: 'ue5m3', ebits: 5, mbits: 3, bias: 15, signed: false, specials: 'nan-all-ones' };
