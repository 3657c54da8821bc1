/**
 * What the bench knows about one unit family (sim/units/<family>.ts, named like the family's
 * definition in generator/units/): the vectors of a run, the golden outputs of a record, and a
 * readable report of a mismatch. A bench is opened once per unit, with the unit's parameters.
 */
import type { FamilyName } from '../../generator/units/config.js';
import type { PortValues } from '../../generator/units/unit.js';
import { wordsToBigInt, type PortSlot, type RecordLayout } from '../layout.js';
import type { Batch, Mismatch } from '../stream.js';

export interface PlanOptions {
  /** random vectors asked for (units whose coverage is exhaustive take what they need) */
  readonly vectors: number;
  readonly seed: number;
  /** vectors per batch */
  readonly batchSize: number;
}

/** The vectors of one run of a unit, produced batch by batch. */
export interface UnitPlan {
  /** vectors the plan will produce */
  readonly total: number;
  /** one line saying what the vectors are, e.g. "65,536 vectors (every a x b pair)" */
  readonly what: string;
  next(): Batch | null;
  /** extra summary lines after the run (coverage and class counts) */
  details(): string[];
}

/** A bench opened for one unit. */
export interface OpenBench {
  /** Golden outputs of one input record, bits above each output's width zero. */
  golden(input: Uint32Array, inOff: number, out: Uint32Array, outOff: number): void;
  /** Readable report of one mismatch: the inputs decoded, expected and actual outputs. */
  report(m: Mismatch): string[];
  plan(opts: PlanOptions): UnitPlan;
}

export interface UnitBench<P> {
  readonly family: FamilyName;
  open(p: P, layout: RecordLayout): OpenBench;
  /** lines explaining the bench's vector classes (for --help) */
  legend?(): string[];
}

/** The input ports of a record as bigints. */
export function recordInputs(layout: RecordLayout, input: ArrayLike<number>, off: number): PortValues {
  const v: Record<string, bigint> = {};
  for (const p of layout.inputs) v[p.name] = wordsToBigInt(input, off + p.offset, p.width);
  return v;
}

/** Write a bigint into a port's words (bits above the width dropped). */
export function putPort(out: Uint32Array, off: number, p: PortSlot, value: bigint): void {
  let v = BigInt.asUintN(p.width, value);
  for (let w = 0; w < p.words; w++) {
    out[off + p.offset + w] = Number(v & 0xffffffffn);
    v >>= 32n;
  }
}

/** Golden outputs for every output port from a bigint golden function. */
export function goldenFromValues(layout: RecordLayout, fn: (v: PortValues) => Record<string, bigint>): OpenBench['golden'] {
  return (input, inOff, out, outOff) => {
    const r = fn(recordInputs(layout, input, inOff));
    for (const p of layout.outputs) {
      const v = r[p.name];
      if (v === undefined) throw new Error(`the golden function gives no value for output '${p.name}'`);
      putPort(out, outOff, p, v);
    }
  };
}

/** Golden outputs for a run of records (replays, directed vectors). */
export function goldenBatch(bench: OpenBench, layout: RecordLayout, input: Uint32Array, count: number, label: (i: number) => string): Batch {
  const expected = new Uint32Array(count * layout.outWords);
  for (let i = 0; i < count; i++) bench.golden(input, i * layout.inWords, expected, i * layout.outWords);
  return { count, input, expected, label };
}

/** Split a run of records into batches of at most `size`. */
export function batchesOf(bench: OpenBench, layout: RecordLayout, input: Uint32Array, count: number, size: number, label: (i: number) => string): () => Batch | null {
  let at = 0;
  return () => {
    if (at >= count) return null;
    const n = Math.min(size, count - at);
    const first = at;
    at += n;
    const slice = input.slice(first * layout.inWords, (first + n) * layout.inWords);
    return goldenBatch(bench, layout, slice, n, (i) => label(first + i));
  };
}

/**
 * Batches of opts.vectors random vectors, each of a class drawn uniformly from `classes` by `rng`:
 * `fill(input, off, expected, outOff, cls)` writes one vector at input[off..] and its golden
 * outputs at expected[outOff..]. `perClass` counts the vectors made of each class.
 */
export function classedBatches<C extends string>(
  opts: PlanOptions,
  layout: RecordLayout,
  rng: { next(): number },
  classes: readonly C[],
  noun: string,
  fill: (input: Uint32Array, off: number, expected: Uint32Array, outOff: number, cls: C) => void,
): { next: () => Batch | null; perClass: Map<string, number> } {
  const perClass = new Map<string, number>();
  let made = 0;
  const next = (): Batch | null => {
    if (made >= opts.vectors) return null;
    const n = Math.min(opts.batchSize, opts.vectors - made);
    const first = made;
    made += n;
    const input = new Uint32Array(n * layout.inWords);
    const expected = new Uint32Array(n * layout.outWords);
    const cls: C[] = [];
    for (let j = 0; j < n; j++) {
      const c = classes[rng.next() % classes.length];
      fill(input, j * layout.inWords, expected, j * layout.outWords, c);
      cls.push(c);
      perClass.set(c, (perClass.get(c) ?? 0) + 1);
    }
    return { count: n, input, expected, label: (i) => `random ${noun} #${first + i} (${cls[i]})` };
  };
  return { next, perClass };
}

/** Chain batch sources one after another. */
export function chain(...sources: (() => Batch | null)[]): () => Batch | null {
  let i = 0;
  return () => {
    while (i < sources.length) {
      const b = sources[i]();
      if (b !== null) return b;
      i++;
    }
    return null;
  };
}

/** Default report lines: the inputs in format values, and every output that differs. */
export function reportLines(
  layout: RecordLayout,
  m: Mismatch,
  describeInputs: (v: PortValues) => string[],
  describeOutput: (port: string, v: bigint) => string,
): string[] {
  const lines = describeInputs(recordInputs(layout, m.input, 0));
  for (const p of layout.outputs) {
    const e = wordsToBigInt(m.expected, p.offset, p.width);
    const a = wordsToBigInt(m.actual, p.offset, p.width);
    if (e === a) continue;
    lines.push(`${p.name} expected ${describeOutput(p.name, e)}`, `${' '.repeat(p.name.length)} actual   ${describeOutput(p.name, a)}`);
  }
  return lines;
}

/** Write bits [lo, lo+n) of a port whose words start at off (n <= 32; the bits must be zero before). */
export function putField(words: Uint32Array, off: number, lo: number, n: number, value: number): void {
  const w = lo >>> 5;
  const b = lo & 31;
  words[off + w] |= value << b;
  if (b + n > 32) words[off + w + 1] |= value >>> (32 - b);
}
