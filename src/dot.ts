/**
 * MX dot products: C = scaleA * scaleB * sum_i(A_i * B_i), the sum exact and rounded once to FP32.
 * Golden function of the `dot_e2m1_e8m0` unit; `dotMx` extends it to several blocks, any element
 * and scale formats (A and B may differ) and two accumulation modes.
 */
import { E2M1 } from './formats/e2m1.js';
import { decodeE8M0, E8M0_BIAS, E8M0_NAN } from './formats/e8m0.js';
import { decodeScale, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { FP32, type FloatFormat } from './formats/float.js';
import { roundRawToFloat } from './round-float.js';
import { FP32_QNAN, fp32Add, fp32Mul, fp32ToRaw, roundRawToFp32, roundToFp32 } from './fp32.js';
import { elementTable } from './dequant.js';
import { MUL_E2M1_TABLE } from './mul.js';
import { rawFinite, rawIsZero, rawMul, type Raw } from './raw.js';
import { sumRaws } from './sum.js';
import { FUSED_KINDS, FUSED_SHAPES, fusedDotAdd, type FusedKind } from './fused.js';

/**
 * Dot product of one block pair of any element formats (minifloat or INT8) with decoded scales.
 *
 * NaN scale, NaN element or Inf - Inf gives the quiet NaN; an exact zero result gives +0 (also a
 * non-zero sum times a zero scale);
 * the result is rounded once to `out` (FP32 by default, or BF16) to nearest even, keeps subnormals
 * and overflows to +-Inf.
 */
export function dotBlock(
  fa: ElementFormat,
  a: ArrayLike<number>,
  fb: ElementFormat,
  b: ArrayLike<number>,
  scaleA: Raw,
  scaleB: Raw,
  out: FloatFormat = FP32,
): number {
  if (a.length !== b.length) throw new RangeError(`block lengths differ: ${a.length} and ${b.length}`);
  return roundRawToFloat(out, blockExact(elementTable(fa), a, 0, elementTable(fb), b, 0, a.length, scaleA, scaleB));
}

/**
 * The exact value scaleA * scaleB * sum_i(a_i * b_i) of one block pair, before any rounding, as a
 * raw (NaN / Inf flags as dotBlock; an exact zero is +0).
 */
export function dotBlockExact(fa: ElementFormat, a: ArrayLike<number>, fb: ElementFormat, b: ArrayLike<number>, scaleA: Raw, scaleB: Raw): Raw {
  if (a.length !== b.length) throw new RangeError(`block lengths differ: ${a.length} and ${b.length}`);
  return blockExact(elementTable(fa), a, 0, elementTable(fb), b, 0, a.length, scaleA, scaleB);
}

/** The exact value scaleA * scaleB * sum_i(a_i * b_i) of one block pair, as a raw. */
function blockExact(
  ta: readonly Raw[],
  a: ArrayLike<number>,
  aOff: number,
  tb: readonly Raw[],
  b: ArrayLike<number>,
  bOff: number,
  k: number,
  scaleA: Raw,
  scaleB: Raw,
): Raw {
  const products: Raw[] = [];
  for (let i = 0; i < k; i++) products.push(rawMul(codeRaw(ta, a[aOff + i]), codeRaw(tb, b[bOff + i])));
  const r = rawMul(rawMul(sumRaws(products), scaleA), scaleB);
  // an exact zero is +0, also when a zero scale (UE4M3 / UE5M3 code 0) meets a negative sum
  return rawIsZero(r) ? rawFinite(0, 0, 0) : r;
}

function codeRaw(t: readonly Raw[], code: number): Raw {
  const r = t[code & (t.length - 1)];
  if (r === undefined || !Number.isInteger(code) || code < 0) throw new RangeError(`element code out of range: ${code}`);
  return r;
}

/** The MXFP4 dot product through the generic path (slow, for cross-checks). */
export function dotE2M1E8M0Generic(a: ArrayLike<number>, b: ArrayLike<number>, sa: number, sb: number): number {
  return dotBlock(E2M1, a, E2M1, b, decodeE8M0(sa), decodeE8M0(sb));
}

/**
 * The MXFP4 dot product of the k codes at a[aOff..] and b[bOff..] with E8M0 scales sa, sb.
 * Same result as dotE2M1E8M0Generic; this one is the fast path the bench streams from.
 */
export function dotE2M1E8M0(
  a: ArrayLike<number>,
  aOff: number,
  b: ArrayLike<number>,
  bOff: number,
  k: number,
  sa: number,
  sb: number,
): number {
  if (sa === E8M0_NAN || sb === E8M0_NAN) return FP32_QNAN;
  let s = 0;
  for (let i = 0; i < k; i++) s += MUL_E2M1_TABLE[(a[aOff + i] << 4) | b[bOff + i]];
  if (s === 0) return 0;
  // products are in units of 2^-2
  return roundToFp32(s < 0, s < 0 ? -s : s, sa + sb - 2 * E8M0_BIAS - 2);
}

/** One operand of an MX dot product: element codes in blocks, one scale code per block. */
export interface MxOperand {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly codes: ArrayLike<number>;
  readonly scales: ArrayLike<number>;
  /** Per-tensor FP32 decode scale (bits), absent = 1. */
  readonly tensorScale?: number;
}

/**
 * How the block results of a multi-block dot product are summed:
 * - `exact`: every block's scaled sum exactly, all blocks together, one rounding to FP32 at the end;
 * - `fp32`: each block's result rounded to FP32 (as dotBlock), then added in FP32 in block order
 *   with round-to-nearest-even, starting from the first block's result;
 * - `blackwell`, `blackwell-f4`, `hopper`: as the GPU's tensor-core instructions (src/fused.ts),
 *   one instruction after another along the vector, each D = C + its k products, D the next C.
 */
export type Accumulation = 'exact' | 'fp32' | FusedKind;

export const ACCUMULATIONS: readonly Accumulation[] = ['exact', 'fp32', ...FUSED_KINDS];

/**
 * The MX dot product of two operands of equal length (a whole number of blocks of `blockSize`).
 *
 * Tensor scales T_A, T_B: in `exact` mode the exact sum is multiplied by T_A * T_B before the one
 * rounding; in `fp32` mode T_A * T_B is rounded to FP32 (the alpha of a GEMM) and the FP32 sum is
 * multiplied by it with one more rounding (only when a tensor scale is given).
 * NaN anywhere (scale, element, Inf - Inf) gives the quiet NaN; an exact zero gives +0 in `exact`
 * mode; in `fp32` mode zeros follow IEEE 754 addition ((-0) + (-0) = -0, otherwise +0).
 */
export function dotMx(a: MxOperand, b: MxOperand, blockSize: number, accum: Accumulation = 'exact', c?: number): number {
  if (!Number.isInteger(blockSize) || blockSize < 1) throw new RangeError(`block size must be a positive integer, got ${blockSize}`);
  if (a.codes.length !== b.codes.length) throw new RangeError(`operand lengths differ: ${a.codes.length} and ${b.codes.length}`);
  if (a.codes.length % blockSize !== 0) throw new RangeError(`operand length ${a.codes.length} is not a multiple of the block size ${blockSize}`);
  const nBlocks = a.codes.length / blockSize;
  if (a.scales.length !== nBlocks || b.scales.length !== nBlocks) {
    throw new RangeError(`${nBlocks} blocks need ${nBlocks} scale codes per operand, got ${a.scales.length} and ${b.scales.length}`);
  }
  if (!ACCUMULATIONS.includes(accum)) throw new RangeError(`unknown accumulation '${String(accum)}' (one of: ${ACCUMULATIONS.join(', ')})`);
  if (c !== undefined && (a.tensorScale !== undefined || b.tensorScale !== undefined)) throw new RangeError('an addend C cannot be combined with tensor scales');
  if (accum !== 'exact' && accum !== 'fp32') return dotFused(a, b, blockSize, accum, c ?? 0);
  const ta = elementTable(a.elem);
  const tb = elementTable(b.elem);
  const tensor: Raw[] = [];
  if (a.tensorScale !== undefined) tensor.push(fp32ToRaw(a.tensorScale));
  if (b.tensorScale !== undefined) tensor.push(fp32ToRaw(b.tensorScale));
  if (accum === 'exact') {
    const blocks: Raw[] = [];
    for (let j = 0; j < nBlocks; j++) {
      const off = j * blockSize;
      blocks.push(blockExact(ta, a.codes, off, tb, b.codes, off, blockSize, decodeScale(a.scale, a.scales[j]), decodeScale(b.scale, b.scales[j])));
    }
    if (c !== undefined) blocks.push(fp32ToRaw(c));
    let total = sumRaws(blocks);
    for (const t of tensor) total = rawMul(total, t);
    return roundRawToFp32(total);
  }
  let acc = c ?? 0;
  for (let j = 0; j < nBlocks; j++) {
    const off = j * blockSize;
    const p = roundRawToFp32(blockExact(ta, a.codes, off, tb, b.codes, off, blockSize, decodeScale(a.scale, a.scales[j]), decodeScale(b.scale, b.scales[j])));
    acc = j === 0 && c === undefined ? p : fp32Add(acc, p);
  }
  if (tensor.length === 0) return acc;
  let alpha = tensor[0];
  for (let i = 1; i < tensor.length; i++) alpha = rawMul(alpha, tensor[i]);
  return fp32Mul(acc, roundRawToFp32(alpha));
}

/** dotMx in a GPU kind: one fused dot-add per instruction of k elements, in order, C first. */
function dotFused(a: MxOperand, b: MxOperand, blockSize: number, kind: FusedKind, c: number): number {
  const shape = FUSED_SHAPES[kind];
  if (a.tensorScale !== undefined || b.tensorScale !== undefined) throw new RangeError(`${kind}: no tensor scales (apply them to the result)`);
  if (a.scale !== b.scale) throw new RangeError(`${kind}: A and B need the same scale format, got ${a.scale.name} and ${b.scale.name}`);
  const s = shape.scales.find((x) => x.format.name === a.scale.name);
  if (!s) throw new RangeError(`${kind}: scales must be ${shape.scales.map((x) => `${x.format.name} per ${x.block}`).join(' or ')}, got ${a.scale.name}`);
  if (blockSize !== s.block) throw new RangeError(`${kind}: ${s.format.name} scales need a block size of ${s.block}, got ${blockSize}`);
  if (a.codes.length % shape.k !== 0) throw new RangeError(`${kind}: the length ${a.codes.length} is not a whole number of instructions of ${shape.k} elements`);
  const per = shape.k / blockSize;
  let d = c;
  for (let off = 0, j = 0; off < a.codes.length; off += shape.k, j += per) {
    const op = (o: MxOperand) => ({ elem: o.elem, scale: o.scale, codes: Array.from({ length: shape.k }, (_, i) => o.codes[off + i]), scales: Array.from({ length: per }, (_, i) => o.scales[j + i]) });
    d = fusedDotAdd(kind, op(a), op(b), d);
  }
  return d;
}
