/**
 * One simulation run: read the manifest, build each known unit's harness (cached), stream its
 * vectors through it, compare every output with the golden model, print a summary per unit and a
 * readable report for the first mismatches.
 */
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { stalenessNote } from '../generator/freshness.js';
import { ManifestError, readManifest, sha256, type Manifest, type ManifestUnit } from '../generator/manifest.js';
import { familyOf } from '../generator/units/index.js';
import { outputDelay } from '../generator/units/unit.js';
import { buildHarness, verilatorInfo, type BuiltHarness } from './build.js';
import { count, rate, seconds } from './format.js';
import { recordLayout, type PortSpec, type RecordLayout } from './layout.js';
import { seedHex } from './prng.js';
import { streamCheck, type Batch, type StreamResult } from './stream.js';
import { BENCHES } from './units/index.js';
import { writeMismatchVcd } from './waveform.js';
import { icarusCheck, icarusVersion } from './icarus.js';
import { batchesOf, type OpenBench, type UnitPlan } from './units/types.js';
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
  /** only these units: family names or top modules (all when absent) */
  readonly units?: readonly string[];
  readonly buildRoot: string;
  /** where the vectors of a failing run are saved */
  readonly outDir: string;
  readonly batchSize?: number;
  readonly env?: NodeJS.ProcessEnv;
  /** summary and reports, one line per call */
  readonly log: (line: string) => void;
  readonly progress?: ProgressSink;
  /** the simulator: Verilator (streamed, the default) or Icarus Verilog (vector files, slower) */
  readonly simulator?: 'verilator' | 'icarus';
}

export interface UnitResult {
  readonly family: string;
  readonly top: string;
  /** vectors the plan holds */
  readonly planned: number;
  readonly stream: StreamResult;
  /** the Verilator harness (null for an Icarus run) */
  readonly build: BuiltHarness | null;
  /** vector file holding the reported mismatches, when any */
  readonly savedTo?: string;
}

