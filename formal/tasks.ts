/**
 * The work a proof worker does: inspect a generated file, discharge one obligation, and turn a
 * failure into a confirmed counterexample. Runs inside a worker thread (worker.ts), so that the
 * main thread can stop it at the obligation's time limit.
 */
import { parseAag } from './aig.js';
import { decodeModel, decodeRound, type Decoded } from './decode.js';
import { evaluateRoundStage } from './exhaustive.js';
import { describeInputs, describeOutput, goldenOutputs, lanes, fp32Text, type PortValues } from './golden.js';
import type { Counterexample, ObligationResult, ObligationSpec, PortInfo, UnitRef, WorkFile } from './spec.js';
import { hexDigits } from '../src/text.js';
import {
  bitsToBigInt,
  equivStatus,
  harmfulWarnings,
  satModel,
  satOutcome,
  unprovenEquivSignals,
  yosys,
  yosysError,
  yosysVersionLine,
  yosysWarnings,
} from './yosys.js';

export interface InspectTask {
  readonly type: 'inspect';
  readonly file: string;
  readonly text: string;
  readonly top: string;
}

export interface InspectResult {
  readonly version: string | null;
  readonly ports: PortInfo[];
  readonly wires: Record<string, number>;
  readonly warnings: string[];
  /** the Yosys error that stopped the inspection, or null */
  readonly error: string | null;
  readonly log: string;
}

export interface ObligationTask {
  readonly type: 'obligation';
  readonly spec: ObligationSpec;
}

/** The Yosys version line (`yosys -V`). */
export interface VersionTask {
  readonly type: 'version';
}

export type Task = InspectTask | ObligationTask | VersionTask;

interface JsonModule {
  ports?: Record<string, { direction: string; bits: unknown[] }>;
  netnames?: Record<string, { hide_name?: number; bits: unknown[] }>;
}

/** Elaborate a generated file and list its ports and named wires with their widths. */
export async function inspect(t: InspectTask): Promise<InspectResult> {
  const script = [`read_verilog ${t.file}`, `hierarchy -top ${t.top}`, 'proc', 'write_json inspect.json', ''].join('\n');
  const run = await yosys(['-s', 'inspect.ys'], { [t.file]: t.text, 'inspect.ys': script });
  const base = { version: yosysVersionLine(run.log), warnings: yosysWarnings(run.log), log: run.log };
  if (run.code !== 0) return { ...base, ports: [], wires: {}, error: yosysError(run.log) ?? `Yosys exited with status ${run.code}` };
  const json = JSON.parse(run.files['inspect.json'] ?? '{}') as { modules?: Record<string, JsonModule> };
  const mod = json.modules?.[t.top];
  if (!mod) return { ...base, ports: [], wires: {}, error: `no module ${t.top} after elaboration` };
  const ports: PortInfo[] = Object.entries(mod.ports ?? {}).map(([name, p]) => ({
    name,
    dir: p.direction === 'output' ? 'output' : 'input',
    width: p.bits.length,
  }));
  const wires: Record<string, number> = {};
  for (const [name, n] of Object.entries(mod.netnames ?? {})) if (!n.hide_name) wires[name] = n.bits.length;
  return { ...base, ports, wires, error: null };
}

function filesOf(spec: ObligationSpec, scriptFile: string, script: string, extra: readonly WorkFile[]): Record<string, string> {
  const files: Record<string, string> = { [spec.unit.file]: spec.unit.text, [scriptFile]: script };
  for (const f of extra) files[f.name] = f.text;
  return files;
}

/** Evaluate the whole generated unit (nothing cut) on one input vector, through Yosys. */
export async function evaluateUnit(unit: UnitRef, inputs: PortValues): Promise<{ outputs: Record<string, bigint>; log: string }> {
  const sets = unit.ports
    .filter((p) => p.dir === 'input')
    .map((p) => {
      const v = inputs[p.name];
      if (v === undefined) throw new Error(`no value for input ${p.name}`);
      return `-set ${p.name} ${p.width}'h${hexDigits(v, p.width)}`;
    });
  const shows = unit.ports.filter((p) => p.dir === 'output').map((p) => `-show ${p.name}`);
  const script = [`read_verilog ${unit.file}`, `hierarchy -top ${unit.top}`, 'proc', 'flatten', 'memory', 'opt_clean', `sat ${sets.join(' ')} ${shows.join(' ')}`, ''].join('\n');
  const run = await yosys(['-s', 'evaluate.ys'], { [unit.file]: unit.text, 'evaluate.ys': script });
  if (run.code !== 0) throw new Error(`evaluating ${unit.top}: ${yosysError(run.log) ?? `Yosys exited with status ${run.code}`}`);
  const model = satModel(run.log);
  const outputs: Record<string, bigint> = {};
  for (const p of unit.ports.filter((x) => x.dir === 'output')) {
    const v = bitsToBigInt(model.get(p.name) ?? '');
    if (v === null) throw new Error(`evaluating ${unit.top}: no defined value for ${p.name}`);
    outputs[p.name] = v;
  }
  return { outputs, log: run.log };
}

