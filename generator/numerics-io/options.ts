/** Command-line options shared by the numerics commands (quantize, dequantize, dot). */
import { UsageError, parseIntArg } from '../cli-args.js';
import {
  ELEMENT_FORMATS,
  SCALE_FORMATS,
  SCALE_RECIPES,
  checkTensorScale,
  elementFormatByName,
  parseFp32,
  scaleFormatByName,
  type ElementFormat,
  type Int8Range,
  type RoundMode,
  type ScaleFormat,
  type ScaleOverflow,
  type ScaleRecipe,
} from '../../src/index.js';

function oneOf<T extends string>(flag: string, text: string, allowed: readonly T[]): T {
  const t = text.toLowerCase();
  if (!(allowed as readonly string[]).includes(t)) throw new UsageError(`${flag}: unknown value '${text}' (one of: ${allowed.join(', ')})`);
  return t as T;
}

export function elemFormat(flag: string, text: string): ElementFormat {
  const f = elementFormatByName(text.toLowerCase());
  if (!f) throw new UsageError(`${flag}: unknown element format '${text}' (one of: ${Object.keys(ELEMENT_FORMATS).join(', ')})`);
  return f;
}

export function scaleFormat(flag: string, text: string): ScaleFormat {
  const f = scaleFormatByName(text.toLowerCase());
  if (!f) throw new UsageError(`${flag}: unknown scale format '${text}' (one of: ${Object.keys(SCALE_FORMATS).join(', ')})`);
  return f;
}

export const recipe = (text: string): ScaleRecipe => oneOf('--recipe', text, SCALE_RECIPES);
export const roundMode = (text: string): RoundMode => oneOf('--round', text, ['rne', 'away'] as const);
export const overflowMode = (text: string): ScaleOverflow => oneOf('--overflow', text, ['clamp', 'nan'] as const);
export const int8Range = (text: string): Int8Range => oneOf('--int8-range', text, ['symmetric', 'full'] as const);

export function blockSize(text: string | undefined): number {
  return text === undefined ? 32 : parseIntArg('--block', text, 1, 65536);
}

/** A positive finite FP32 value written as a decimal number or as 0x-prefixed bits. */
/** An FP32 value given as a decimal number or 0x followed by its bits (any value: NaN, Inf, -0 too). */
export function fp32Value(flag: string, text: string): number {
  const bits = parseFp32(text);
  if (bits === undefined) throw new UsageError(`${flag}: '${text}' is not a number (decimal, or 0x followed by FP32 bits)`);
  return bits;
}

export function tensorScaleValue(flag: string, text: string): number {
  const bits = parseFp32(text);
  if (bits === undefined) throw new UsageError(`${flag}: '${text}' is not a number (decimal, or 0x followed by FP32 bits)`);
  try {
    checkTensorScale(bits);
  } catch {
    throw new UsageError(`${flag}: the tensor scale must be a positive finite FP32 value, got '${text}'`);
  }
  return bits;
}
