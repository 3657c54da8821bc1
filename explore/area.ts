/**
 * The hardware cost of a sweep point: the dot product (A = B = the point's element format, its scale
 * format and k, FP32 result) and, where the RTL has the point's recipe, the quantizer, each put
 * through the synthesis flows of generator/synth.ts. Figures are cached on disk by the SHA-256 of
 * the Verilog text and the Yosys version, so a unit is synthesized once per machine whatever the
 * sweep; the cache holds only files named <hash>.json that this module wrote.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { generateConfig } from '../generator/generate.js';
import { makeConfig, MAX_BLOCK } from '../generator/units/config.js';
import { QUANT_RTL_RECIPES } from '../generator/units/quant.js';
import { synthesize, type FlowFigures, type FlowName } from '../generator/synth.js';
import { YOWASP_VERSION } from '../formal/yosys.js';
import type { Point } from './sweep.js';

/** One unit's figures: generic cells and depth, and LUTs of each FPGA flow asked for. */
export interface UnitCost {
  readonly top: string;
  readonly cells: number;
  readonly depth: number;
  readonly luts: Readonly<Partial<Record<FlowName, number>>>;
}

export interface PointCost {
  readonly dot: UnitCost | null;
  /** null: the RTL has no quantizer for this recipe (or with a tensor scale) */
  readonly quant: UnitCost | null;
  /** why a unit has no figures */
  readonly notes: readonly string[];
}

const CACHE_TAG = 'mxrtl explore synthesis cache v1';

/** The default cache folder: $XDG_CACHE_HOME/mxrtl/synth or ~/.cache/mxrtl/synth. */
export function defaultCacheDir(): string {
  const base = process.env.XDG_CACHE_HOME && process.env.XDG_CACHE_HOME !== '' ? process.env.XDG_CACHE_HOME : join(homedir(), '.cache');
  return join(base, 'mxrtl', 'synth');
}

interface Entry {
  readonly tag: string;
  readonly key: string;
  readonly figures: FlowFigures;
}

/** Figures by content key, in memory and (when dir is not null) on disk. */
export class SynthCache {
  private readonly memory = new Map<string, FlowFigures>();
  hits = 0;
  misses = 0;
  constructor(private readonly dir: string | null) {}

  private file(key: string): string {
    return join(this.dir as string, `${key}.json`);
  }

  get(key: string): FlowFigures | undefined {
    const m = this.memory.get(key);
    if (m) return m;
    if (this.dir === null) return undefined;
    try {
      const e = JSON.parse(readFileSync(this.file(key), 'utf8')) as Entry;
      if (e.tag === CACHE_TAG && e.key === key && typeof e.figures?.cells === 'number') {
        this.memory.set(key, e.figures);
        return e.figures;
      }
    } catch {
      // absent or unreadable: a miss
    }
    return undefined;
  }

  put(key: string, figures: FlowFigures): void {
    this.memory.set(key, figures);
    if (this.dir === null) return;
    try {
      mkdirSync(this.dir, { recursive: true });
      const tmp = `${this.file(key)}.${process.pid}.tmp`;
      const entry: Entry = { tag: CACHE_TAG, key, figures };
      writeFileSync(tmp, JSON.stringify(entry) + '\n', { flag: 'wx' });
      // a file already under the key that is not a valid entry is not ours to replace
      if (existsSync(this.file(key))) unlinkSync(tmp);
      else renameSync(tmp, this.file(key));
    } catch {
      // a cache that cannot be written only costs time
    }
  }
}

/** A generated unit to synthesize: its top, the files of its hierarchy, and a key of their text. */
export interface UnitSource {
  readonly top: string;
  readonly texts: Readonly<Record<string, string>>;
  readonly content: string;
}

/** The cache key of one unit under one flow (and this Yosys). */
export function flowKey(u: UnitSource, flow: FlowName): string {
  return createHash('sha256').update(`${u.content}\0${flow}\0${YOWASP_VERSION}`).digest('hex').slice(0, 32);
}

/** The files of the generated unit of `family` (its hierarchy) and its top. */
function unitSource(c: Parameters<typeof makeConfig>[0], family: string): UnitSource {
  const g = generateConfig(makeConfig(c));
  const u = g.manifest.units.find((x) => x.family === family);
  if (!u) throw new Error(`the generator wrote no ${family} unit`);
  const texts: Record<string, string> = {};
  const hash = createHash('sha256');
  for (const f of u.files) {
    texts[f] = g.files.find((x) => x.name === f)?.text ?? '';
    hash.update(`${f}\0${texts[f]}\0`);
  }
  return { top: u.top, texts, content: hash.digest('hex') };
}

/** The units that cost a point: the dot product and (where the RTL has the recipe) the quantizer. */
export interface PointUnits {
  readonly dot: UnitSource | null;
  readonly quant: UnitSource | null;
  readonly notes: readonly string[];
}

export function pointUnits(p: Point, round: 'rne' | 'away'): PointUnits {
  if (p.block > MAX_BLOCK) return { dot: null, quant: null, notes: [`mxrtl gen writes k up to ${MAX_BLOCK}`] };
  const base = { elemA: p.elem, elemB: p.elem, scale: p.scale, out: 'fp32', block: p.block };
  const dot = unitSource({ ...base, units: ['dot'] }, 'dot');
  if (!(QUANT_RTL_RECIPES as readonly string[]).includes(p.recipe)) return { dot, quant: null, notes: [`no ${p.recipe} quantizer in RTL`] };
  if (p.tensorScale === 'auto') return { dot, quant: null, notes: ['no tensor-scale quantizer in RTL'] };
  return { dot, quant: unitSource({ ...base, units: ['quant'], quant: { recipe: p.recipe, guard: p.guard, round } }, 'quant'), notes: [] };
}

/** One unit's figures from its flows' figures (the generic flow gives cells and depth). */
export function unitCost(u: UnitSource, figures: (flow: FlowName) => FlowFigures, flows: readonly FlowName[]): UnitCost {
  const luts: Partial<Record<FlowName, number>> = {};
  for (const flow of flows) if (flow !== 'generic') luts[flow] = figures(flow).luts as number;
  const g = figures('generic');
  return { top: u.top, cells: g.cells, depth: g.depth as number, luts };
}

/** Synthesize one unit under one flow; throws with Yosys's error. */
export async function synthUnit(u: Pick<UnitSource, 'top' | 'texts'>, flow: FlowName): Promise<FlowFigures> {
  const r = await synthesize(flow, u.top, u.texts);
  if (!r.ok) throw new Error(`synthesis of ${u.top} (${flow}) failed: ${r.error}`);
  return r.figures;
}
