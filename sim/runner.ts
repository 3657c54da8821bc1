/**
 * One simulation run: read the manifest, build each known unit's harness (cached), stream its
 * vectors through it, compare every output with the golden model, print a summary per unit and a
 * readable report for the first mismatches.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stalenessNote } from '../generator/freshness.js';
import { ManifestError, readManifest, type Manifest, type ManifestUnit } from '../generator/manifest.js';
import { buildHarness, verilatorInfo, type BuiltHarness } from './build.js';
import { count, rate, seconds } from './format.js';
import { recordLayout, type PortSpec, type RecordLayout } from './layout.js';
import { seedHex } from './prng.js';
import { streamCheck, type Batch, type StreamResult } from './stream.js';
import { benchFor } from './units/index.js';
import { batchesOf, type UnitBench, type UnitPlan } from './units/types.js';
import { readVectorFile, recordsToVectors, vectorsToRecords, writeVectorFile } from './vectors.js';

/** Bad input (manifest, unit ports, arguments): reported as one line, exit code 2. */
export class InputError extends Error {
  override readonly name = 'InputError';
}

export interface ProgressSink {
  update(text: string): void;
  done(): void;
}

export interface SimOptions {
  /** folder holding manifest.json and the Verilog files */
  readonly rtl: string;
  /** random dot-product vectors */
  readonly vectors: number;
  readonly seed: number;
  /** run exactly the vectors of this file instead */
  readonly replay?: string;
  /** only these unit kinds (all known kinds when absent) */
  readonly units?: readonly string[];
  readonly buildRoot: string;
  /** where the vectors of a failing run are saved */
  readonly outDir: string;
  readonly batchSize?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** summary and reports, one line per call */
  readonly log: (line: string) => void;
  readonly progress?: ProgressSink;
}

export interface UnitResult {
  readonly kind: string;
  readonly top: string;
  /** vectors the plan holds */
  readonly planned: number;
  readonly stream: StreamResult;
  readonly build: BuiltHarness;
  /** vector file holding the reported mismatches, when any */
  readonly savedTo?: string;
}

export interface SimResult {
  readonly units: readonly UnitResult[];
  readonly skipped: readonly string[];
  readonly mismatches: number;
  readonly checked: number;
}

/** Vectors per batch: small enough that a batch and its scratch arrays stay in the CPU caches (8192 measured best of 1k..64k). */
export const DEFAULT_BATCH = 8192;

export async function loadManifest(rtl: string): Promise<{ manifest: Manifest; path: string }> {
  try {
    return await readManifest(rtl);
  } catch (e) {
    throw e instanceof ManifestError ? new InputError(e.message) : e;
  }
}

function portsText(ports: readonly PortSpec[]): string {
  return ports.map((p) => `${p.dir === 'input' ? 'in' : 'out'} ${p.name}[${p.width}]`).join(', ');
}

/** The unit's ports must be exactly the ones its bench drives and reads. */
function checkPorts(bench: UnitBench, u: ManifestUnit, where: string): void {
  const want = bench.expectedPorts(u.ports);
  const have: PortSpec[] = u.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width }));
  const key = (ps: readonly PortSpec[]): string => portsText([...ps].sort((x, y) => x.name.localeCompare(y.name)));
  if (key(want) !== key(have)) throw new InputError(`${where}: unit ${u.kind} has ports ${portsText(have)}; the bench expects ${portsText(want)}`);
}

interface LoadedUnit {
  readonly unit: ManifestUnit;
  readonly bench: UnitBench;
  readonly layout: RecordLayout;
  readonly verilog: string;
}

