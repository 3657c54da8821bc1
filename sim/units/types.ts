/** What the bench knows about one kind of unit: its ports, golden function, vectors and reports. */
import type { PortSpec, RecordLayout } from '../layout.js';
import type { Batch, Mismatch } from '../stream.js';

export interface PlanOptions {
  /** random vectors asked for (units whose coverage is exhaustive ignore it) */
  readonly vectors: number;
  readonly seed: number;
  /** vectors per batch */
  readonly batchSize: number;
}

/** The vectors of one run of a unit, produced batch by batch. */
export interface UnitPlan {
  /** vectors the plan will produce */
  readonly total: number;
  /** one line saying what the vectors are, e.g. "256 (every a x b pair)" */
  readonly what: string;
  next(): Batch | null;
  /** extra summary lines after the run (coverage and class counts) */
  details(): string[];
}

export interface UnitBench {
  readonly kind: string;
  /** The ports the unit must have, given the block size the port widths imply. */
  expectedPorts(ports: readonly PortSpec[]): PortSpec[];
  /** Golden outputs of one input record, bits above each output's width zero. */
  golden(layout: RecordLayout, input: Uint32Array, inOff: number, out: Uint32Array, outOff: number): void;
  /** Readable report of one mismatch: the inputs decoded, expected and actual outputs. */
  report(layout: RecordLayout, m: Mismatch): string[];
  plan(layout: RecordLayout, opts: PlanOptions): UnitPlan;
}

/** Golden outputs for a run of records (replays, directed vectors). */
export function goldenBatch(bench: UnitBench, layout: RecordLayout, input: Uint32Array, count: number, label: (i: number) => string): Batch {
  const expected = new Uint32Array(count * layout.outWords);
  for (let i = 0; i < count; i++) bench.golden(layout, input, i * layout.inWords, expected, i * layout.outWords);
  return { count, input, expected, label };
}

/** Split a run of records into batches of at most `size`. */
export function batchesOf(bench: UnitBench, layout: RecordLayout, input: Uint32Array, count: number, size: number, label: (i: number) => string): () => Batch | null {
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
