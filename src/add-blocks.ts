/**
 * add_blocks: the element-wise sum of two MX blocks of one configuration as one MX block of it, the
 * reduction step of a block-wise quantized all-reduce. Each output element is the exact sum
 * a_i * S_A + b_i * S_B of the two dequantized values (no rounding), and the k sums are quantized
 * with the configured recipe exactly as `quantize` quantizes FP32 values (src/quantize.ts): the
 * block maximum of the exact sums, the recipe's scale (floor, ceil, nv; the guard; saturation) and
 * each element rounded to nearest (ties to even, or away) against it.
 *
 * - A NaN scale, a NaN element, an Inf (E5M2) or Inf - Inf makes that sum NaN or Inf, and a block
 *   holding one gets the NaN scale and zero codes (as `quantize` treats NaN / Inf values).
 * - A zero sum follows IEEE 754 addition: +0, except (-0) + (-0) = -0; an all-zero block gets scale
 *   code 0 and the zeros' signs.
 * - The sums are exact rationals with up to ~280 significant bits (two E8M0 scales far apart); the
 *   recipes only compare them with numbers of a few significant bits, so each is narrowed to 53 bits
 *   by rounding to odd, which keeps every such comparison (quantize.ts BlockValue). For that reason
 *   4over6 and mse, whose squared errors need the sums themselves, are not offered here.
 */
import { decodeScale, type ElementFormat, type ScaleFormat } from './formats/format.js';
import { elementRaw } from './dequant.js';
import { rawFinite, rawIsZero, rawMul, type Raw } from './raw.js';
import { sumRaws } from './sum.js';
import { quantizeBlockValues, resolveQuantizeOptions, type BlockValue } from './quantize.js';
import type { RoundMode } from './round.js';

/** The recipes of add_blocks: those whose scale and codes depend on comparisons alone. */
export const ADD_BLOCKS_RECIPES = ['floor', 'ceil', 'nv'] as const;
export type AddBlocksRecipe = (typeof ADD_BLOCKS_RECIPES)[number];

export interface AddBlocksOptions {
  readonly elem: ElementFormat;
  readonly scale: ScaleFormat;
  readonly blockSize: number;
  readonly recipe?: AddBlocksRecipe;
  readonly round?: RoundMode;
  readonly guard?: boolean;
}

/** The exact sum of two raws, with IEEE 754's sign for an exact zero ((-0) + (-0) = -0, else +0). */
export function addRawsIeeeZero(x: Raw, y: Raw): Raw {
  const s = sumRaws([x, y]);
  if (rawIsZero(s) && rawIsZero(x) && rawIsZero(y) && x.sign === 1 && y.sign === 1) return rawFinite(1, 0, 0);
  return s;
}

/** A raw value as a block value of the reference quantizer: narrowed to 53 bits by rounding to odd. */
export function rawBlockValue(r: Raw): BlockValue {
  if (r.nan || r.inf) return { special: true, neg: r.sign === 1, sig: 0, exp: 0 };
  let sig = BigInt(r.sig);
  let exp = r.exp;
  const len = sig === 0n ? 0 : sig.toString(2).length;
  if (len > 53) {
    const sh = BigInt(len - 53);
    const kept = sig >> sh;
    // round to odd: a set bit shifted out sets the last kept bit
    sig = kept | (kept << sh !== sig ? 1n : 0n);
    exp += len - 53;
  }
  return { special: false, neg: r.sign === 1, sig: Number(sig), exp };
}

/**
 * The sum of blocks (a, scaleA) and (b, scaleB) (element codes and scale codes of opts' formats):
 * the element codes written to out[0 .. k), the scale code returned.
 */
export function addBlocks(a: ArrayLike<number>, scaleA: number, b: ArrayLike<number>, scaleB: number, opts: AddBlocksOptions, out: Uint8Array): number {
  const recipe = opts.recipe ?? 'floor';
  if (!(ADD_BLOCKS_RECIPES as readonly string[]).includes(recipe)) throw new RangeError(`add_blocks requantizes with ${ADD_BLOCKS_RECIPES.join(', ')}, not ${recipe}`);
  const o = resolveQuantizeOptions({ elem: opts.elem, scale: opts.scale, blockSize: opts.blockSize, recipe, round: opts.round, guard: opts.guard });
  const k = o.blockSize;
  if (a.length !== k || b.length !== k) throw new RangeError(`add_blocks: blocks of ${k} elements, got ${a.length} and ${b.length}`);
  if (out.length < k) throw new RangeError(`add_blocks: room for ${k} codes, got ${out.length}`);
  const sa = decodeScale(opts.scale, scaleA);
  const sb = decodeScale(opts.scale, scaleB);
  const vals: BlockValue[] = [];
  for (let i = 0; i < k; i++) vals.push(rawBlockValue(addRawsIeeeZero(rawMul(elementRaw(opts.elem, a[i]), sa), rawMul(elementRaw(opts.elem, b[i]), sb))));
  return quantizeBlockValues(vals, o, out, 0);
}