function outputText(unit: UnitRef, port: PortInfo, v: bigint, other: bigint): string {
  if (unit.kind === 'dequant_e2m1_e8m0' && port.name === 'result') {
    const a = lanes(v, unit.k, 32);
    const b = lanes(other, unit.k, 32);
    const diff = a.map((x, i) => (x !== b[i] ? `lane ${i}: ${fp32Text(x)}` : '')).filter((x) => x !== '');
    return diff.length > 0 ? diff.join('; ') : 'all lanes as expected';
  }
  return describeOutput(unit.kind, port.name, v, port.width);
}

/** Try the decoded candidates on the whole unit; the first whose output differs from the golden model confirms. */
async function confirm(unit: UnitRef, d: Decoded, logs: WorkFile[], id: string): Promise<Counterexample> {
  let firstUnconfirmed: Counterexample | null = null;
  for (const [n, vec] of d.candidates.slice(0, 4).entries()) {
    const want = goldenOutputs(unit.kind, unit.k, vec);
    const got = await evaluateUnit(unit, vec);
    logs.push({ name: `${id}.confirm${n === 0 ? '' : `-${n}`}.log`, text: got.log });
    const outs = unit.ports.filter((p) => p.dir === 'output');
    const differs = want !== null && outs.some((p) => want[p.name] !== got.outputs[p.name]);
    const vector: Record<string, string> = {};
    for (const p of unit.ports.filter((x) => x.dir === 'input')) vector[p.name] = hexDigits(vec[p.name], p.width);
    const cex: Counterexample = {
      at: d.at,
      vector,
      inputs: describeInputs(unit.kind, unit.k, vec),
      expected: want === null ? undefined : outs.map((p) => `${p.name} = ${outputText(unit, p, want[p.name], got.outputs[p.name])}`).join('; '),
      actual: outs.map((p) => `${p.name} = ${outputText(unit, p, got.outputs[p.name], want?.[p.name] ?? 0n)}`).join('; '),
      confirmed: differs,
      note: d.note,
    };
    if (differs) return cex;
    firstUnconfirmed ??= {
      ...cex,
      note: `${d.note ? d.note + '; ' : ''}on this vector the whole unit still agrees with the golden model (the difference at the cut is masked downstream)`,
    };
  }
  return firstUnconfirmed ?? { at: d.at, inputs: [], confirmed: false, note: d.note ?? 'no input vector of the whole unit was found for this counterexample' };
}

function elapsed(t0: number): number {
  return (performance.now() - t0) / 1000;
}