async function loadUnit(rtl: string, u: ManifestUnit, bench: UnitBench, where: string, log: (l: string) => void): Promise<LoadedUnit> {
  checkPorts(bench, u, where);
  if (!/^[A-Za-z0-9_.-]+$/.test(u.file)) throw new InputError(`${where}: unit ${u.kind}: bad file name '${u.file}'`);
  const file = join(rtl, u.file);
  let verilog: string;
  try {
    verilog = await readFile(file, 'utf8');
  } catch {
    throw new InputError(`${file}: listed in ${where} but cannot be read`);
  }
  const sha = createHash('sha256').update(verilog).digest('hex');
  if (typeof u.sha256 === 'string' && u.sha256 !== sha) log(`  note: ${file} differs from the sha256 in the manifest (edited after generation?); simulating the file as it is`);
  return { unit: u, bench, layout: recordLayout(u.ports), verilog };
}

function throttledProgress(sink: ProgressSink | undefined, kind: string, total: number): (checked: number, mismatches: number) => void {
  const t0 = performance.now();
  let last = t0;
  return (checked, mismatches) => {
    if (!sink) return;
    const now = performance.now();
    if (now - last < 1000) return;
    last = now;
    const pct = total > 0 ? Math.floor((100 * checked) / total) : 100;
    sink.update(`${kind}: ${count(checked)} / ${count(total)} vectors (${pct}%), ${count(mismatches)} mismatches, ${rate(checked / ((now - t0) / 1000))}`);
  };
}

function buildText(b: BuiltHarness): string {
  const warn = b.warnings.length > 0 ? `, ${b.warnings.length} Verilator warnings (see ${join(b.dir, 'build.log')})` : '';
  return b.cached ? 'harness cached' : `harness built in ${seconds(b.seconds)}${warn}`;
}

function reportMismatches(l: LoadedUnit, r: StreamResult, log: (line: string) => void): void {
  r.reported.forEach((m, i) => {
    log(`    MISMATCH ${i + 1} of ${r.mismatches}: ${l.unit.kind} (${l.unit.top}) vector ${m.index}, ${m.label}`);
    for (const line of l.bench.report(l.layout, m)) log(`      ${line}`);
  });
}

async function runOne(l: LoadedUnit, source: () => Batch | null, planned: number, opts: SimOptions): Promise<{ build: BuiltHarness; stream: StreamResult }> {
  const build = await buildHarness({ top: l.unit.top, verilog: l.verilog, layout: l.layout, buildRoot: opts.buildRoot, env: opts.env });
  const stream = await streamCheck(build.binary, l.layout, source, { onProgress: throttledProgress(opts.progress, l.unit.kind, planned) });
  opts.progress?.done();
  return { build, stream };
}

function resultLine(planned: number, r: StreamResult, b: BuiltHarness): string {
  const speed = r.checked >= 100000 ? ` (${rate(r.checked / r.seconds)})` : '';
  if (r.mismatches === 0) return `    PASS ${count(r.checked)} checked, 0 mismatches, ${seconds(r.seconds)}${speed}; ${buildText(b)}`;
  const stop = r.stopped ? `; stopped after ${count(r.mismatches)} mismatches, ${count(planned - r.checked)} vectors not run` : '';
  return `    FAIL ${count(r.mismatches)} mismatches in ${count(r.checked)} checked, ${seconds(r.seconds)}${stop}; ${buildText(b)}`;
}

