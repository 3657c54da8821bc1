/**
 * Proof harnesses and Yosys scripts. Every obligation compares the generated unit (renamed `dut`,
 * possibly cut at internal wires) with a reference built from the golden model:
 *
 * - `check` (for `sat`): inputs = the obligation's free inputs; outputs ok (the assumption), eq,
 *   gold_y, gate_y. The proof is `sat -set ok 1 -prove eq 1`: for every input with ok = 1,
 *   gold_y = gate_y.
 * - `gold` / `gate` (for `equiv`, only without an assumption): the same inputs, one output y =
 *   gold_y (resp. gate_y); equivalence checking proves y equal for every input.
 */
import type { Tie, WorkFile } from './spec.js';
import { portDecl } from './verilog.js';

export interface FreeInput {
  readonly name: string;
  readonly width: number;
}

export interface Miter {
  /** obligation id, for file names and comments */
  readonly id: string;
  /** comment lines for the top of the files */
  readonly about: readonly string[];
  readonly inputs: readonly FreeInput[];
  /** connections of the `dut` instance: port -> expression */
  readonly dutConnections: readonly { readonly port: string; readonly expr: string }[];
  /** wires the dut drives (declared before the instance): name, width */
  readonly dutWires: readonly FreeInput[];
  /** Verilog lines that define `gold_y` (declared by the harness) from the inputs; may instantiate ref_* modules */
  readonly gold: readonly string[];
  /** expression for gate_y from the dut wires */
  readonly gate: string;
  /** the assumption, an expression over the inputs ("1'b1" for none) */
  readonly ok: string;
  /** width of gold_y / gate_y */
  readonly width: number;
}

function dutInstance(m: Miter): string[] {
  const lines = m.dutWires.map((w) => `  wire ${w.width > 1 ? `[${w.width - 1}:0] ` : ''}${w.name};`);
  lines.push(`  dut u_dut (${m.dutConnections.map((c) => `.${c.port}(${c.expr})`).join(', ')});`);
  return lines;
}

function header(m: Miter, what: string): string[] {
  return [`// mxrtl formal: ${m.id}: ${what}`, ...m.about.map((l) => `// ${l}`), ''];
}

/** The `check` module for `sat -set ok 1 -prove eq 1`. */
export function checkModule(m: Miter): string {
  const ports = [
    ...m.inputs.map((i) => portDecl('input', i.width, i.name)),
    portDecl('output', 1, 'ok'),
    portDecl('output', 1, 'eq'),
    portDecl('output', m.width, 'gold_y'),
    portDecl('output', m.width, 'gate_y'),
  ];
  return [
    ...header(m, 'proof harness (gold = reference from the golden model, gate = generated RTL)'),
    'module check (',
    ports.join(',\n'),
    ');',
    ...m.gold.map((l) => `  ${l}`),
    ...dutInstance(m),
    `  assign gate_y = ${m.gate};`,
    `  assign ok = ${m.ok};`,
    '  assign eq = gold_y == gate_y;',
    'endmodule',
    '',
  ].join('\n');
}

/** The `gold` and `gate` modules for `equiv_make gold gate equiv` (no assumption: y must agree everywhere). */
export function equivModules(m: Miter): string {
  const ports = [...m.inputs.map((i) => portDecl('input', i.width, i.name)), portDecl('output', m.width, 'y')].join(',\n');
  return [
    ...header(m, 'equivalence pair (gold: reference y, gate: generated y)'),
    'module gold (',
    ports,
    ');',
    `  wire [${m.width - 1}:0] gold_y;`,
    ...m.gold.map((l) => `  ${l}`),
    '  assign y = gold_y;',
    'endmodule',
    '',
    'module gate (',
    ports,
    ');',
    `  wire [${m.width - 1}:0] gate_y;`,
    ...dutInstance(m),
    `  assign gate_y = ${m.gate};`,
    '  assign y = gate_y;',
    'endmodule',
    '',
  ].join('\n');
}