/** Discharge one obligation. */
export async function runObligation(spec: ObligationSpec): Promise<ObligationResult> {
  const t0 = performance.now();
  const logs: WorkFile[] = [];
  const products: WorkFile[] = [];
  const done = (status: ObligationResult['status'], detail: string, extra: { counterexample?: Counterexample; warnings?: string[] } = {}): ObligationResult => ({
    status,
    seconds: elapsed(t0),
    detail,
    logs,
    products,
    warnings: extra.warnings ?? [],
    ...(extra.counterexample ? { counterexample: extra.counterexample } : {}),
  });

  const run = await yosys(['-s', spec.scriptFile], filesOf(spec, spec.scriptFile, spec.script, spec.files));
  logs.push({ name: `${spec.id}.log`, text: run.log });
  const warnings = yosysWarnings(run.log);
  const harmful = harmfulWarnings(run.log);
  if (harmful.length > 0) return done('error', `Yosys warned: ${harmful[0]} (the proof would not check what it claims)`, { warnings });

  if (spec.method === 'sat') {
    if (run.code !== 0) return done('error', yosysError(run.log) ?? `Yosys exited with status ${run.code}`, { warnings });
    const outcome = satOutcome(run.log);
    if (outcome === 'proven') return done('proven', 'SAT: no input with ok = 1 and gold_y != gate_y', { warnings });
    if (outcome !== 'failed') return done('error', 'no SAT proof result in the Yosys log', { warnings });
    const counterexample = await confirm(spec.unit, decodeModel(spec, satModel(run.log)), logs, spec.id);
    return done('failed', 'SAT: found an input with gold_y != gate_y', { counterexample, warnings });
  }

  if (spec.method === 'equiv') {
    const st = equivStatus(run.log);
    if (run.code === 0 && st !== null && st.unproven === 0 && st.total > 0) {
      return done('proven', `equiv_simple: all ${st.total} $equiv cells proven (one per compared bit)`, { warnings });
    }
    if (st === null || st.unproven === 0) return done('error', yosysError(run.log) ?? `Yosys exited with status ${run.code} before the equivalence status`, { warnings });
    const unproven = unprovenEquivSignals(run.log);
    const detail = `equiv_simple: ${st.unproven} of ${st.total} $equiv cells unproven${unproven.length > 0 ? ` (${unproven.slice(0, 4).join(', ')}${unproven.length > 4 ? ', ...' : ''})` : ''}`;
    if (!spec.cexSearch) return done('failed', detail, { warnings });
    const c = spec.cexSearch;
    const search = await yosys(['-s', c.scriptFile], filesOf(spec, c.scriptFile, c.script, c.files));
    logs.push({ name: `${spec.id}.cex.log`, text: search.log });
    const outcome = satOutcome(search.log);
    if (search.code !== 0 || outcome !== 'failed') {
      const why = search.code !== 0 ? (yosysError(search.log) ?? `status ${search.code}`) : outcome === 'proven' ? 'SAT proves the outputs equal' : `SAT outcome ${outcome}`;
      return done('error', `${detail}, but the counterexample search did not find one (${why})`, { warnings });
    }
    const counterexample = await confirm(spec.unit, decodeModel(spec, satModel(search.log)), logs, spec.id);
    return done('failed', detail, { counterexample, warnings });
  }

  // exhaustive
  const space = spec.roundSpace;
  if (!space) return done('error', 'exhaustive obligation without an input space');
  if (run.code !== 0) return done('error', yosysError(run.log) ?? `Yosys exited with status ${run.code}`, { warnings });
  const aag = run.files[space.aagFile];
  const map = run.files[space.mapFile];
  if (aag === undefined || map === undefined) return done('error', `Yosys did not write ${space.aagFile} and ${space.mapFile}`, { warnings });
  products.push({ name: space.aagFile, text: aag }, { name: space.mapFile, text: map });
  const aig = parseAag(aag, map);
  const tEval = performance.now();
  const outcome = evaluateRoundStage(aig, space);
  const evalSeconds = elapsed(tEval);
  const gates = aig.ands.length / 3;
  if (outcome.error) return done('error', outcome.error, { warnings });
  if (outcome.mismatches === 0) {
    return done(
      'proven',
      `all ${outcome.points.toLocaleString('en-US')} points agree with the golden model (netlist of ${gates.toLocaleString('en-US')} AND gates, evaluated in ${evalSeconds.toFixed(2)} s)`,
      { warnings },
    );
  }
  const detail = `${outcome.mismatches.toLocaleString('en-US')} of ${outcome.points.toLocaleString('en-US')} points differ from the golden model`;
  // prefer a mismatch that an input block can produce
  let counterexample: Counterexample | undefined;
  for (const m of outcome.first) {
    const d = decodeRound(spec, m);
    const c = await confirm(spec.unit, d, logs, spec.id);
    if (!counterexample || (c.confirmed && !counterexample.confirmed)) counterexample = c;
    if (c.confirmed) break;
  }
  return done('failed', detail, { counterexample, warnings });
}

export async function runTask(t: Task): Promise<InspectResult | ObligationResult | string | null> {
  switch (t.type) {
    case 'inspect':
      return inspect(t);
    case 'obligation':
      return runObligation(t.spec);
    case 'version':
      return yosysVersionLine((await yosys(['-V'], {})).log);
  }
}
