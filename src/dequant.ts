/**
 * Dequantization: element * scale to FP32. Golden function of the `dequant_e2m1_e8m0` unit.
 */
import { decodeMinifloat, type MinifloatSpec } from './formats/minifloat.js';
import { E2M1 } from './formats/e2m1.js';
import { decodeE8M0 } from './formats/e8m0.js';
import { roundRawToFp32 } from './fp32.js';
import { rawMul, type Raw } from './raw.js';

/**
 * element * scale rounded once to FP32 (round to nearest even, subnormals kept, overflow to +-Inf).
 * A NaN scale or element gives the quiet NaN 0x7FC00000; a zero element keeps its sign (-0 stays -0).
 */
export function dequantElement(fmt: MinifloatSpec, code: number, scale: Raw): number {
  return roundRawToFp32(rawMul(decodeMinifloat(fmt, code), scale));
}

/**
 * One lane of the MXFP4 dequantizer. Every E2M1 * E8M0 product is exactly representable in FP32
 * except those at or above 2^128 (element magnitude >= 2 with scale 0xFE), which give +-Inf.
 */
export function dequantE2M1E8M0(code: number, scale: number): number {
  return dequantElement(E2M1, code, decodeE8M0(scale));
}

/** Dequantize a block: one FP32 word per element code. */
export function dequantBlockE2M1E8M0(codes: ArrayLike<number>, scale: number): Uint32Array {
  const out = new Uint32Array(codes.length);
  for (let i = 0; i < codes.length; i++) out[i] = dequantE2M1E8M0(codes[i], scale);
  return out;
}