/** How the generated unit enters a proof: renamed `dut`, then cut and observed at internal wires. */
export interface DutPrep {
  /** the RTL files to read (the unit's hierarchy) */
  readonly rtlFiles: readonly string[];
  readonly top: string;
  /** internal wires turned into free inputs (their drivers disconnected) */
  readonly cuts: readonly string[];
  /** internal wires made outputs (observed) */
  readonly observes: readonly string[];
  /** other names of cut nets: cut too and connected to their cut's value in the harness */
  readonly ties?: readonly Tie[];
  /**
   * a clocked module, proven one step at a time: flattened, its registers (each a positive-edge
   * $dff, named) turned into ports by `expose -evert-dff` - register r's present value the input
   * `r.q`, its next value the output `r.d`, its clock the output `r.c`
   */
  readonly evert?: readonly string[];
}

export function dutPrologue(p: DutPrep): string[] {
  const cuts: string[] = [];
  const named = [...p.cuts, ...p.observes];
  if (named.length > 0) {
    cuts.push('# every cut and observed wire exists under its name');
    for (let i = 0; i < named.length; i += 8) {
      const chunk = named.slice(i, i + 8);
      cuts.push(`select -assert-count ${chunk.length} ${chunk.map((w) => `dut/w:${w}`).join(' ')}`);
    }
  }
  if (p.cuts.length > 0) {
    cuts.push('# cut points: each wire becomes a free input, its driver disconnected');
    for (let i = 0; i < p.cuts.length; i += 8) cuts.push(`expose -input ${p.cuts.slice(i, i + 8).map((w) => `dut/w:${w}`).join(' ')}`);
    const ties = p.ties ?? [];
    if (ties.length > 0) {
      cuts.push(`# other names of cut nets: cut too, each connected to its cut's value (${ties.map((t) => `${t.alias} = ${t.cut}`).join(', ')})`);
      for (let i = 0; i < ties.length; i += 8) cuts.push(`expose -input ${ties.slice(i, i + 8).map((t) => `dut/w:${t.alias}`).join(' ')}`);
    }
  }
  const check = p.cuts.length > 0 ? ['# no net has two drivers after the cuts', 'check -assert'] : [];
  const lines = [...p.rtlFiles.map((f) => `read_verilog ${f}`), `hierarchy -top ${p.top}`, `rename ${p.top} dut`, 'setattr -mod -unset top dut'];
  if (p.evert) {
    // a clocked step: cut before proc, which would have the registers read the net behind a cut
    // wire's driver rather than the wire
    lines.push(...cuts, 'proc', ...check);
  } else {
    lines.push('proc');
    // a combinational obligation on a clocked module: its registers' outputs become free values,
    // so what is proven holds in every state
    lines.push(
      '# registers (in a clocked module): each output becomes a free value, any present state',
      'select -set regs_q dut/t:$*dff* %x:+[Q] dut/t:$*dff* %d',
      'delete dut/t:$*dff*',
      'setundef -undriven -anyseq @regs_q',
    );
    lines.push(...cuts, ...check);
  }
  if (p.observes.length > 0) {
    lines.push('# observed internal wires become outputs');
    for (let i = 0; i < p.observes.length; i += 8) lines.push(`expose ${p.observes.slice(i, i + 8).map((w) => `dut/w:${w}`).join(' ')}`);
  }
  if (p.evert) {
    const n = p.evert.length;
    lines.push(
      '# one step of the registers: flatten, then every register must be a positive-edge $dff (no other storage)',
      'flatten -noscopeinfo',
      'opt_clean -purge',
      `select -assert-count ${n} dut/t:$dff`,
      `select -assert-count ${n} dut/t:$dff dut/r:CLK_POLARITY=1'1 %i`,
      'select -assert-none dut/t:$*dff* dut/t:$*latch* dut/t:$mem* %u %u dut/t:$dff %d',
      '# each register becomes ports: its present value r.q (input), next value r.d and clock r.c (outputs)',
      'expose -evert-dff dut',
      'opt_clean',
      ...p.evert.map((r) => `select -assert-count 3 dut/w:${r}.q dut/w:${r}.d dut/w:${r}.c`),
    );
  }
  return lines;
}