export async function runSim(opts: SimOptions): Promise<SimResult> {
  const log = opts.log;
  const t0 = performance.now();
  const { manifest, path } = await loadManifest(opts.rtl);
  const stale = stalenessNote(manifest, opts.rtl, (f) => {
    try {
      return readFileSync(join(opts.rtl, f), 'utf8');
    } catch {
      return undefined;
    }
  });
  if (stale) log(stale);
  const batchSize = opts.batchSize ?? DEFAULT_BATCH;
  const results: UnitResult[] = [];
  const skipped: string[] = [];

  if (opts.replay !== undefined) {
    const file = await readVectorFile(opts.replay);
    const u = manifest.units.find((x) => x.kind === file.unit);
    const bench = benchFor(file.unit);
    if (!u || !bench) {
      const have = manifest.units.filter((x) => benchFor(x.kind)).map((x) => x.kind);
      throw new InputError(`${opts.replay}: unknown unit '${file.unit}' (${path} has: ${have.join(', ') || 'none the bench knows'})`);
    }
    const notes: string[] = [];
    const l = await loadUnit(opts.rtl, u, bench, path, (line) => notes.push(line));
    const records = vectorsToRecords(file, l.layout, opts.replay);
    const n = file.vectors.length;
    const tool = await verilatorInfo(opts.env);
    log(`mxrtl sim: replay ${opts.replay} on ${opts.rtl} (${manifest.command}), ${tool.version}`);
    for (const line of notes) log(line);
    log(`  ${u.kind} (${u.top}): ${count(n)} vectors from the file`);
    const { build, stream } = await runOne(l, batchesOf(bench, l.layout, records, n, batchSize, (i) => `vector ${i} of ${opts.replay}`), n, opts);
    reportMismatches(l, stream, log);
    log(resultLine(n, stream, build));
    results.push({ kind: u.kind, top: u.top, planned: n, stream, build });
  } else {
    const wanted = opts.units;
    if (wanted) {
      for (const k of wanted) if (!manifest.units.some((x) => x.kind === k)) throw new InputError(`--units: ${path} has no unit '${k}' (has: ${manifest.units.map((x) => x.kind).join(', ')})`);
    }
    const notes: string[] = [];
    const loaded: LoadedUnit[] = [];
    for (const u of manifest.units) {
      if (wanted && !wanted.includes(u.kind)) continue;
      const bench = benchFor(u.kind);
      if (!bench) {
        skipped.push(u.kind);
        continue;
      }
      loaded.push(await loadUnit(opts.rtl, u, bench, path, (line) => notes.push(line)));
    }
    const tool = await verilatorInfo(opts.env);
    log(`mxrtl sim: ${opts.rtl} (${manifest.command}), ${tool.version}, seed ${seedHex(opts.seed)}`);
    for (const n of notes) log(n);
    for (const l of loaded) {
      const plan: UnitPlan = l.bench.plan(l.layout, { vectors: opts.vectors, seed: opts.seed, batchSize });
      log(`  ${l.unit.kind} (${l.unit.top}): ${plan.what}`);
      const { build, stream } = await runOne(l, plan.next, plan.total, opts);
      for (const d of plan.details()) log(`    ${d}`);
      reportMismatches(l, stream, log);
      log(resultLine(plan.total, stream, build));
      let savedTo: string | undefined;
      if (stream.reported.length > 0) {
        savedTo = join(opts.outDir, `mismatches-${l.unit.kind}-${seedHex(opts.seed)}.json`);
        const inputs = new Uint32Array(stream.reported.length * l.layout.inWords);
        stream.reported.forEach((m, i) => inputs.set(m.input, i * l.layout.inWords));
        await writeVectorFile(savedTo, l.unit, recordsToVectors(l.layout, inputs, stream.reported.length));
        const shown = relative(process.cwd(), savedTo) || savedTo;
        log(`    the ${stream.reported.length} reported vectors are saved in ${shown}; replay: node dist/sim/run.js --rtl ${opts.rtl} --replay ${shown}`);
      }
      results.push({ kind: l.unit.kind, top: l.unit.top, planned: plan.total, stream, build, savedTo });
    }
    for (const k of skipped) log(`  ${k}: skipped (the bench has no golden model for this kind)`);
  }

  const mismatches = results.reduce((s, r) => s + r.stream.mismatches, 0);
  const checked = results.reduce((s, r) => s + r.stream.checked, 0);
  const verdict = mismatches === 0 ? 'PASS' : 'FAIL';
  log(`mxrtl sim: ${verdict}, ${results.length} unit${results.length === 1 ? '' : 's'}, ${count(checked)} vectors, ${count(mismatches)} mismatches in ${seconds((performance.now() - t0) / 1000)}${opts.replay === undefined ? ` (seed ${seedHex(opts.seed)})` : ''}`);
  return { units: results, skipped, mismatches, checked };
}
