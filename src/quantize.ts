/**
 * Quantization: FP32 values, k at a time, to one scale code and k element codes.
 *
 * Every decision is taken from the FP32 bits with integer arithmetic. `quantize` dispatches to the
 * fast path (quantize-fast.ts) for the power-of-two recipes with E8M0 scales and to the reference
 * path (`quantizeBlockReference`) for everything else; tests hold the two equal.
 */
import { bitLength, fp32ToRaw, roundRatioToFp32 } from './fp32.js';
import {
  decodeElement,
  decodeScale,
  elementEmax,
  elementMax,
  elementMaxCode,
  isE8M0,
  isIntFormat,
  scaleMaxCode,
  scaleNanCode,
  type ElementFormat,
  type ScaleFormat,
} from './formats/format.js';
import { minifloatSignBit } from './formats/minifloat.js';
import { elementTable } from './dequant.js';
import { E2M1 } from './formats/e2m1.js';
import {
  encodeElementRatio,
  encodeScaleRatio,
  scaleCodeOfPow2,
  scaleMaxPow2,
  type Int8Range,
  type ScaleOverflow,
} from './encode.js';
import { pow2, ratioAtLeast, type RoundMode } from './round.js';
import { quantize4over6Fast, quantizeMseFast, quantizeNvFast, quantizePow2E8M0Fast } from './quantize-fast.js';

/**
 * How a block's scale is chosen (amax = the largest magnitude in the block):
 * - `floor`  OCP MX: 2^(floor(log2 amax) - emax_elem);
 * - `ceil`   the smallest power of two with amax / scale <= max_elem (no element clips);
 * - `nv`     amax / max_elem rounded to the scale format (UE4M3 / UE5M3 only);
 * - `4over6` of `nv` with amax mapped to 6 and with amax mapped to 4, the one with the lower
 *            squared error (E2M1 elements, UE4M3 / UE5M3 scales);
 * - `mse`    every scale code, the one with the lowest squared error.
 */
export type ScaleRecipe = 'floor' | 'ceil' | 'nv' | '4over6' | 'mse';

export const SCALE_RECIPES: readonly ScaleRecipe[] = ['floor', 'ceil', 'nv', '4over6', 'mse'];

export interface QuantizeOptions {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  /** Elements per block (k), 1 .. 65536. */
  readonly blockSize: number;
  /** Default `floor`. */
  readonly recipe?: ScaleRecipe;
  /** Element rounding, default `rne`. */
  readonly round?: RoundMode;
  /** Underflow guard: a scale that would be zero is raised to the smallest positive scale. Default off. */
  readonly guard?: boolean;
  /** Scale above the format's range: `clamp` (default) or `nan`. */
  readonly overflow?: ScaleOverflow;
  /** INT8 elements: `symmetric` (default, +-127/64) or `full` (down to -2). */
  readonly int8Range?: Int8Range;
  /**
   * Per-tensor FP32 decode scale T (bits; positive, finite), for `nv`, `4over6` and `mse`: a value
   * decodes as element * scale * T. Absent means T = 1.
   */
  readonly tensorScale?: number;
}

/** Options with every default filled in, checked. */
export interface ResolvedQuantizeOptions {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly blockSize: number;
  readonly recipe: ScaleRecipe;
  readonly round: RoundMode;
  readonly guard: boolean;
  readonly overflow: ScaleOverflow;
  readonly int8Range: Int8Range;
  readonly tensorScale: number | undefined;
}

export interface Quantized {
  /** One scale code per block. */
  readonly scales: Uint8Array;
  /** One element code per byte (low bits), blocks one after another; a partial last block is padded with zero codes. */
  readonly elems: Uint8Array;
}

const FP32_ONE = 0x3f800000;

