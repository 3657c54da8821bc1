/** What one `mxrtl gen` run generates for: the formats, the block size and the unit families. */
import { UsageError } from '../cli-args.js';
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
export const FAMILY_NAMES = ['mul', 'dequant', 'dot', 'add'] as const;
export type FamilyName = (typeof FAMILY_NAMES)[number];

export interface GenConfig {
  readonly elemA: ElementFormat;
  readonly elemB: ElementFormat;
  readonly scale: ScaleFormat;
  /** result format of the dequantizer and the dot product */
  readonly out: FloatFormat;
  readonly block: number;
  readonly units: readonly FamilyName[];
}

/** The configuration as the manifest stores it: format names. */
export interface ConfigNames {
  readonly elemA: string;
  readonly elemB: string;
  readonly scale: string;
  readonly out: string;
  readonly block: number;
  readonly units: readonly string[];
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
export function makeConfig(n: { elemA: string; elemB: string; scale: string; out: string; block: number; units?: readonly string[] }): GenConfig {
  return {
    elemA: elementFormat(n.elemA),
    elemB: elementFormat(n.elemB),
    scale: scaleFormat(n.scale),
    out: floatFormat(n.out),
    block: checkBlock(n.block),
    units: n.units === undefined ? [...FAMILY_NAMES] : unitFamilies(n.units.join(',')),
  };
}

export function configNames(c: GenConfig): ConfigNames {
  return { elemA: c.elemA.name, elemB: c.elemB.name, scale: c.scale.name, out: c.out.name, block: c.block, units: [...c.units] };
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
  return `${elemsTag(c.elemA, c.elemB)}_${c.scale.name}_k${c.block}${outSuffix(c.out)}`;
}
