/**
 * The work a proof worker does: inspect a generated file, discharge one obligation, and turn a
 * failure into a confirmed counterexample. Runs inside a worker thread (worker.ts), so that the
 * main thread can stop it at the obligation's time limit.
 */
import { parseAagWithPorts } from './aig.js';
import { decodeMismatch, decodeModel, type Decoded } from './decode.js';
import { evaluateLanes, evaluateRound } from './exhaustive.js';
import { checkInstances } from './wiring.js';
import { SHORT_MAP, checkPipeline, isPipeline, shortRegisters } from './pipeline.js';
import { CLOCK_PORT } from '../generator/units/unit.js';
import type { Counterexample, ObligationResult, ObligationSpec, PortInfo, UnitRef, WorkFile } from './spec.js';
import { hexDigits } from '../src/text.js';
import { familyOf } from '../generator/units/index.js';
import type { PortValues } from '../generator/units/unit.js';
import {
  bitsToBigInt,
  equivStatus,
  harmfulWarnings,
  satModel,
  inductionOutcome,
  satOutcome,
  unprovenEquivSignals,
  yosys,
  yosysError,
  yosysVersionLine,
  yosysWarnings,
} from './yosys.js';

export interface InspectTask {
  readonly type: 'inspect';
  readonly files: readonly WorkFile[];
  readonly top: string;
}

/** Ports and named wires of one module. */
export interface InspectedModule {
  readonly ports: PortInfo[];
  readonly wires: Record<string, number>;
  /** for a named wire, the other named wires (ports excluded) that are the same net */
  readonly aliases: Record<string, string[]>;
}