/** Check and complete the options (RangeError on a bad combination). */
export function resolveQuantizeOptions(o: QuantizeOptions): ResolvedQuantizeOptions {
  const recipe = o.recipe ?? 'floor';
  if (!SCALE_RECIPES.includes(recipe)) throw new RangeError(`unknown scale recipe '${String(recipe)}'`);
  if (!Number.isInteger(o.blockSize) || o.blockSize < 1 || o.blockSize > 65536) {
    throw new RangeError(`block size must be an integer from 1 to 65536, got ${o.blockSize}`);
  }
  const round = o.round ?? 'rne';
  if (round !== 'rne' && round !== 'away') throw new RangeError(`unknown rounding mode '${String(round)}'`);
  const overflow = o.overflow ?? 'clamp';
  if (overflow !== 'clamp' && overflow !== 'nan') throw new RangeError(`unknown overflow mode '${String(overflow)}'`);
  const int8Range = o.int8Range ?? 'symmetric';
  if (int8Range !== 'symmetric' && int8Range !== 'full') throw new RangeError(`unknown int8 range '${String(int8Range)}'`);
  if ((recipe === 'nv' || recipe === '4over6') && isE8M0(o.scale)) {
    throw new RangeError(`recipe ${recipe} needs a ue4m3 or ue5m3 scale, not e8m0`);
  }
  if (recipe === '4over6' && o.elem.name !== E2M1.name) throw new RangeError('recipe 4over6 needs e2m1 elements');
  if (o.tensorScale !== undefined) {
    if (recipe === 'floor' || recipe === 'ceil') throw new RangeError(`a tensor scale applies to the nv, 4over6 and mse recipes, not ${recipe}`);
    checkTensorScale(o.tensorScale);
  }
  return {
    elem: o.elem,
    scale: o.scale,
    blockSize: o.blockSize,
    recipe,
    round,
    guard: o.guard ?? false,
    overflow,
    int8Range,
    tensorScale: o.tensorScale,
  };
}

/** A tensor scale must be a positive finite FP32 value (subnormals allowed). */
export function checkTensorScale(bits: number): void {
  const b = bits >>> 0;
  if (b !== bits || b === 0 || b >= 0x7f800000) throw new RangeError(`tensor scale must be a positive finite FP32 value, got bits ${bits}`);
}

/**
 * Quantize n FP32 values in blocks of k; the last block is padded with +0. The values are read as
 * bits: pass a Uint32Array of FP32 bit patterns or a Float32Array (viewed, not converted).
 */
export function quantize(values: Uint32Array | Float32Array, opts: QuantizeOptions): Quantized {
  const bits = values instanceof Float32Array ? new Uint32Array(values.buffer, values.byteOffset, values.length) : values;
  const o = resolveQuantizeOptions(opts);
  const k = o.blockSize;
  const nBlocks = Math.ceil(bits.length / k);
  const scales = new Uint8Array(nBlocks);
  const elems = new Uint8Array(nBlocks * k);
  const full = Math.floor(bits.length / k);
  if ((o.recipe === 'floor' || o.recipe === 'ceil') && isE8M0(o.scale)) {
    quantizePow2E8M0Fast(bits, full, o, scales, elems);
  } else if (o.recipe === 'nv') {
    quantizeNvFast(bits, full, o, scales, elems);
  } else if (o.recipe === '4over6') {
    quantize4over6Fast(bits, full, o, scales, elems, (base, out, outOff) => quantizeBlockResolved(bits, base, o, out, outOff));
  } else if (o.recipe === 'mse') {
    quantizeMseFast(bits, full, o, scales, elems, (base, out, outOff) => quantizeBlockResolved(bits, base, o, out, outOff));
  } else {
    for (let j = 0; j < full; j++) scales[j] = quantizeBlockResolved(bits, j * k, o, elems, j * k);
  }
  if (full < nBlocks) {
    const tail = new Uint32Array(k);
    tail.set(bits.subarray(full * k));
    scales[full] = quantizeBlockResolved(tail, 0, o, elems, full * k);
  }
  return { scales, elems };
}

/**
 * The reference quantizer of one block: values src[off .. off+k) (FP32 bits), element codes written
 * to out[outOff .. outOff+k), scale code returned. Slow but general; the definition the fast path
 * is checked against.
 */
export function quantizeBlockReference(
  src: ArrayLike<number>,
  off: number,
  opts: QuantizeOptions,
  out: Uint8Array,
  outOff: number,
): number {
  return quantizeBlockResolved(src, off, resolveQuantizeOptions(opts), out, outOff);
}

