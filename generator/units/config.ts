/** What one `mxrtl gen` run generates for: the formats and the block size. */
import { UsageError } from '../cli-args.js';

export const MIN_BLOCK = 1;
/** Largest block size: keeps every FP4 dot-product sum within 24 significant bits. */
export const MAX_BLOCK = 4096;

export interface GenConfig {
  readonly elem: 'e2m1';
  readonly scale: 'e8m0';
  readonly block: number;
}

export const ELEM_FORMATS = ['e2m1'] as const;
export const SCALE_FORMATS = ['e8m0'] as const;

export function makeConfig(elem: string, scale: string, block: number): GenConfig {
  if (!(ELEM_FORMATS as readonly string[]).includes(elem)) throw new UsageError(`unknown element format '${elem}' for RTL (supported: ${ELEM_FORMATS.join(', ')})`);
  if (!(SCALE_FORMATS as readonly string[]).includes(scale)) throw new UsageError(`unknown scale format '${scale}' for RTL (supported: ${SCALE_FORMATS.join(', ')})`);
  if (!Number.isInteger(block) || block < MIN_BLOCK || block > MAX_BLOCK) throw new UsageError(`block size must be a whole number from ${MIN_BLOCK} to ${MAX_BLOCK}, got ${block}`);
  return { elem: elem as 'e2m1', scale: scale as 'e8m0', block };
}

/** "e2m1_e8m0_k32": names the configuration in module names, reports and caches. */
export function configTag(c: GenConfig): string {
  return `${c.elem}_${c.scale}_k${c.block}`;
}
