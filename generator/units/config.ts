/** What one `mxrtl gen` run generates for: the formats, the block size and the unit families. */
import { UsageError } from '../cli-args.js';
import { ADDER_STYLES, type AdderStyle } from '../raw/add_tree.js';
import {
  ELEMENT_FORMATS,
  FLOAT_FORMATS,
  SCALE_FORMATS,
  elementFormatByName,
  floatFormatByName,
  scaleFormatByName,
  type ElementFormat,
  type FloatFormat,
  type ScaleFormat,
} from '../../src/index.js';

export const MIN_BLOCK = 1;
/** Largest block size (the adder trees and harnesses stay a reasonable size). */
export const MAX_BLOCK = 4096;

/** The unit families, in manifest order. */
export const FAMILY_NAMES = ['mul', 'dequant', 'dot', 'add', 'mac_array', 'fused', 'quant'] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

/**
 * The families a configuration generates when --units is not given: all but the GPU-compatible
 * fused dot-add, whose instruction shapes fit only some configurations (the array at DEFAULT_MAC),
 * and the quantizer, whose recipes do not all exist in hardware yet (4over6, the tensor scale).
 */
export const DEFAULT_UNITS: readonly FamilyName[] = FAMILY_NAMES.filter((f) => f !== 'fused' && f !== 'quant');

/** The quantizer's recipe and element rounding (used when the units include quant). */
export interface QuantConfig {
  readonly recipe: string;
  readonly round: 'rne' | 'away';
  /** the format of the values quantized */
  readonly in: 'fp32' | 'bf16';
  /** underflow guard: a scale that would be zero becomes the smallest positive scale */
  readonly guard: boolean;
  /** register stages (0: combinational; 1: after the scale; 2: also after the block maximum) */
  readonly stages: number;
}

export const DEFAULT_QUANT: QuantConfig = { recipe: 'floor', round: 'rne', in: 'fp32', guard: false, stages: 0 };
/** The quantizer's register stages: after the block maximum and after the scale. */
export const MAX_QUANT_STAGES = 2;

/** The GPU instruction a `fused` unit computes, when --gpu is not given. */
export const DEFAULT_GPU = 'blackwell';

/** How the MAC array accumulates: FP32 additions block by block, exactly with one rounding, or as a chain of GPU fused dot-adds (Blackwell kind::mxf8f6f4, Hopper FP8). */
export const MAC_ACCUMULATIONS = ['fp32', 'exact', 'blackwell', 'hopper'] as const;
export type MacAccumulationName = (typeof MAC_ACCUMULATIONS)[number];

/** The MAC array's shape and accumulation (used when the units include mac_array). */
export interface MacConfig {
  readonly rows: number;
  readonly cols: number;
  readonly accum: MacAccumulationName;
  /** the most blocks one accumulation may take (sizes the exact accumulator; the bench's longest sum) */
  readonly maxBlocks: number;
  /** register stages at the PE's cut point (0: the dot product and the accumulation in one cycle) */
  readonly stages: number;
}

export const DEFAULT_MAC: MacConfig = { rows: 2, cols: 2, accum: 'fp32', maxBlocks: 8, stages: 0 };
/** The most register stages generated: one, between the block's dot product and the accumulation. */
export const MAX_MAC_STAGES = 1;
/** Largest array side, and largest number of processing elements. */
export const MAX_ARRAY_SIDE = 32;
export const MAX_ARRAY_CELLS = 256;
export const MAX_BLOCKS_LIMIT = 1 << 20;

export interface GenConfig {
  readonly elemA: ElementFormat;
  readonly elemB: ElementFormat;
  readonly scale: ScaleFormat;
  /** result format of the dequantizer and the dot product */
  readonly out: FloatFormat;
  readonly block: number;
  readonly units: readonly FamilyName[];
  readonly mac: MacConfig;
  /** the GPU kind of the fused unit (used when the units include fused) */
  readonly gpu: string;
  readonly quant: QuantConfig;
  /** how the exact sums' adder trees add (the dot product, the fused dot-add, the MAC array's fp32 / exact PEs) */
  readonly adders: AdderStyle;
}

/** The adder style when --adders is not given. */
export const DEFAULT_ADDERS: AdderStyle = 'operator';

/** The configuration as the manifest stores it: format names (the array's options with a mac_array unit). */
export interface ConfigNames {
  readonly elemA: string;
  readonly elemB: string;
  readonly scale: string;
  readonly out: string;
  readonly block: number;
  readonly units: readonly string[];
  readonly mac?: MacConfig;
  readonly gpu?: string;
  readonly quant?: QuantConfig;
  /** only when not the default */
  readonly adders?: AdderStyle;
}