/** Quantize every block with the reference path (for cross-checks). */
export function quantizeReference(bits: Uint32Array, opts: QuantizeOptions): Quantized {
  const o = resolveQuantizeOptions(opts);
  const k = o.blockSize;
  const nBlocks = Math.ceil(bits.length / k);
  const padded = new Uint32Array(nBlocks * k);
  padded.set(bits);
  const scales = new Uint8Array(nBlocks);
  const elems = new Uint8Array(nBlocks * k);
  for (let j = 0; j < nBlocks; j++) scales[j] = quantizeBlockResolved(padded, j * k, o, elems, j * k);
  return { scales, elems };
}

/** The sign-keeping zero code of an element format (INT8 has one zero). */
function zeroCode(f: ElementFormat, negative: boolean): number {
  return negative && !isIntFormat(f) ? minifloatSignBit(f) : 0;
}

/** A (sig, exp) pair: value sig * 2^exp with an integer sig >= 0. */
interface Dyadic {
  sig: number;
  exp: number;
}

/**
 * One value of a block as the reference quantizer reads it: (-1)^neg * sig * 2^exp with an integer
 * 0 <= sig < 2^53, or NaN / Inf (`special`). An FP32 value is one exactly (fp32BlockValue); a wider
 * exact value narrowed to 53 bits by rounding to odd (the last bit sticky) compares with every
 * number of at most 52 significant bits as the exact value does, which is all the power-of-two and
 * nv recipes ask of it (not the squared errors of 4over6 and mse).
 */
export interface BlockValue {
  readonly special: boolean;
  readonly neg: boolean;
  readonly sig: number;
  readonly exp: number;
}

/** An FP32 value (bits) as a block value. */
export function fp32BlockValue(bits: number): BlockValue {
  const m = fp32Mag(bits);
  return { special: (bits & 0x7f800000) === 0x7f800000, neg: bits >>> 31 === 1, sig: m.sig, exp: m.exp };
}

/** floor(log2) of a non-zero dyadic. */
function dyadicFloorLog2(d: Dyadic): number {
  return bitLength(d.sig) - 1 + d.exp;
}

/** a > b for dyadics (exact: a power-of-two scaling of a double is exact). */
function dyadicGreater(a: Dyadic, b: Dyadic): boolean {
  if (b.sig === 0) return a.sig !== 0;
  if (a.sig === 0) return false;
  const fa = dyadicFloorLog2(a);
  const fb = dyadicFloorLog2(b);
  if (fa !== fb) return fa > fb;
  return a.exp >= b.exp ? a.sig * pow2(a.exp - b.exp) > b.sig : a.sig > b.sig * pow2(b.exp - a.exp);
}

function fp32Mag(bits: number): Dyadic {
  const a = bits & 0x7fffffff;
  const e = a >>> 23;
  return e === 0 ? { sig: a, exp: -149 } : { sig: (a & 0x7fffff) | 0x800000, exp: e - 150 };
}

function rawDyadic(r: { sig: number | bigint; exp: number }): Dyadic {
  return { sig: Number(r.sig), exp: r.exp };
}

/**
 * The exponent of the power-of-two scale of a block with largest magnitude amax (FP32 bits,
 * non-zero, finite), before clamping: `floor` floor(log2 amax) - emax_elem; `ceil` the smallest x
 * with amax <= max_elem * 2^x.
 */
export function pow2ScaleExponent(amax: number, elem: ElementFormat, recipe: 'floor' | 'ceil'): number {
  return pow2ScaleExponentOf(fp32Mag(amax), elem, recipe);
}

/** pow2ScaleExponent of a non-zero dyadic amax. */
function pow2ScaleExponentOf(a: Dyadic, elem: ElementFormat, recipe: 'floor' | 'ceil'): number {
  const x = dyadicFloorLog2(a) - elementEmax(elem);
  if (recipe === 'floor') return x;
  const m = rawDyadic(elementMax(elem));
  // amax / 2^x is in [2^emax, 2^(emax+1)), as is max_elem: one step up at most
  return ratioAtLeast(m.sig, 1, m.exp + x, a.sig, a.exp) ? x : x + 1;
}