export interface InspectResult {
  readonly version: string | null;
  /** every module of the hierarchy below (and with) the top, by name */
  readonly modules: Record<string, InspectedModule>;
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

/** Elaborate a unit's files and list the ports and named wires of every module, with their widths. */
export async function inspect(t: InspectTask): Promise<InspectResult> {
  const script = [...t.files.map((f) => `read_verilog ${f.name}`), `hierarchy -check -top ${t.top}`, 'proc', 'write_json inspect.json', ''].join('\n');
  const files: Record<string, string> = { 'inspect.ys': script };
  for (const f of t.files) files[f.name] = f.text;
  const run = await yosys(['-s', 'inspect.ys'], files);
  const base = { version: yosysVersionLine(run.log), warnings: yosysWarnings(run.log), log: run.log };
  if (run.code !== 0) return { ...base, modules: {}, error: yosysError(run.log) ?? `Yosys exited with status ${run.code}` };
  const json = JSON.parse(run.files['inspect.json'] ?? '{}') as { modules?: Record<string, JsonModule> };
  if (!json.modules?.[t.top]) return { ...base, modules: {}, error: `no module ${t.top} after elaboration` };
  const modules: Record<string, InspectedModule> = {};
  for (const [name, mod] of Object.entries(json.modules)) {
    const ports: PortInfo[] = Object.entries(mod.ports ?? {}).map(([n, p]) => ({ name: n, dir: p.direction === 'output' ? 'output' : 'input', width: p.bits.length }));
    const wires: Record<string, number> = {};
    // named wires with the very same (non-constant) bits are one net under several names
    const byBits = new Map<string, string[]>();
    for (const [n, w] of Object.entries(mod.netnames ?? {})) {
      if (w.hide_name) continue;
      wires[n] = w.bits.length;
      if (w.bits.some((b) => typeof b !== 'number')) continue;
      const k = w.bits.join(',');
      byBits.set(k, [...(byBits.get(k) ?? []), n]);
    }
    const portNames = new Set(ports.map((p) => p.name));
    const aliases: Record<string, string[]> = {};
    for (const names of byBits.values()) {
      if (names.length < 2) continue;
      for (const n of names) aliases[n] = names.filter((x) => x !== n && !portNames.has(x));
    }
    modules[name] = { ports, wires, aliases };
  }
  return { ...base, modules, error: null };
}

function filesOf(spec: ObligationSpec, scriptFile: string, script: string, extra: readonly WorkFile[]): Record<string, string> {
  // a pipeline's obligations are about the function of its stages: its registers shorted (formal/pipeline.ts)
  const short = isPipeline(spec.unit) && spec.method !== 'netlist';
  const files: Record<string, string> = { [scriptFile]: short ? shortRegisters(script) : script };
  for (const f of spec.unit.files) files[f.name] = f.text;
  if (short) files[SHORT_MAP.name] = SHORT_MAP.text;
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
  const script = [...unit.files.map((f) => `read_verilog ${f.name}`), `hierarchy -top ${unit.top}`, 'proc', 'flatten', 'memory', 'opt_clean', `sat ${sets.join(' ')} ${shows.join(' ')}`, ''].join('\n');
  // a pipeline evaluated as the function of its stages (its registers shorted)
  const files: Record<string, string> = isPipeline(unit) ? { 'evaluate.ys': shortRegisters(script), [SHORT_MAP.name]: SHORT_MAP.text } : { 'evaluate.ys': script };
  for (const f of unit.files) files[f.name] = f.text;
  const run = await yosys(['-s', 'evaluate.ys'], files);
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

function outputText(unit: UnitRef, port: string, v: bigint): string {
  const f = familyOf(unit.family);
  try {
    return f ? f.describeOutput(f.fromParameters(unit.parameters), port, v) : `0x${v.toString(16)}`;
  } catch {
    return `0x${v.toString(16)}`;
  }
}

function goldenOutputs(unit: UnitRef, inputs: PortValues): Record<string, bigint> | null {
  const f = familyOf(unit.family);
  if (!f) return null;
  return f.golden(f.fromParameters(unit.parameters))(inputs);
}

function describeInputs(unit: UnitRef, inputs: PortValues): string[] {
  const f = familyOf(unit.family);
  return f ? f.describeInputs(f.fromParameters(unit.parameters), inputs) : Object.entries(inputs).map(([n, v]) => `${n} = 0x${v.toString(16)}`);
}

/** Try the decoded candidates on the whole unit; the first whose output differs from the golden model confirms. */
async function confirm(unit: UnitRef, d: Decoded, logs: WorkFile[], id: string): Promise<Counterexample> {
  if (unit.ports.some((p) => p.dir === 'input' && p.name === CLOCK_PORT)) {
    // a clocked unit's proof is about one clock step: the values found are a state and the inputs of that step
    return { at: d.at, inputs: [], confirmed: false, note: 'a clocked unit, proven one clock step at a time: the values above are a present state and the inputs of one step; no input sequence of the whole unit is derived from them' };
  }
  let firstUnconfirmed: Counterexample | null = null;
  for (const [n, vec] of d.candidates.slice(0, 4).entries()) {
    const want = goldenOutputs(unit, vec);
    const got = await evaluateUnit(unit, vec);
    logs.push({ name: `${id}.confirm${n === 0 ? '' : `-${n}`}.log`, text: got.log });
    const outs = unit.ports.filter((p) => p.dir === 'output');
    const differs = want !== null && outs.some((p) => want[p.name] !== got.outputs[p.name]);
    const vector: Record<string, string> = {};
    for (const p of unit.ports.filter((x) => x.dir === 'input')) vector[p.name] = hexDigits(vec[p.name], p.width);
    const cex: Counterexample = {
      at: d.at,
      vector,
      inputs: describeInputs(unit, vec),
      expected: want === null ? undefined : outs.map((p) => `${p.name} = ${outputText(unit, p.name, want[p.name])}`).join('; '),
      actual: outs.map((p) => `${p.name} = ${outputText(unit, p.name, got.outputs[p.name])}`).join('; '),
      confirmed: differs,
      note: d.note,
    };
    if (differs) return cex;
    firstUnconfirmed ??= {
      ...cex,
      note: `${d.note ? d.note + '; ' : ''}on this vector the whole unit still agrees with the golden model: the solver's values at the cut points may be ones no input of the unit produces there (the difference is then in this stage alone, unreachable from the unit's inputs), or the difference is masked downstream`,
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

  // a reference the proof compares with is itself checked against the golden model first
  let referenceNote = '';
  if (spec.referenceCheck) {
    const c = spec.referenceCheck;
    const ref = await yosys(['-s', c.scriptFile], filesOf(spec, c.scriptFile, c.script, c.files));
    logs.push({ name: `${spec.id}.ref.log`, text: ref.log });
    const sp = c.space;
    const aag = ref.files[sp.aagFile];
    const map = ref.files[sp.mapFile];
    const ports = ref.files[sp.portsFile];
    if (ref.code !== 0 || aag === undefined || map === undefined || ports === undefined) return done('error', `the reference could not be mapped: ${yosysError(ref.log) ?? `Yosys exited with status ${ref.code}`}`);
    const o = evaluateRound(parseAagWithPorts(aag, map, ports, sp.top), sp);
    if (o.error) return done('error', `checking the reference: ${o.error}`);
    if (o.mismatches > 0) {
      const f = o.first[0];
      return done('error', `the reference disagrees with the golden model at ${o.mismatches.toLocaleString('en-US')} of ${o.points.toLocaleString('en-US')} boundary points (first: sign ${f?.pattern[0]}, exponent ${f?.pattern[1]}, magnitude ${f?.pattern[2]}): it cannot be trusted, so nothing is proven`);
    }
    referenceNote = `; the reference equals the golden model at all ${o.points.toLocaleString('en-US')} boundary points`;
  }
  // structure first: a proof about a module is about the design only where it is wired in as stated
  let wiringNote = '';
  for (const [i, w] of (spec.wiring ?? []).entries()) {
    const script = [...spec.unit.files.map((f) => `read_verilog ${f.name}`), `hierarchy -check -top ${w.instances.parent}`, 'proc', `write_json ${w.instances.jsonFile}`, ''].join('\n');
    const name = `${spec.id}.wiring${i}.ys`;
    const r = await yosys(['-s', name], filesOf(spec, name, script, []));
    logs.push({ name: `${spec.id}.wiring${i}.log`, text: r.log });
    const json = r.files[w.instances.jsonFile];
    if (r.code !== 0 || json === undefined) return done('error', `elaborating ${w.instances.parent} for its wiring: ${yosysError(r.log) ?? `Yosys exited with status ${r.code}`}`);
    let wrong: string | null;
    try {
      wrong = checkInstances(json, w.lane, w.instances);
    } catch (e) {
      return done('error', `checking the wiring of ${w.instances.parent}: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (wrong !== null) return done('failed', `wiring: ${wrong}`);
    wiringNote += `; ${w.instances.parent} holds ${w.instances.lanes.length === 1 ? `one ${w.lane}` : `${w.instances.lanes.length} ${w.lane}`}, wired as stated`;
  }
  const run = await yosys(['-s', spec.scriptFile], filesOf(spec, spec.scriptFile, spec.script, spec.files));
  logs.push({ name: `${spec.id}.log`, text: run.log });
  const warnings = yosysWarnings(run.log);
  const harmful = harmfulWarnings(run.log);
  if (harmful.length > 0) return done('error', `Yosys warned: ${harmful[0]} (the proof would not check what it claims)`, { warnings });

  if (spec.method === 'netlist') {
    const pl = spec.pipeline;
    if (!pl) return done('error', 'a netlist obligation without its check', { warnings });
    const json = run.files[pl.jsonFile];
    if (run.code !== 0 || json === undefined) return done('error', `elaborating ${pl.top}: ${yosysError(run.log) ?? `Yosys exited with status ${run.code}`}`, { warnings });
    const c = checkPipeline(json, pl.top, pl.stages, pl.clock);
    if (c.problem !== null) return done('failed', `pipeline: ${c.problem}`, { warnings });
    return done('proven', `netlist: all ${c.outputBits.toLocaleString('en-US')} output bits are ${pl.stages} register${pl.stages > 1 ? 's' : ''} from the inputs on every path, no loop (${c.registerBits.toLocaleString('en-US')} register bits)`, { warnings });
  }
  if (spec.method === 'sat') {
    const err = run.code !== 0 ? (yosysError(run.log) ?? `Yosys exited with status ${run.code}`) : null;
    // the registers a step proof states are missing or of another kind: the design is wrong, not the tool
    if (err !== null && /^Assertion failed: .*dut\/(t:\$dff|w:\S+\.[qdc]\b)/.test(err)) return done('failed', `the registers are not the ones the step proof states: ${err}`, { warnings });
    if (err !== null) return done('error', err, { warnings });
    const outcome = satOutcome(run.log);
    if (outcome === 'proven') return done('proven', `SAT: no input with ok = 1 and gold_y != gate_y${referenceNote}${wiringNote}`, { warnings });
    if (outcome !== 'failed') return done('error', 'no SAT proof result in the Yosys log', { warnings });
    let counterexample = await confirm(spec.unit, decodeModel(spec, satModel(run.log)), logs, spec.id);
    if (!counterexample.confirmed && spec.cexSearch) {
      // the free cut values the solver chose may be ones no input gives: ask again among values the unit can reach
      const c = spec.cexSearch;
      const search = await yosys(['-s', c.scriptFile], filesOf(spec, c.scriptFile, c.script, c.files));
      logs.push({ name: `${spec.id}.cex.log`, text: search.log });
      if (search.code === 0 && satOutcome(search.log) === 'failed') {
        const again = await confirm(spec.unit, decodeModel(spec, satModel(search.log)), logs, `${spec.id}.cex`);
        if (again.confirmed) counterexample = again;
      }
    }
    return done('failed', 'SAT: found an input with gold_y != gate_y', { counterexample, warnings });
  }

  if (spec.method === 'induction') {
    const err = run.code !== 0 ? (yosysError(run.log) ?? `Yosys exited with status ${run.code}`) : null;
    if (err !== null) return done('error', err, { warnings });
    const r = inductionOutcome(run.log);
    if (r.outcome === 'proven') return done('proven', `k-induction: the base case and the induction step of length ${r.length ?? '?'} hold${wiringNote}`, { warnings });
    if (r.outcome === 'failed') return done('failed', 'k-induction: a run from the reset on which the two netlists differ (the base case has a model; see the log)', { warnings });
    if (r.outcome === 'inconclusive') return done('unknown', `k-induction: no induction step of up to ${r.length ?? '?'} cycles closes (neither proven nor refuted)`, { warnings });
    return done('error', 'no induction result in the Yosys log', { warnings });
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
  const space = spec.space;
  if (!space) return done('error', 'exhaustive obligation without an input space');
  if (run.code !== 0) return done('error', yosysError(run.log) ?? `Yosys exited with status ${run.code}`, { warnings });
  const aag = run.files[space.aagFile];
  const map = run.files[space.mapFile];
  const ports = run.files[space.portsFile];
  if (aag === undefined || map === undefined || ports === undefined) return done('error', `Yosys did not write ${space.aagFile}, ${space.mapFile} and ${space.portsFile}`, { warnings });
  products.push({ name: space.aagFile, text: aag }, { name: space.mapFile, text: map }, { name: space.portsFile, text: ports });
  let aig;
  try {
    aig = parseAagWithPorts(aag, map, ports, space.top);
  } catch (e) {
    return done('error', `reading the netlist: ${e instanceof Error ? e.message : String(e)}`, { warnings });
  }
  let instances = '';
  if (space.type === 'lanes' && space.instances) {
    const inst = space.instances;
    const json = run.files[inst.jsonFile];
    if (json === undefined) return done('error', `Yosys did not write ${inst.jsonFile}`, { warnings });
    products.push({ name: inst.jsonFile, text: json });
    let wrong: string | null;
    try {
      wrong = checkInstances(json, space.top, inst);
    } catch (e) {
      return done('error', `checking the lanes' wiring: ${e instanceof Error ? e.message : String(e)}`, { warnings });
    }
    if (wrong !== null) return done('failed', `wiring: ${wrong}`, { warnings });
    instances = `; ${inst.parent} holds one ${space.top} per lane (${inst.lanes.length}), each wired to its lane's bits alone`;
  }
  const tEval = performance.now();
  const outcome = space.type === 'lanes' ? evaluateLanes(aig, space) : evaluateRound(aig, space);
  const evalSeconds = elapsed(tEval);
  const gates = aig.ands.length / 3;
  if (outcome.error) return done('error', outcome.error, { warnings });
  if (outcome.violation) return done('failed', outcome.violation, { warnings });
  if (outcome.points === 0) return done('error', 'no point was evaluated', { warnings });
  if (outcome.mismatches === 0) {
    return done(
      'proven',
      `all ${outcome.points.toLocaleString('en-US')} points agree with the golden model (netlist of ${gates.toLocaleString('en-US')} AND gates, evaluated in ${evalSeconds.toFixed(2)} s)${instances}`,
      { warnings },
    );
  }
  const detail = `${outcome.mismatches.toLocaleString('en-US')} of ${outcome.points.toLocaleString('en-US')} points differ from the golden model`;
  let counterexample: Counterexample | undefined;
  for (const m of outcome.first) {
    const c = await confirm(spec.unit, decodeMismatch(spec, m), logs, spec.id);
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
