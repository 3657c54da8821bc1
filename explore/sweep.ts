/**
 * A sweep: the axes of the design space (element and scale formats, recipes, the underflow guard,
 * the tensor scale, block sizes, data sets) and the points it expands to, one quantizer
 * configuration on one data set each. Combinations the golden model rejects (nv with E8M0 scales,
 * 4over6 without E2M1 elements, a tensor scale with floor / ceil) are skipped and counted.
 */
import { UsageError } from '../generator/cli-args.js';
import {
  elementFormatByName,
  resolveQuantizeOptions,
  scaleFormatByName,
  SCALE_RECIPES,
  type ElementFormat,
  type QuantizeOptions,
  type RoundMode,
  type ScaleFormat,
  type ScaleRecipe,
} from '../src/index.js';
import { isFlowName, type FlowName } from '../generator/synth.js';
import { parseDataSpec } from './data.js';

export type TensorScaleMode = 'none' | 'auto';

/** Every axis as a list, and the settings shared by every point; the normalized form reports and shards carry. */
export interface Sweep {
  readonly elem: readonly string[];
  readonly scale: readonly string[];
  readonly recipe: readonly ScaleRecipe[];
  readonly guard: readonly boolean[];
  readonly tensorScale: readonly TensorScaleMode[];
  readonly block: readonly number[];
  /** data-set specs, canonical (data.ts) */
  readonly data: readonly string[];
  readonly round: RoundMode;
  /** values per synthetic data set */
  readonly values: number;
  readonly seed: number;
  /** Yosys flows for the hardware cost; empty: no hardware cost */
  readonly area: readonly FlowName[];
}

export interface Point {
  /** position in the sweep's full list of points */
  readonly index: number;
  readonly elem: string;
  readonly scale: string;
  readonly recipe: ScaleRecipe;
  readonly guard: boolean;
  readonly tensorScale: TensorScaleMode;
  readonly block: number;
  readonly data: string;
}

export interface Expanded {
  readonly points: readonly Point[];
  /** reason -> how many combinations it ruled out */
  readonly skipped: Readonly<Record<string, number>>;
}

export const MAX_SWEEP_BLOCK = 65536;
export const MAX_VALUES = 1 << 28;

export const DEFAULT_SWEEP: Sweep = {
  elem: ['e2m1'],
  scale: ['e8m0', 'ue4m3'],
  recipe: ['floor', 'nv'],
  guard: [false],
  tensorScale: ['none'],
  block: [8, 16, 32, 64, 128],
  data: ['student-t'],
  round: 'rne',
  values: 1 << 18,
  seed: 1,
  area: [],
};

/** The raw axes as a user gives them (command line or sweep file): lists of texts or numbers. */
export type SweepInput = Partial<Record<keyof Sweep, unknown>>;

const list = (key: string, v: unknown): unknown[] => {
  if (Array.isArray(v)) return v;
  // data specs hold commas themselves: a list of them is separated by ';'
  if (typeof v === 'string') return v.split(key === 'data' ? ';' : ',').map((x) => x.trim()).filter((x) => x !== '');
  if (typeof v === 'number' || typeof v === 'boolean') return [v];
  throw new UsageError(`${key}: expected a list or a comma-separated string`);
};

function uniq<T>(key: string, xs: T[]): T[] {
  if (xs.length === 0) throw new UsageError(`${key}: the list is empty`);
  return [...new Set(xs)];
}

function wholeNumber(key: string, v: unknown, min: number, max: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^[0-9]+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < min || n > max) throw new UsageError(`${key} needs whole numbers from ${min} to ${max}, got '${String(v)}'`);
  return n;
}

const onOff = (key: string, v: unknown): boolean => {
  if (v === true || v === 'on' || v === 'true') return true;
  if (v === false || v === 'off' || v === 'false') return false;
  throw new UsageError(`${key}: expected on or off, got '${String(v)}'`);
};