/** Scale code of 2^x after the overflow rule and the guard; the NaN code on overflow with `nan`. */
function pow2ScaleCode(o: ResolvedQuantizeOptions, x: number): number {
  let code = scaleCodeOfPow2(o.scale, x);
  if (code < 0) code = o.overflow === 'nan' ? scaleNanCode(o.scale) : scaleCodeOfPow2(o.scale, scaleMaxPow2(o.scale));
  if (code === 0 && o.guard && !isE8M0(o.scale)) code = 1;
  return code;
}

/** The `nv` scale code for amax / (target * T), target = tsig * 2^texp; guard applied. */
function nvScaleCode(o: ResolvedQuantizeOptions, a: Dyadic, tsig: number, texp: number): number {
  let den = tsig;
  let exp = a.exp - texp;
  if (o.tensorScale !== undefined) {
    const t = fp32Mag(o.tensorScale);
    den *= t.sig;
    exp -= t.exp;
  }
  let code = encodeScaleRatio(o.scale, a.sig, den, exp, o.overflow);
  if (code === 0 && o.guard) code = 1;
  return code;
}

/** Encode the block's elements against the decoded scale S (and T): v / (S * T). */
function encodeElements(vals: readonly BlockValue[], o: ResolvedQuantizeOptions, scaleCode: number, out: Uint8Array, outOff: number): void {
  const k = o.blockSize;
  const s = decodeScale(o.scale, scaleCode);
  const ssig = Number(s.sig);
  if (ssig === 0) {
    for (let i = 0; i < k; i++) out[outOff + i] = zeroCode(o.elem, vals[i].neg);
    return;
  }
  let den = ssig;
  let sexp = s.exp;
  if (o.tensorScale !== undefined) {
    const t = fp32Mag(o.tensorScale);
    den *= t.sig;
    sexp += t.exp;
  }
  for (let i = 0; i < k; i++) {
    const v = vals[i];
    out[outOff + i] = encodeElementRatio(o.elem, v.neg, v.sig, den, v.exp - sexp, o.round, o.int8Range);
  }
}

/** The block's largest magnitude, or null if the block holds a NaN or an Inf. */
function blockAmax(vals: readonly BlockValue[]): Dyadic | null {
  let amax: Dyadic = { sig: 0, exp: 0 };
  for (const v of vals) {
    if (v.special) return null;
    if (dyadicGreater(v, amax)) amax = v;
  }
  return amax;
}

function quantizeBlockResolved(src: ArrayLike<number>, off: number, o: ResolvedQuantizeOptions, out: Uint8Array, outOff: number): number {
  const vals = new Array<BlockValue>(o.blockSize);
  for (let i = 0; i < o.blockSize; i++) vals[i] = fp32BlockValue(src[off + i] >>> 0);
  return quantizeBlockValues(vals, o, out, outOff);
}

/**
 * The reference quantizer on block values (FP32 values, or exact values narrowed as BlockValue says:
 * then with the floor, ceil and nv recipes only): element codes to out[outOff ..], scale code returned.
 */
export function quantizeBlockValues(vals: readonly BlockValue[], o: ResolvedQuantizeOptions, out: Uint8Array, outOff: number): number {
  const k = o.blockSize;
  if (vals.length !== k) throw new RangeError(`a block of ${k} values, got ${vals.length}`);
  const amax = blockAmax(vals);
  if (amax === null) {
    out.fill(0, outOff, outOff + k);
    return scaleNanCode(o.scale);
  }
  if (amax.sig === 0) {
    for (let i = 0; i < k; i++) out[outOff + i] = zeroCode(o.elem, vals[i].neg);
    return 0;
  }
  let code: number;
  switch (o.recipe) {
    case 'floor':
    case 'ceil':
      code = pow2ScaleCode(o, pow2ScaleExponentOf(amax, o.elem, o.recipe));
      break;
    case 'nv': {
      const m = rawDyadic(elementMax(o.elem));
      code = nvScaleCode(o, amax, m.sig, m.exp);
      break;
    }
    case '4over6':
      return quantize4over6(vals, o, amax, out, outOff);
    case 'mse':
      return quantizeMse(vals, o, amax, out, outOff);
  }
  if (code === scaleNanCode(o.scale)) {
    out.fill(0, outOff, outOff + k);
    return code;
  }
  encodeElements(vals, o, code, out, outOff);
  return code;
}

