/**
 * Evaluating a sweep's points: the error metrics of each, and (when the sweep asks) the hardware
 * cost: every distinct unit the points need is synthesized once per flow, or taken from the cache.
 * Both kinds of task run in this thread (jobs = 1) or on worker threads; the results are the same
 * either way, in point order.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { FlowFigures, FlowName } from '../generator/synth.js';
import { UsageError } from '../generator/cli-args.js';
import { loadData, parseDataSpec } from './data.js';
import { measure, type ErrorMetrics } from './metrics.js';
import { pointOptions, type Point, type Sweep } from './sweep.js';
import { flowKey, pointUnits, SynthCache, synthUnit, unitCost, type PointCost, type UnitSource } from './area.js';

/** Each data set's values, loaded once. */
export class DataCache {
  private readonly sets = new Map<string, Uint32Array>();
  constructor(private readonly sweep: Sweep) {}
  get(name: string): Uint32Array {
    let v = this.sets.get(name);
    if (!v) {
      v = loadData(parseDataSpec(name), this.sweep.values, this.sweep.seed);
      this.sets.set(name, v);
    }
    return v;
  }
}

/** Read every file data set once here, so a missing or malformed file is a one-line usage error before any work starts. */
export function checkDataFiles(sweep: Sweep): void {
  for (const name of sweep.data) {
    const d = parseDataSpec(name);
    if (d.kind === 'npy') {
      const bits = loadData(d, sweep.values, sweep.seed);
      if (bits.length === 0) throw new UsageError(`data set '${name}': the file holds no values`);
    }
  }
}

export type Task = { readonly kind: 'measure'; readonly point: Point } | { readonly kind: 'synth'; readonly top: string; readonly texts: Readonly<Record<string, string>>; readonly flow: FlowName };

/** Run one task (in whichever thread holds `data`). */
export async function runTask(t: Task, sweep: Sweep, data: DataCache): Promise<ErrorMetrics | FlowFigures> {
  if (t.kind === 'measure') return measure(data.get(t.point.data), pointOptions(t.point, sweep.round), t.point.tensorScale === 'auto');
  return synthUnit(t, t.flow);
}

export interface PointResult {
  readonly point: Point;
  readonly metrics: ErrorMetrics;
  /** absent when the sweep asks for no hardware cost */
  readonly cost?: PointCost;
}

/** `done` of `total` steps of `what` are finished. */
export type Progress = (what: string, done: number, total: number) => void;

function workerUrl(): URL {
  const sibling = new URL('./worker.js', import.meta.url);
  if (existsSync(fileURLToPath(sibling))) return sibling;
  let d = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const built = join(d, 'dist', 'explore', 'worker.js');
    if (existsSync(built)) return pathToFileURL(built);
    const up = dirname(d);
    if (up === d) throw new Error('no explore worker: build first (npx tsc -p tsconfig.json)');
    d = up;
  }
}

/** Runs tasks in this thread (size 1) or on `size` worker threads, first come first served. */
class Runner {
  private readonly workers: Worker[] = [];
  private readonly idle: Worker[] = [];
  private readonly queue: { task: Task; resolve: (v: unknown) => void; reject: (e: Error) => void }[] = [];
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly busy = new Map<Worker, number>();
  private seq = 0;
  private readonly data: DataCache;

  constructor(
    private readonly size: number,
    private readonly sweep: Sweep,
  ) {
    this.data = new DataCache(sweep);
  }

  run<T>(task: Task): Promise<T> {
    if (this.size <= 1) return runTask(task, this.sweep, this.data) as Promise<T>;
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ task, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.queue.length > 0) {
      let w = this.idle.pop();
      if (!w && this.workers.length < this.size) w = this.spawn();
      if (!w) return;
      const next = this.queue.shift() as (typeof this.queue)[number];
      const id = ++this.seq;
      this.pending.set(id, next);
      this.busy.set(w, id);
      w.postMessage({ id, task: next.task });
    }
  }

  private spawn(): Worker {
    const w = new Worker(workerUrl(), { workerData: { sweep: this.sweep } });
    this.workers.push(w);
    w.on('message', (m: { id: number; ok: boolean; value?: unknown; error?: string }) => {
      const p = this.pending.get(m.id);
      this.pending.delete(m.id);
      this.busy.delete(w);
      this.idle.push(w);
      if (p) m.ok ? p.resolve(m.value) : p.reject(new Error(m.error));
      this.pump();
    });
    const fail = (e: Error): void => {
      const id = this.busy.get(w);
      if (id !== undefined) this.pending.get(id)?.reject(e);
    };
    w.on('error', fail);
    w.on('exit', (code) => fail(new Error(`an explore worker stopped (exit code ${code})`)));
    return w;
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/** Metrics and (when the sweep asks) hardware cost of every point. */
export async function evaluate(points: readonly Point[], sweep: Sweep, opts: { jobs: number; cacheDir: string | null; progress: Progress; onSynth?: (what: string) => void }): Promise<{ results: PointResult[]; cache: SynthCache }> {
  const runner = new Runner(opts.jobs, sweep);
  const cache = new SynthCache(opts.cacheDir);
  try {
    let measured = 0;
    const metrics = await Promise.all(
      points.map((point) =>
        runner.run<ErrorMetrics>({ kind: 'measure', point }).then((m) => {
          opts.progress('measured', ++measured, points.length);
          return m;
        }),
      ),
    );
    if (sweep.area.length === 0) return { results: points.map((point, i) => ({ point, metrics: metrics[i] })), cache };
    // every distinct (unit, flow) once: from the cache, or synthesized
    const units = points.map((p) => pointUnits(p, sweep.round));
    const wanted = new Map<string, { unit: UnitSource; flow: FlowName }>();
    for (const u of units) for (const s of [u.dot, u.quant]) if (s) for (const flow of sweep.area) wanted.set(flowKey(s, flow), { unit: s, flow });
    const figures = new Map<string, FlowFigures>();
    const todo: [string, { unit: UnitSource; flow: FlowName }][] = [];
    for (const [key, w] of wanted) {
      const f = cache.get(key);
      if (f) {
        cache.hits++;
        figures.set(key, f);
      } else todo.push([key, w]);
    }
    let synthesized = 0;
    await Promise.all(
      todo.map(([key, { unit, flow }]) =>
        runner.run<FlowFigures>({ kind: 'synth', top: unit.top, texts: unit.texts, flow }).then((f) => {
          cache.misses++;
          cache.put(key, f);
          figures.set(key, f);
          opts.onSynth?.(`${unit.top} (${flow})`);
          opts.progress('synthesized', ++synthesized, todo.length);
        }),
      ),
    );
    const cost = (s: UnitSource | null) => (s ? unitCost(s, (flow) => figures.get(flowKey(s, flow)) as FlowFigures, sweep.area) : null);
    return { results: points.map((point, i) => ({ point, metrics: metrics[i], cost: { dot: cost(units[i].dot), quant: cost(units[i].quant), notes: units[i].notes } })), cache };
  } finally {
    await runner.close();
  }
}