export interface ScriptSet {
  readonly scriptFile: string;
  readonly script: string;
  readonly files: WorkFile[];
  /** for `equiv`: the SAT run that finds a counterexample after a failed proof */
  readonly cex?: { readonly scriptFile: string; readonly script: string; readonly files: WorkFile[] };
}

/** The constant assumption "none". */
export const NO_ASSUMPTION = "1'b1";

function satScript(id: string, title: string, prep: DutPrep, refFile: string | null, checkFile: string, assumes: boolean): string {
  return [
    `# mxrtl formal: ${id}`,
    `# ${title}`,
    ...dutPrologue(prep),
    ...(refFile ? [`read_verilog ${refFile}`] : []),
    `read_verilog ${checkFile}`,
    'hierarchy -check -top check',
    'proc',
    'flatten',
    'memory',
    'opt -full',
    ...(assumes
      ? ['# the assumption is satisfiable (else the proof below would hold vacuously): proving ok = 0 must fail', 'sat -prove ok 0 -falsify']
      : []),
    'sat -set ok 1 -prove eq 1 -show-inputs -show gold_y -show gate_y',
    '',
  ].join('\n');
}

/**
 * Scripts and files of a miter obligation. `ref` is the file of reference modules (golden tables,
 * named ref_*), or null when the gold side is written inline in the harness.
 */
export function miterScripts(method: 'sat' | 'equiv', given: Miter, title: string, prep: DutPrep, ref: WorkFile | null): ScriptSet {
  // an alias of a cut net reads what the harness gives the cut
  const m: Miter = (prep.ties ?? []).length === 0 ? given : {
    ...given,
    dutConnections: [
      ...given.dutConnections,
      ...(prep.ties ?? []).map((t) => {
        const c = given.dutConnections.find((x) => x.port === t.cut);
        if (!c) throw new Error(`${given.id}: the cut ${t.cut} has no connection`);
        return { port: t.alias, expr: c.expr };
      }),
    ],
  };
  const refFile = ref?.name ?? '';
  const checkFile = `${m.id}.check.v`;
  const refFiles: WorkFile[] = ref === null ? [] : [ref];
  const check: WorkFile = { name: checkFile, text: checkModule(m) };
  const assumes = m.ok !== NO_ASSUMPTION;
  if (method === 'sat') {
    return { scriptFile: `${m.id}.ys`, script: satScript(m.id, title, prep, ref === null ? null : refFile, checkFile, assumes), files: [...refFiles, check] };
  }
  // equivalence checking has no assumptions: gold and gate must agree on every input
  if (assumes) throw new Error(`${m.id}: an equiv obligation cannot carry an assumption`);
  const miterFile = `${m.id}.miter.v`;
  const script = [
    `# mxrtl formal: ${m.id}`,
    `# ${title}`,
    ...dutPrologue(prep),
    ...(ref === null ? [] : [`read_verilog ${refFile}`]),
    `read_verilog ${miterFile}`,
    'hierarchy -check',
    'proc',
    '# truth tables become logic once, before flattening copies them',
    'memory',
    ...(ref === null ? [] : ['opt -full ref_*']),
    'flatten',
    '# only the pair is compared: drop the instantiated modules and the logic the compared outputs do not read',
    `delete dut${ref === null ? '' : ' ref_*'}`,
    'opt_clean',
    'opt -full',
    'equiv_make gold gate equiv',
    'hierarchy -top equiv',
    'equiv_simple',
    'equiv_status -assert',
    '',
  ].join('\n');
  const cexScript = satScript(m.id, `${title} (counterexample search after a failed proof)`, prep, ref === null ? null : refFile, checkFile, false);
  return {
    scriptFile: `${m.id}.ys`,
    script,
    files: [...refFiles, { name: miterFile, text: equivModules(m) }],
    cex: { scriptFile: `${m.id}.cex.ys`, script: cexScript, files: [...refFiles, check] },
  };
}