/** Common configurations, by name (`--preset`). */
export const PRESETS: Readonly<Record<string, { readonly elem: string; readonly scale: string; readonly block: number; readonly about: string }>> = {
  mxfp4: { elem: 'e2m1', scale: 'e8m0', block: 32, about: 'OCP MXFP4: FP4 E2M1 elements, E8M0 scales, k = 32' },
  mxfp6: { elem: 'e3m2', scale: 'e8m0', block: 32, about: 'OCP MXFP6: FP6 E3M2 elements, E8M0 scales, k = 32' },
  mxfp8: { elem: 'e4m3', scale: 'e8m0', block: 32, about: 'OCP MXFP8: FP8 E4M3 elements, E8M0 scales, k = 32' },
  mxint8: { elem: 'int8', scale: 'e8m0', block: 32, about: 'OCP MXINT8: INT8 elements, E8M0 scales, k = 32' },
  nvfp4: { elem: 'e2m1', scale: 'ue4m3', block: 16, about: 'NVFP4: FP4 E2M1 elements, UE4M3 scales, k = 16' },
};

function pick<T>(what: string, text: string, byName: (n: string) => T | undefined, table: Readonly<Record<string, unknown>>): T {
  const f = byName(text);
  if (f === undefined) throw new UsageError(`unknown ${what} '${text}' (one of: ${Object.keys(table).join(', ')}, or their microxcaling / ml_dtypes names)`);
  return f;
}

export function elementFormat(text: string): ElementFormat {
  return pick('element format', text, elementFormatByName, ELEMENT_FORMATS);
}

export function scaleFormat(text: string): ScaleFormat {
  return pick('scale format', text, scaleFormatByName, SCALE_FORMATS);
}

export function floatFormat(text: string): FloatFormat {
  return pick('result format', text, floatFormatByName, FLOAT_FORMATS);
}

export function unitFamilies(text: string): FamilyName[] {
  const names = text.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s !== '');
  if (names.length === 0) throw new UsageError(`--units needs at least one of: ${FAMILY_NAMES.join(', ')}`);
  for (const n of names) if (!(FAMILY_NAMES as readonly string[]).includes(n)) throw new UsageError(`unknown unit family '${n}' (one of: ${FAMILY_NAMES.join(', ')})`);
  return FAMILY_NAMES.filter((f) => names.includes(f));
}

export function checkBlock(block: number): number {
  if (!Number.isInteger(block) || block < MIN_BLOCK || block > MAX_BLOCK) throw new UsageError(`block size must be a whole number from ${MIN_BLOCK} to ${MAX_BLOCK}, got ${block}`);
  return block;
}

/** A configuration from format names (any accepted spelling); UsageError on a bad one. */
export function makeConfig(n: {
  elemA: string;
  elemB: string;
  scale: string;
  out: string;
  block: number;
  units?: readonly string[];
  mac?: Partial<MacConfig>;
  gpu?: string;
  quant?: Partial<QuantConfig>;
  adders?: string;
}): GenConfig {
  const c: GenConfig = {
    elemA: elementFormat(n.elemA),
    elemB: elementFormat(n.elemB),
    scale: scaleFormat(n.scale),
    out: floatFormat(n.out),
    block: checkBlock(n.block),
    units: n.units === undefined ? [...DEFAULT_UNITS] : unitFamilies(n.units.join(',')),
    mac: checkMac({ ...DEFAULT_MAC, ...n.mac }),
    gpu: (n.gpu ?? DEFAULT_GPU).toLowerCase(),
    quant: checkQuant({ ...DEFAULT_QUANT, ...n.quant }),
    adders: adderStyle(n.adders ?? DEFAULT_ADDERS),
  };
  return c;
}

export function adderStyle(text: string): AdderStyle {
  const t = text.toLowerCase();
  if (!(ADDER_STYLES as readonly string[]).includes(t)) throw new UsageError(`unknown adder style '${text}' (one of: ${ADDER_STYLES.join(', ')})`);
  return t as AdderStyle;
}

/** { adders } when not the default, else {}: a unit's parameter, written only where it says something. */
export function addersEntry(adders: AdderStyle | undefined): { adders?: AdderStyle } {
  return adders === undefined || adders === DEFAULT_ADDERS ? {} : { adders };
}

/** The adder style a unit's manifest parameters name (absent: the default). */
export function addersParameter(r: Readonly<Record<string, unknown>>): AdderStyle {
  return adderStyle(String(r.adders ?? DEFAULT_ADDERS));
}