// ---- squared error ----------------------------------------------------------------------------

/**
 * An exact non-negative dyadic value sig * 2^exp (sig a bigint): a block's squared error.
 */
export interface ExactError {
  readonly sig: bigint;
  readonly exp: number;
}

/** Compare two exact errors: negative, zero or positive as a < b, a = b, a > b. */
export function compareErrors(a: ExactError, b: ExactError): number {
  const d = a.exp - b.exp;
  const x = d >= 0 ? a.sig << BigInt(d) : a.sig;
  const y = d >= 0 ? b.sig : b.sig << BigInt(-d);
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The exact squared error sum_i (v_i - element_i * S * T)^2 of one block of values (exact: FP32
 * values, not narrowed ones) against element codes codes[codeOff..codeOff+k) and scale code
 * scaleCode (finite), T the per-tensor scale (bits) if given.
 */
export function blockSquaredError(
  vals: readonly BlockValue[],
  k: number,
  elem: ElementFormat,
  codes: ArrayLike<number>,
  codeOff: number,
  scale: ScaleFormat,
  scaleCode: number,
  tensorScale?: number,
): ExactError {
  const s = decodeScale(scale, scaleCode);
  if (s.nan) throw new RangeError('blockSquaredError: NaN scale');
  let ssig = Number(s.sig);
  let sexp = s.exp;
  if (tensorScale !== undefined) {
    const t = fp32Mag(tensorScale);
    ssig *= t.sig;
    sexp += t.exp;
  }
  const table = elementTable(elem);
  // the lowest exponent any term can have: the base of the fixed-point difference
  let base = sexp + elementQuantumExp(elem);
  for (let i = 0; i < k; i++) {
    const e = vals[i].exp;
    if (e < base) base = e;
  }
  let sum = 0n;
  for (let i = 0; i < k; i++) {
    const v = vals[i];
    let d = BigInt(v.sig) << BigInt(v.exp - base);
    if (v.neg) d = -d;
    const q = table[codes[codeOff + i]];
    if (q === undefined || q.nan || q.inf) throw new RangeError(`blockSquaredError: element code ${codes[codeOff + i]} is not finite`);
    const qs = (q.sig as number) * ssig; // < 2^8 * 2^28
    if (qs !== 0) {
      const qv = BigInt(qs) << BigInt(q.exp + sexp - base);
      d = q.sign ? d + qv : d - qv;
    }
    sum += d * d;
  }
  return { sig: sum, exp: 2 * base };
}

/** The exponent of the smallest step of an element format (E2M1 -1, E4M3 -9, INT8 -6, ...). */
function elementQuantumExp(f: ElementFormat): number {
  return isIntFormat(f) ? -f.fracBits : 1 - f.bias - f.mbits;
}

function quantize4over6(vals: readonly BlockValue[], o: ResolvedQuantizeOptions, amax: Dyadic, out: Uint8Array, outOff: number): number {
  const k = o.blockSize;
  const c6 = nvScaleCode(o, amax, 3, 1); // amax -> 6
  const c4 = nvScaleCode(o, amax, 1, 2); // amax -> 4, the scale of 6 times 1.5
  const nan = scaleNanCode(o.scale);
  if (c6 === nan) {
    out.fill(0, outOff, outOff + k);
    return nan;
  }
  encodeElements(vals, o, c6, out, outOff);
  if (c4 === nan || c4 === c6) return c6;
  const e6 = blockSquaredError(vals, k, o.elem, out, outOff, o.scale, c6, o.tensorScale);
  const tmp = new Uint8Array(k);
  encodeElements(vals, o, c4, tmp, 0);
  const e4 = blockSquaredError(vals, k, o.elem, tmp, 0, o.scale, c4, o.tensorScale);
  if (compareErrors(e4, e6) < 0) {
    out.set(tmp, outOff);
    return c4;
  }
  return c6;
}

/**
 * Search every finite scale code (code 0x00 of UE4M3 / UE5M3 excluded under the guard) from the
 * largest down; keep the lowest error, ties going to the smaller code. The search stops once the
 * clipping of amax alone, (amax - max_elem * S * T)^2, exceeds the best error: smaller scales clip more.
 */
function quantizeMse(vals: readonly BlockValue[], o: ResolvedQuantizeOptions, a: Dyadic, out: Uint8Array, outOff: number): number {
  const k = o.blockSize;
  const tmp = new Uint8Array(k);
  // the largest magnitude an element can take (INT8 full range: 2)
  const mx = rawDyadic(isIntFormat(o.elem) && o.int8Range === 'full' ? { sig: 2, exp: 0 } : elementMax(o.elem));
  let tsig = 1;
  let texp = 0;
  if (o.tensorScale !== undefined) {
    const t = fp32Mag(o.tensorScale);
    tsig = t.sig;
    texp = t.exp;
  }
  let zeroErr: ExactError | undefined; // sum of v^2, the error when every element rounds to zero
  let best: ExactError | undefined;
  let bestCode = -1;
  const lowest = o.guard && !isE8M0(o.scale) ? 1 : 0;
  for (let c = scaleMaxCode(o.scale); c >= lowest; c--) {
    const s = decodeScale(o.scale, c);
    const ssig = Number(s.sig);
    let err: ExactError;
    // amax rounding to zero (or a zero scale) means every element is zero
    const allZero = ssig === 0 || encodeElementRatio(o.elem, false, a.sig, ssig * tsig, a.exp - s.exp - texp, o.round, o.int8Range) === 0;
    if (allZero) {
      for (let i = 0; i < k; i++) tmp[i] = zeroCode(o.elem, vals[i].neg);
      zeroErr ??= blockSquaredError(vals, k, o.elem, tmp, 0, o.scale, c, o.tensorScale);
      err = zeroErr;
    } else {
      if (best !== undefined && !ratioAtLeast(mx.sig * ssig * tsig, 1, mx.exp + s.exp + texp, a.sig, a.exp)) {
        // amax clips to at most max * S * T: a lower bound on the error of this and every smaller scale
        const clip = subtractDyadic(a.sig, a.exp, mx.sig * ssig * tsig, mx.exp + s.exp + texp);
        if (compareErrors({ sig: clip.sig * clip.sig, exp: 2 * clip.exp }, best) > 0) break;
      }
      encodeElements(vals, o, c, tmp, 0);
      err = blockSquaredError(vals, k, o.elem, tmp, 0, o.scale, c, o.tensorScale);
    }
    if (best === undefined || compareErrors(err, best) <= 0) {
      best = err;
      bestCode = c;
      out.set(tmp, outOff);
    }
  }
  return bestCode;
}

/** x - y for dyadics x = xs * 2^xe > y = ys * 2^ye (number significands), exact. */
function subtractDyadic(xs: number, xe: number, ys: number, ye: number): ExactError {
  const e = xe < ye ? xe : ye;
  return { sig: (BigInt(xs) << BigInt(xe - e)) - (BigInt(ys) << BigInt(ye - e)), exp: e };
}

// ---- per-tensor scale -------------------------------------------------------------------------

/**
 * The per-tensor FP32 decode scale NVFP4 uses: T = amax_tensor / (max_elem * max_scale) rounded to
 * nearest even FP32, so that the largest block scale lands at the top of the scale format.
 * NaN and Inf values are ignored (their blocks get the NaN scale); an all-zero tensor gives T = 1;
 * a ratio that rounds to zero gives the smallest positive FP32 (2^-149).
 */
export function autoTensorScale(bits: Uint32Array, elem: ElementFormat, scale: ScaleFormat): number {
  let amax = 0;
  for (let i = 0; i < bits.length; i++) {
    const a = bits[i] & 0x7fffffff;
    if (a < 0x7f800000 && a > amax) amax = a;
  }
  if (amax === 0) return FP32_ONE;
  const a = fp32ToRaw(amax);
  const m = decodeElement(elem, elementMaxCode(elem));
  const s = decodeScale(scale, scaleMaxCode(scale));
  const t = roundRatioToFp32(false, BigInt(a.sig), BigInt(m.sig) * BigInt(s.sig), a.exp - m.exp - s.exp);
  return t === 0 ? 1 : t;
}