/** Check and normalize a sweep (UsageError naming the bad axis). Unknown keys are errors. */
export function normalizeSweep(input: SweepInput): Sweep {
  for (const k of Object.keys(input)) if (!(k in DEFAULT_SWEEP)) throw new UsageError(`unknown sweep key '${k}' (keys: ${Object.keys(DEFAULT_SWEEP).join(', ')})`);
  const get = <K extends keyof Sweep>(k: K): unknown => (input[k] === undefined ? DEFAULT_SWEEP[k] : input[k]);
  const elem = uniq('elem', list('elem', get('elem')).map((e) => {
    const f = elementFormatByName(String(e));
    if (!f) throw new UsageError(`elem: unknown element format '${String(e)}'`);
    return f.name;
  }));
  const scale = uniq('scale', list('scale', get('scale')).map((s) => {
    const f = scaleFormatByName(String(s));
    if (!f) throw new UsageError(`scale: unknown scale format '${String(s)}'`);
    return f.name;
  }));
  const recipe = uniq('recipe', list('recipe', get('recipe')).map((r) => {
    const name = String(r).toLowerCase();
    if (!(SCALE_RECIPES as readonly string[]).includes(name)) throw new UsageError(`recipe: unknown recipe '${String(r)}' (one of: ${SCALE_RECIPES.join(', ')})`);
    return name as ScaleRecipe;
  }));
  const guard = uniq('guard', list('guard', get('guard')).map((g) => onOff('guard', g)));
  const tensorScale = uniq('tensorScale', list('tensorScale', get('tensorScale')).map((t) => {
    if (t !== 'none' && t !== 'auto') throw new UsageError(`tensorScale: expected none or auto, got '${String(t)}'`);
    return t as TensorScaleMode;
  }));
  const block = uniq('block', list('block', get('block')).map((b) => wholeNumber('block', b, 1, MAX_SWEEP_BLOCK)));
  const data = uniq('data', list('data', get('data')).map((d) => parseDataSpec(String(d)).name));
  const round = String(get('round'));
  if (round !== 'rne' && round !== 'away') throw new UsageError(`round: expected rne or away, got '${round}'`);
  const values = wholeNumber('values', get('values'), 1, MAX_VALUES);
  const seed = wholeNumber('seed', get('seed'), 0, 2 ** 32 - 1);
  const areaRaw = get('area');
  const area = areaRaw === false || areaRaw === 'none' || (Array.isArray(areaRaw) && areaRaw.length === 0) ? [] : uniq('area', list('area', areaRaw === true ? 'generic,xilinx' : areaRaw).map((f) => {
    const name = String(f).toLowerCase();
    if (!isFlowName(name)) throw new UsageError(`area: unknown synthesis flow '${String(f)}' (one of: generic, ice40, xilinx, ecp5)`);
    return name;
  }));
  if (area.length > 0 && !area.includes('generic')) area.unshift('generic');
  return { elem, scale, recipe, guard, tensorScale, block, data, round, values, seed, area };
}

/** The quantizer options of a point (without the tensor scale, which `auto` computes from the data). */
export function pointOptions(p: Point, round: RoundMode): QuantizeOptions {
  return {
    elem: elementFormatByName(p.elem) as ElementFormat,
    scale: scaleFormatByName(p.scale) as ScaleFormat,
    blockSize: p.block,
    recipe: p.recipe,
    guard: p.guard,
    round,
  };
}

/** A point's recipe as one label: `nv`, `nv+guard`, `nv+tensor`, `mse+guard+tensor`. */
export function recipeLabel(p: Pick<Point, 'recipe' | 'guard' | 'tensorScale'>): string {
  return `${p.recipe}${p.guard ? '+guard' : ''}${p.tensorScale === 'auto' ? '+tensor' : ''}`;
}

/** Every valid point of the sweep, in a fixed order (data, scale, element, recipe, guard, tensor scale, block). */
export function expandSweep(s: Sweep): Expanded {
  const points: Point[] = [];
  const skipped: Record<string, number> = {};
  for (const data of s.data) {
    for (const scale of s.scale) {
      for (const elem of s.elem) {
        for (const recipe of s.recipe) {
          for (const guard of s.guard) {
            for (const tensorScale of s.tensorScale) {
              for (const block of s.block) {
                const p: Point = { index: points.length, elem, scale, recipe, guard, tensorScale, block, data };
                try {
                  resolveQuantizeOptions({ ...pointOptions(p, s.round), ...(tensorScale === 'auto' ? { tensorScale: 0x3f800000 } : {}) });
                  points.push(p);
                } catch (e) {
                  if (!(e instanceof RangeError)) throw e;
                  skipped[e.message] = (skipped[e.message] ?? 0) + 1;
                }
              }
            }
          }
        }
      }
    }
  }
  if (points.length === 0) throw new UsageError(`the sweep has no valid point (${Object.keys(skipped).join('; ')})`);
  return { points, skipped };
}

/** The shard's share of the points: every n-th, starting at the i-th (1-based). */
export function shardPoints(points: readonly Point[], shard: { index: number; count: number }): Point[] {
  return points.filter((_, i) => i % shard.count === shard.index - 1);
}
