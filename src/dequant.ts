/**
 * Dequantization: element * scale (* tensor scale) rounded once to FP32.
 * Golden function of the `dequant_e2m1_e8m0` unit and of every other element/scale pair.
 */
import { decodeMinifloat } from './formats/minifloat.js';
import { E2M1 } from './formats/e2m1.js';
import { decodeE8M0 } from './formats/e8m0.js';
import { decodeInt } from './formats/int8.js';
import { decodeScale, isIntFormat, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { FP32, type FloatFormat } from './formats/float.js';
import { fp32ToRaw, roundRawToFp32 } from './fp32.js';
import { roundRawToFloat } from './round-float.js';
import { rawMul, type Raw } from './raw.js';

/** The exact value of an element code (minifloat codes are masked to the format's width). */
export function elementRaw(fmt: ElementFormat, code: number): Raw {
  return isIntFormat(fmt) ? decodeInt(fmt, code) : decodeMinifloat(fmt, code);
}

/**
 * element * scale rounded once to `out`, FP32 by default or BF16 (round to nearest even, subnormals
 * kept, overflow to +-Inf).
 * A NaN scale or element gives the quiet NaN 0x7FC00000; a zero element keeps its sign (-0 stays -0);
 * an E5M2 Inf times a zero scale (UE4M3 / UE5M3 code 0) is NaN.
 */
export function dequantElement(fmt: ElementFormat, code: number, scale: Raw, out: FloatFormat = FP32): number {
  return roundRawToFloat(out, rawMul(elementRaw(fmt, code), scale));
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

/**
 * Dequantize blocks of `blockSize` element codes, block j scaled by scale code scales[j], and by
 * the per-tensor FP32 scale T (bits) when given: each output is element * scale * T rounded once
 * to FP32. codes.length must be at most scales.length * blockSize and more than
 * (scales.length - 1) * blockSize.
 */
export function dequantize(
  elem: ElementFormat,
  codes: ArrayLike<number>,
  scale: ScaleFormat,
  scales: ArrayLike<number>,
  blockSize: number,
  tensorScale?: number,
): Uint32Array {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`block size must be a positive integer, got ${blockSize}`);
  if (Math.ceil(codes.length / blockSize) !== scales.length) {
    throw new RangeError(`${codes.length} element codes in blocks of ${blockSize} need ${Math.ceil(codes.length / blockSize)} scale codes, got ${scales.length}`);
  }
  const t = tensorScale === undefined ? undefined : fp32ToRaw(tensorScale);
  const elemRaws = elementTable(elem);
  const out = new Uint32Array(codes.length);
  for (let j = 0; j < scales.length; j++) {
    let s = decodeScale(scale, scales[j]);
    if (t) s = rawMul(s, t);
    const end = Math.min(codes.length, (j + 1) * blockSize);
    for (let i = j * blockSize; i < end; i++) {
      const c = codes[i];
      const e = elemRaws[c];
      if (e === undefined) throw new RangeError(`${elem.name} code must be an integer from 0 to ${elemRaws.length - 1}, got ${c}`);
      out[i] = roundRawToFp32(rawMul(e, s));
    }
  }
  return out;
}

const tables = new WeakMap<ElementFormat, readonly Raw[]>();

/** The decoded value of every code of an element format, indexed by code (cached per format object). */
export function elementTable(elem: ElementFormat): readonly Raw[] {
  let t = tables.get(elem);
  if (!t) {
    const n = 2 ** (isIntFormat(elem) ? elem.bits : (elem.signed ? 1 : 0) + elem.ebits + elem.mbits);
    const list: Raw[] = [];
    for (let c = 0; c < n; c++) list.push(elementRaw(elem, c));
    t = Object.freeze(list);
    tables.set(elem, t);
  }
  return t;
}
