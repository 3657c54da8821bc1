/**
 * The quantization error of one configuration on one data set, from the golden quantizer.
 *
 * Each value x is quantized (src/quantize.ts) and decoded exactly: q = element * scale * T as a
 * double (at most 4 + 4 + 24 significant bits and no exponent below 2^-300, so exact). Then
 *   relative MSE    sum (x - q)^2 / sum x^2
 *   SQNR            10 log10 (sum x^2 / sum (x - q)^2) dB
 *   max abs error   max |x - q|
 *   flushed blocks  blocks holding a non-zero value whose scale decodes to zero (all of them lost)
 *   saturated       elements with |x| > max_elem * scale * T > 0 (clipped to +-max; a flushed block's are not counted)
 *   bits / element  element bits + 8 / k (a scale is stored in one byte, UE4M3 too) (+ 32 / n for a tensor scale)
 * over the blocks whose values are all finite; blocks holding NaN or Inf are counted apart.
 */
import {
  autoTensorScale,
  decodeElement,
  decodeScale,
  elementBits,
  elementMaxCode,
  quantize,
  scaleBits,
  type ElementFormat,
  type QuantizeOptions,
  type Raw,
  type ScaleFormat,
} from '../src/index.js';
import { fp32ToRaw } from '../src/fp32.js';

export interface ErrorMetrics {
  readonly values: number;
  readonly blocks: number;
  readonly relMse: number;
  /** Infinity when every value is exact */
  readonly sqnrDb: number;
  readonly maxAbsError: number;
  readonly flushedBlocks: number;
  readonly saturated: number;
  readonly bitsPerElement: number;
  /** blocks holding NaN or Inf, left out of the figures above */
  readonly nonFiniteBlocks: number;
  /** the tensor scale used (FP32 bits), when one is */
  readonly tensorScale?: number;
}

const rawValue = (r: Raw): number => (r.nan ? NaN : r.inf ? (r.sign ? -Infinity : Infinity) : (r.sign ? -1 : 1) * Number(r.sig) * 2 ** r.exp);

/** A block scale is stored in a byte whatever its code width (UE4M3's 7 bits as an FP8 E4M3 byte with the sign clear). */
export const SCALE_STORAGE_BITS = 8;

const tables = new Map<string, Float64Array>();

/** The value of every code of a format as a double (NaN codes NaN). */
function valueTable(key: string, n: number, decode: (c: number) => Raw): Float64Array {
  let t = tables.get(key);
  if (!t) {
    t = new Float64Array(n);
    for (let c = 0; c < n; c++) t[c] = rawValue(decode(c));
    tables.set(key, t);
  }
  return t;
}

const elementValues = (f: ElementFormat): Float64Array => valueTable(`e:${f.name}`, 2 ** elementBits(f), (c) => decodeElement(f, c));
const scaleValues = (f: ScaleFormat): Float64Array => valueTable(`s:${f.name}`, 2 ** scaleBits(f), (c) => decodeScale(f, c));

/**
 * Quantize `bits` (FP32 bit patterns) with `opts` and measure the error. `autoTensor` sets the
 * tensor scale to autoTensorScale of the values (NVFP4's amax / (max_elem * max_scale)).
 */
export function measure(bits: Uint32Array, opts: QuantizeOptions, autoTensor = false): ErrorMetrics {
  const tensorScale = autoTensor ? autoTensorScale(bits, opts.elem, opts.scale) : opts.tensorScale;
  const o = { ...opts, tensorScale };
  const { scales, elems } = quantize(bits, o);
  const x = new Float32Array(bits.buffer, bits.byteOffset, bits.length);
  const ev = elementValues(o.elem);
  const sv = scaleValues(o.scale);
  const t = tensorScale === undefined ? 1 : rawValue(fp32ToRaw(tensorScale));
  const maxElem = ev[elementMaxCode(o.elem)];
  const k = o.blockSize;
  const n = bits.length;
  let sumErr2 = 0;
  let sumX2 = 0;
  let maxAbs = 0;
  let flushed = 0;
  let saturated = 0;
  let nonFinite = 0;
  let counted = 0;
  for (let j = 0; j < scales.length; j++) {
    const lo = j * k;
    const hi = Math.min(n, lo + k);
    let finite = true;
    let nonzero = false;
    for (let i = lo; i < hi; i++) {
      const a = bits[i] & 0x7fffffff;
      if (a >= 0x7f800000) finite = false;
      else if (a !== 0) nonzero = true;
    }
    if (!finite) {
      nonFinite++;
      continue;
    }
    const s = sv[scales[j]] * t;
    if (nonzero && s === 0) flushed++;
    const limit = maxElem * s;
    counted += hi - lo;
    for (let i = lo; i < hi; i++) {
      const xi = x[i];
      const e = xi - ev[elems[i]] * s;
      sumErr2 += e * e;
      sumX2 += xi * xi;
      const ae = Math.abs(e);
      if (ae > maxAbs) maxAbs = ae;
      if (limit > 0 && Math.abs(xi) > limit) saturated++;
    }
  }
  const blocks = scales.length - nonFinite;
  return {
    values: counted,
    blocks,
    relMse: sumX2 === 0 ? 0 : sumErr2 / sumX2,
    sqnrDb: sumErr2 === 0 ? Infinity : 10 * Math.log10(sumX2 / sumErr2),
    maxAbsError: maxAbs,
    flushedBlocks: blocks === 0 ? 0 : flushed / blocks,
    saturated: counted === 0 ? 0 : saturated / counted,
    bitsPerElement: elementBits(o.elem) + SCALE_STORAGE_BITS / k + (tensorScale === undefined || n === 0 ? 0 : 32 / n),
    nonFiniteBlocks: nonFinite,
    ...(tensorScale === undefined ? {} : { tensorScale }),
  };
}