export interface SimResult {
  readonly units: readonly UnitResult[];
  readonly skipped: readonly string[];
  readonly mismatches: number;
  readonly checked: number;
  /** no mismatch, no unit skipped, and something was checked */
  readonly passed: boolean;
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

/** The unit's ports must be exactly the ones a fresh generation of its parameters has. */
function checkPorts(u: ManifestUnit, want: readonly PortSpec[], where: string): void {
  const have: PortSpec[] = u.ports.map((p) => ({ name: p.name, dir: p.dir, width: p.width }));
  const key = (ps: readonly PortSpec[]): string => portsText([...ps].sort((x, y) => x.name.localeCompare(y.name)));
  if (key(want) !== key(have)) throw new InputError(`${where}: unit ${u.top} has ports ${portsText(have)}; its parameters give ${portsText(want)}`);
}

/**
 * The top module's port list as its file declares it (ANSI style, as mxrtl writes it) must be the
 * manifest's: a module of another size fails here with the port named, not later inside a C++ build.
 */
function checkModulePorts(u: ManifestUnit, sources: readonly { name: string; text: string }[], rtl: string): void {
  const header = new RegExp(`\\bmodule\\s+${u.top}\\s*(?:#\\s*\\([^;]*?\\)\\s*)?\\(([^;]*?)\\)\\s*;`);
  const hit = sources.map((f) => ({ f, m: header.exec(f.text.replace(/\/\/[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '')) })).find((x) => x.m !== null);
  if (!hit || !hit.m) throw new InputError(`${rtl}: no file of unit ${u.top} (${u.files.join(', ')}) declares module ${u.top}`);
  const file = join(rtl, hit.f.name);
  const declared = new Map<string, PortSpec>();
  for (const d of hit.m[1].matchAll(/\b(input|output)\s+(?:wire\s+|reg\s+)?(?:signed\s+)?(?:\[\s*(\d+)\s*:\s*(\d+)\s*\]\s*)?([A-Za-z_][A-Za-z0-9_$]*)/g)) {
    const width = d[2] === undefined ? 1 : Math.abs(Number(d[2]) - Number(d[3])) + 1;
    declared.set(d[4], { name: d[4], dir: d[1] as 'input' | 'output', width });
  }
  for (const p of u.ports) {
    const d = declared.get(p.name);
    if (!d) throw new InputError(`${file}: module ${u.top} has no ${p.dir} port '${p.name}' (the manifest lists ${p.dir} ${p.name}[${p.width}])`);
    if (d.dir !== p.dir || d.width !== p.width) throw new InputError(`${file}: module ${u.top} declares ${d.dir} ${p.name} of ${d.width} bits; the manifest lists ${p.dir} ${p.name}[${p.width}]`);
  }
  const extra = [...declared.keys()].filter((n) => !u.ports.some((p) => p.name === n));
  if (extra.length > 0) throw new InputError(`${file}: module ${u.top} has ports the manifest does not list: ${extra.join(', ')}`);
}

interface LoadedUnit {
  readonly unit: ManifestUnit;
  readonly bench: OpenBench;
  readonly layout: RecordLayout;
  readonly sources: { readonly name: string; readonly text: string }[];
}

async function loadUnit(rtl: string, m: Manifest, u: ManifestUnit, where: string, log: (l: string) => void): Promise<LoadedUnit> {
  const family = familyOf(u.family);
  if (!family) throw new InputError(`${where}: unit ${u.top} has the unknown family '${u.family}'`);
  let params: unknown;
  let fresh;
  try {
    params = family.fromParameters(u.parameters);
    fresh = family.generate(params, m.command);
  } catch (e) {
    throw new InputError(`${where}: unit ${u.top}: bad parameters (${e instanceof Error ? e.message : String(e)})`);
  }
  checkPorts(u, fresh.top.portList(), where);
  const sources: { name: string; text: string }[] = [];
  for (const name of u.files) {
    const file = join(rtl, name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch {
      throw new InputError(`${file}: listed in ${where} but cannot be read`);
    }
    const listed = m.files.find((f) => f.name === name);
    if (listed && listed.sha256 !== sha256(text)) log(`  note: ${file} differs from the sha256 in the manifest (edited after generation?); simulating the file as it is`);
    sources.push({ name, text });
  }
  checkModulePorts(u, sources, rtl);
  const layout = recordLayout(u.ports, outputDelay(family, params));
  return { unit: u, bench: BENCHES[family.name].open(params, layout), layout, sources };
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
    log(`    MISMATCH ${i + 1} of ${r.mismatches}: ${l.unit.top} vector ${m.index}, ${m.label}`);
    for (const line of l.bench.report(m)) log(`      ${line}`);
  });
}

async function runOne(l: LoadedUnit, source: () => Batch | null, planned: number, opts: SimOptions): Promise<{ build: BuiltHarness | null; note: string; stream: StreamResult }> {
  if (opts.simulator === 'icarus') {
    const r = await icarusCheck(l.unit, opts.rtl, l.layout, source);
    return { build: null, note: `Icarus testbench compiled in ${seconds(r.buildSeconds)}`, stream: r.stream };
  }
  const build = await buildHarness({ top: l.unit.top, sources: l.sources, layout: l.layout, buildRoot: opts.buildRoot, env: opts.env });
  const stream = await streamCheck(build.binary, l.layout, source, { onProgress: throttledProgress(opts.progress, l.unit.top, planned) });
  opts.progress?.done();
  return { build, note: buildText(build), stream };
}

function resultLine(planned: number, r: StreamResult, note: string): string {
  const speed = r.checked >= 100000 ? ` (${rate(r.checked / r.seconds)})` : '';
  if (r.mismatches === 0) return `    PASS ${count(r.checked)} checked, 0 mismatches, ${seconds(r.seconds)}${speed}; ${note}`;
  const stop = r.stopped ? `; stopped after ${count(r.mismatches)} mismatches, ${count(planned - r.checked)} vectors not run` : '';
  return `    FAIL ${count(r.mismatches)} mismatches in ${count(r.checked)} checked, ${seconds(r.seconds)}${stop}; ${note}`;
}

async function simulatorName(opts: SimOptions): Promise<string> {
  return opts.simulator === 'icarus' ? icarusVersion() : (await verilatorInfo(opts.env)).version;
}

/** The units --units selects: family names (mul, dequant, dot) or top module names. */
function selectUnits(m: Manifest, wanted: readonly string[] | undefined, path: string): ManifestUnit[] {
  if (!wanted) return [...m.units];
  for (const w of wanted) {
    if (!m.units.some((u) => u.family === w || u.top === w)) {
      throw new InputError(`--units: ${path} has no unit '${w}' (has: ${[...new Set(m.units.flatMap((u) => [u.family, u.top]))].join(', ')})`);
    }
  }
  return m.units.filter((u) => wanted.includes(u.family) || wanted.includes(u.top));
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
    const byTop = manifest.units.filter((x) => x.top === file.unit);
    const byFamily = manifest.units.filter((x) => x.family === file.unit);
    const u = byTop[0] ?? (byFamily.length === 1 ? byFamily[0] : undefined);
    if (!u) {
      const why = byFamily.length > 1 ? `${byFamily.length} units of family '${file.unit}'; name one by its top module` : `unknown unit '${file.unit}'`;
      throw new InputError(`${opts.replay}: ${why} (${path} has: ${manifest.units.map((x) => x.top).join(', ')})`);
    }
    const notes: string[] = [];
    const l = await loadUnit(opts.rtl, manifest, u, path, (line) => notes.push(line));
    const records = vectorsToRecords(file, l.layout, opts.replay);
    const n = file.vectors.length;
    log(`mxrtl sim: replay ${opts.replay} on ${opts.rtl} (${manifest.command}), ${await simulatorName(opts)}`);
    for (const line of notes) log(line);
    log(`  ${u.top}: ${count(n)} vectors from the file`);
    const { build, note, stream } = await runOne(l, batchesOf(l.bench, l.layout, records, n, batchSize, (i) => `vector ${i} of ${opts.replay}`), n, opts);
    reportMismatches(l, stream, log);
    log(resultLine(n, stream, note));
    results.push({ family: u.family, top: u.top, planned: n, stream, build });
  } else {
    const notes: string[] = [];
    const loaded: LoadedUnit[] = [];
    for (const u of selectUnits(manifest, opts.units, path)) {
      if (!familyOf(u.family)) {
        skipped.push(u.top);
        continue;
      }
      loaded.push(await loadUnit(opts.rtl, manifest, u, path, (line) => notes.push(line)));
    }
    log(`mxrtl sim: ${opts.rtl} (${manifest.command}), ${await simulatorName(opts)}, seed ${seedHex(opts.seed)}`);
    for (const n of notes) log(n);
    for (const l of loaded) {
      const plan: UnitPlan = l.bench.plan({ vectors: opts.vectors, seed: opts.seed, batchSize });
      log(`  ${l.unit.family} (${l.unit.top}): ${plan.what}`);
      const { build, note, stream } = await runOne(l, plan.next, plan.total, opts);
      for (const d of plan.details()) log(`    ${d}`);
      reportMismatches(l, stream, log);
      log(resultLine(plan.total, stream, note));
      let savedTo: string | undefined;
      if (stream.reported.length > 0 && l.layout.clock) {
        log(`    a clocked unit's outputs depend on the cycles before them, so the reported cycles alone do not replay: rerun with --seed ${seedHex(opts.seed)} to reproduce the run`);
      } else if (stream.reported.length > 0) {
        savedTo = join(opts.outDir, `mismatches-${l.unit.top}-${seedHex(opts.seed)}.json`);
        const inputs = new Uint32Array(stream.reported.length * l.layout.inWords);
        stream.reported.forEach((m, i) => inputs.set(m.input, i * l.layout.inWords));
        await writeVectorFile(savedTo, { unit: l.unit.top, ports: l.unit.ports }, recordsToVectors(l.layout, inputs, stream.reported.length));
        const shown = relative(process.cwd(), savedTo) || savedTo;
        log(`    the ${stream.reported.length} reported vectors are saved in ${shown}; replay: node dist/sim/run.js --rtl ${opts.rtl} --replay ${shown}`);
        const vcd = savedTo.replace(/\.json$/, '.vcd');
        const why = await writeMismatchVcd(l.unit, opts.rtl, l.layout, stream.reported, vcd);
        log(why === null ? `    waveform of those vectors (Icarus Verilog): ${relative(process.cwd(), vcd) || vcd}` : `    no waveform: ${why}`);
      }
      results.push({ family: l.unit.family, top: l.unit.top, planned: plan.total, stream, build, savedTo });
    }
    for (const k of skipped) log(`  ${k}: SKIPPED, the bench has no golden model for this unit's family`);
  }

  const mismatches = results.reduce((s, r) => s + r.stream.mismatches, 0);
  const checked = results.reduce((s, r) => s + r.stream.checked, 0);
  const passed = mismatches === 0 && skipped.length === 0 && checked > 0;
  const why = mismatches > 0 ? '' : skipped.length > 0 ? ` (${skipped.length} unit${skipped.length === 1 ? '' : 's'} not checked)` : checked === 0 ? ' (nothing was checked)' : '';
  log(`mxrtl sim: ${passed ? 'PASS' : 'FAIL'}${why}, ${results.length} unit${results.length === 1 ? '' : 's'}, ${count(checked)} vectors, ${count(mismatches)} mismatches in ${seconds((performance.now() - t0) / 1000)}${opts.replay === undefined ? ` (seed ${seedHex(opts.seed)})` : ''}`);
  return { units: results, skipped, mismatches, checked, passed };
}