/** "_ripple" for ripple-carry adder trees, else "": in the names of the modules that hold one. */
export function addersSuffix(adders: AdderStyle | undefined): string {
  return adders === undefined || adders === DEFAULT_ADDERS ? '' : `_${adders}`;
}

export function checkQuant(q: QuantConfig): QuantConfig {
  const recipe = q.recipe.toLowerCase();
  if (q.round !== 'rne' && q.round !== 'away') throw new UsageError(`unknown element rounding '${String(q.round)}' (one of: rne, away)`);
  if (q.in !== 'fp32' && q.in !== 'bf16') throw new UsageError(`unknown input format '${String(q.in)}' (one of: fp32, bf16)`);
  if (!Number.isInteger(q.stages) || q.stages < 0 || q.stages > MAX_QUANT_STAGES) throw new UsageError(`--stages ${q.stages}: the quantizer has 0 .. ${MAX_QUANT_STAGES} register stages (after the scale; and after the block maximum)`);
  return { recipe, round: q.round, in: q.in, guard: q.guard === true, stages: q.stages };
}

export function checkMac(m: MacConfig): MacConfig {
  const side = (what: string, v: number): void => {
    if (!Number.isInteger(v) || v < 1 || v > MAX_ARRAY_SIDE) throw new UsageError(`array ${what} must be a whole number from 1 to ${MAX_ARRAY_SIDE}, got ${v}`);
  };
  side('rows', m.rows);
  side('columns', m.cols);
  if (m.rows * m.cols > MAX_ARRAY_CELLS) throw new UsageError(`an array of ${m.rows} x ${m.cols} has ${m.rows * m.cols} processing elements, more than ${MAX_ARRAY_CELLS}`);
  if (!(MAC_ACCUMULATIONS as readonly string[]).includes(m.accum)) throw new UsageError(`unknown accumulation '${m.accum}' (one of: ${MAC_ACCUMULATIONS.join(', ')})`);
  if (!Number.isInteger(m.maxBlocks) || m.maxBlocks < 1 || m.maxBlocks > MAX_BLOCKS_LIMIT) throw new UsageError(`--max-blocks must be a whole number from 1 to ${MAX_BLOCKS_LIMIT}, got ${m.maxBlocks}`);
  if (!Number.isInteger(m.stages) || m.stages < 0) throw new UsageError(`--stages must be a whole number from 0 to ${MAX_MAC_STAGES}, got ${m.stages}`);
  if (m.stages > MAX_MAC_STAGES) throw new UsageError(`--stages ${m.stages}: at most ${MAX_MAC_STAGES} register stage is generated yet (between the block's dot product and the accumulation)`);
  return { rows: m.rows, cols: m.cols, accum: m.accum, maxBlocks: m.maxBlocks, stages: m.stages };
}

/** "4x4" -> 4 rows, 4 columns (UsageError on anything else). */
export function parseArray(text: string): { rows: number; cols: number } {
  const m = /^(\d+)x(\d+)$/i.exec(text.trim());
  if (!m) throw new UsageError(`--array must be ROWSxCOLS, e.g. 4x4, got '${text}'`);
  return { rows: Number(m[1]), cols: Number(m[2]) };
}

export function configNames(c: GenConfig): ConfigNames {
  return {
    elemA: c.elemA.name,
    elemB: c.elemB.name,
    scale: c.scale.name,
    out: c.out.name,
    block: c.block,
    units: [...c.units],
    ...(c.units.includes('mac_array') ? { mac: { ...c.mac } } : {}),
    ...(c.units.includes('fused') ? { gpu: c.gpu } : {}),
    ...(c.units.includes('quant') ? { quant: { ...c.quant } } : {}),
    ...(c.adders !== DEFAULT_ADDERS ? { adders: c.adders } : {}),
  };
}

/** "e2m1" for one format, "e4m3xe2m1" for A x B: names the operand formats in module names. */
export function elemsTag(a: ElementFormat, b: ElementFormat): string {
  return a === b ? a.name : `${a.name}x${b.name}`;
}

/** "_bf16" when the result format is not FP32, else "". */
export function outSuffix(out: FloatFormat): string {
  return out.name === 'fp32' ? '' : `_${out.name}`;
}

/** "e2m1_e8m0_k32", "e4m3xe5m2_ue4m3_k16_bf16": names the configuration in reports and caches. */
export function configTag(c: GenConfig): string {
  return `${elemsTag(c.elemA, c.elemB)}_${c.scale.name}_k${c.block}${outSuffix(c.out)}${addersSuffix(c.adders)}`;
}
