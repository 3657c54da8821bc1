/**
 * Pipelined units (a unit family's registerStages > 0): a unit whose only state is S register
 * stages is proven in two parts that together give "the outputs just after rising edge t are those
 * of the combinational unit on the inputs clocked in at edge t - S + 1":
 *
 *   pipeline   a check of the elaborated, flattened netlist (every register a plain positive-edge
 *              $dff on the unit's clock): along every path from an input to an output lie exactly S
 *              registers, and no path loops. Then every net is a function of the inputs of one
 *              clock cycle alone (S - its register count cycles back), and so is every output.
 *   the rest   every other obligation of the unit runs on the netlist with each register shorted
 *              (its output wired to its input, by a Yosys techmap of $dff): that netlist is the
 *              function each stage computes on the values of one cycle, so what they prove of it
 *              (against the golden model) holds of the pipelined unit's outputs S - 1 edges later.
 *
 * Why the two suffice: by induction over the netlist in topological order, after S edges a net with
 * r registers behind it holds, at edge t, the shorted netlist's value of that net on the inputs of
 * edge t - r; the outputs have r = S. A register skipped, added, wired to the wrong stage or fed back
 * breaks the first part; a register holding the wrong value breaks the second.
 */
import type { ObligationSpec, UnitRef, WorkFile } from './spec.js';

/** The techmap file that shorts every $dff: Q = D. */
export const SHORT_MAP: WorkFile = {
  name: 'mxrtl_short_dff.v',
  text: [
    '// mxrtl formal: every register of a pipeline shorted (its output is its input), for the proofs',
    '// about the function its stages compute; the pipeline obligation checks the registers themselves.',
    '(* techmap_celltype = "$dff" *)',
    'module _mxrtl_short_dff (CLK, D, Q);',
    '  parameter WIDTH = 1;',
    "  parameter CLK_POLARITY = 1'b1;",
    '  input CLK;',
    '  input [WIDTH-1:0] D;',
    '  output [WIDTH-1:0] Q;',
    '  assign Q = D;',
    'endmodule',
    '',
  ].join('\n'),
};

/** Whether the unit's obligations see its registers shorted. */
export const isPipeline = (u: UnitRef): boolean => (u.registerStages ?? 0) > 0;

/**
 * A script with the registers shorted after every `proc` (the step that makes registers of the
 * clocked blocks): the netlist every obligation of a pipeline proves things about.
 */
export function shortRegisters(script: string): string {
  if (script.includes(`techmap -map ${SHORT_MAP.name} t:$dff`)) return script;
  return script.replace(/^proc$/gm, ['proc', '# a pipeline: every register shorted (Q = D); the pipeline obligation checks the registers', `techmap -map ${SHORT_MAP.name} t:$dff`, 'opt_clean'].join('\n'));
}

export const PIPELINE_PART = 'pipeline';

/** The pipeline obligation of a unit with S register stages on clock `clock`. */
export function pipelineObligation(u: UnitRef, clock: string): ObligationSpec {
  const S = u.registerStages ?? 0;
  const id = `${u.top}.${PIPELINE_PART}`;
  const jsonFile = `${id}.netlist.json`;
  const scriptFile = `${id}.ys`;
  const script = [
    `# mxrtl formal: ${id}`,
    `# ${u.top} as a pipeline of ${S} register stage${S > 1 ? 's' : ''}: the flattened netlist, written for mxrtl's path check`,
    ...u.files.map((f) => `read_verilog ${f.name}`),
    `hierarchy -check -top ${u.top}`,
    'proc',
    'flatten',
    'opt_clean',
    `write_json ${jsonFile}`,
    '',
  ].join('\n');
  return {
    id,
    unit: u,
    title: `${u.top} is a pipeline of ${S} register stage${S > 1 ? 's' : ''}: every path from an input to an output passes ${S} register${S > 1 ? 's' : ''}`,
    statement: [
      `Every register is a positive-edge flip-flop on ${clock} with no reset or enable; every path from an input port to an output port passes exactly ${S} of them; no path loops.`,
      `With the other obligations (proven on the netlist with the registers shorted), the outputs just after a rising edge are the combinational unit's on the inputs clocked in ${S - 1 === 0 ? 'at that edge' : `${S - 1} edge${S > 2 ? 's' : ''} before`}, from the ${ordinal(S)} edge on.`,
    ],
    method: 'netlist',
    scriptFile,
    script,
    files: [],
    pipeline: { top: u.top, stages: S, clock, jsonFile },
    weight: 1,
  };
}

const ordinal = (n: number): string => ['zeroth', 'first', 'second', 'third'][n] ?? `${n}th`;

/**
 * A planned obligation of a pipeline, made to prove its statement about the stages' function: its
 * scripts short the registers after every proc and read the techmap file (the netlist obligation
 * itself is left as it is).
 */
export function shortenedSpec(s: ObligationSpec): ObligationSpec {
  if (s.method === 'netlist') return s;
  return {
    ...s,
    script: shortRegisters(s.script),
    files: [...s.files, SHORT_MAP],
    ...(s.cexSearch ? { cexSearch: { ...s.cexSearch, script: shortRegisters(s.cexSearch.script), files: [...s.cexSearch.files, SHORT_MAP] } } : {}),
    ...(s.referenceCheck ? { referenceCheck: { ...s.referenceCheck, script: shortRegisters(s.referenceCheck.script), files: [...s.referenceCheck.files, SHORT_MAP] } } : {}),
  };
}

interface JsonCell {
  readonly type: string;
  readonly parameters?: Readonly<Record<string, string | number>>;
  readonly port_directions?: Readonly<Record<string, 'input' | 'output' | 'inout'>>;
  readonly connections: Readonly<Record<string, readonly (number | string)[]>>;
}

interface JsonModule {
  readonly ports: Readonly<Record<string, { readonly direction: string; readonly bits: readonly (number | string)[] }>>;
  readonly cells: Readonly<Record<string, JsonCell>>;
  readonly netnames?: Readonly<Record<string, { readonly bits: readonly (number | string)[]; readonly hide_bits?: number }>>;
}

/** The outcome of the path check: null when it holds, else what breaks it. */
export interface PipelineCheck {
  readonly problem: string | null;
  /** register bits and output bits checked */
  readonly registerBits: number;
  readonly outputBits: number;
}

/**
 * Check Yosys's JSON netlist of `top` (flattened, after proc): each register a $dff on `clock`
 * (rising edge), every output bit exactly `stages` registers from the inputs along every path.
 */
export function checkPipeline(jsonText: string, top: string, stages: number, clock: string): PipelineCheck {
  const json = JSON.parse(jsonText) as { modules?: Record<string, JsonModule> };
  const m = json.modules?.[top];
  if (!m) return { problem: `the netlist has no module ${top}`, registerBits: 0, outputBits: 0 };
  // each bit by its most readable name: a wire of the top module before one inside an instance, shorter first
  const name = new Map<number, string>();
  const rank = (n: string): number => (n.startsWith('$') ? 2 : n.includes('.') ? 1 : 0);
  for (const [n, w] of Object.entries(m.netnames ?? {})) {
    if (w.hide_bits) continue;
    w.bits.forEach((b, i) => {
      if (typeof b !== 'number') return;
      const here = w.bits.length > 1 ? `${n}[${i}]` : n;
      const had = name.get(b);
      if (had === undefined || rank(here) < rank(had) || (rank(here) === rank(had) && here.length < had.length)) name.set(b, here);
    });
  }
  const bitName = (b: number): string => name.get(b) ?? `net ${b}`;
  const clockPort = m.ports[clock];
  if (!clockPort || clockPort.direction !== 'input' || clockPort.bits.length !== 1) return { problem: `${top} has no 1-bit clock input ${clock}`, registerBits: 0, outputBits: 0 };
  const clockBit = clockPort.bits[0];
  // stage of each net bit: inputs 0; a register's output its input's + 1; any other cell's outputs
  // the one stage all its (non-constant) inputs share
  const stage = new Map<number, number | null>();
  for (const [n, p] of Object.entries(m.ports)) {
    if (p.direction !== 'input' || n === clock) continue;
    for (const b of p.bits) if (typeof b === 'number') stage.set(b, 0);
  }
  const driver = new Map<number, { cell: string; port: string; index: number }>();
  let registerBits = 0;
  for (const [cn, c] of Object.entries(m.cells)) {
    const isReg = c.type === '$dff';
    if (!isReg && /dff|latch|\$mem|\$ff\b|\$_(S?DFF|DLATCH|FF)/i.test(c.type)) return { problem: `${cn} is a ${c.type}, not a plain register: a pipeline stage register has no reset, enable or other storage`, registerBits, outputBits: 0 };
    if (isReg) {
      if (!/^0*1$/.test(String(c.parameters?.CLK_POLARITY ?? '1'))) return { problem: `register ${cn} is clocked on the falling edge`, registerBits, outputBits: 0 };
      if (c.connections.CLK?.[0] !== clockBit) return { problem: `register ${cn} is not clocked by ${clock}`, registerBits, outputBits: 0 };
      registerBits += c.connections.Q?.length ?? 0;
    }
    for (const [port, bits] of Object.entries(c.connections)) {
      const dir = c.port_directions?.[port];
      if (dir !== 'output') continue;
      bits.forEach((b, index) => {
        if (typeof b === 'number') driver.set(b, { cell: cn, port, index });
      });
    }
  }
  for (const [cn, c] of Object.entries(m.cells)) {
    for (const [port, bits] of Object.entries(c.connections)) {
      if (c.port_directions?.[port] !== 'input') continue;
      if (c.type === '$dff' && port === 'CLK') continue;
      if (bits.includes(clockBit)) return { problem: `the clock ${clock} drives logic (${cn}, a ${c.type}), not only registers`, registerBits, outputBits: 0 };
    }
  }
  // iterative depth-first evaluation with loop detection
  const onStack = new Set<number>();
  const inputsOf = (d: { cell: string; port: string; index: number }): (number | string)[] => {
    const c = m.cells[d.cell];
    if (c.type === '$dff') return [c.connections.D[d.index]];
    return Object.entries(c.connections).flatMap(([p, bits]) => (c.port_directions?.[p] === 'input' ? [...bits] : []));
  };
  const resolve = (root: number): string | null => {
    const todo: number[] = [root];
    while (todo.length > 0) {
      const b = todo[todo.length - 1];
      if (stage.has(b)) {
        todo.pop();
        onStack.delete(b);
        continue;
      }
      const d = driver.get(b);
      if (!d) return `${bitName(b)} has no driver`;
      const ins = inputsOf(d).filter((x): x is number => typeof x === 'number');
      const open = ins.filter((x) => !stage.has(x));
      if (open.length > 0) {
        if (onStack.has(b)) {
          // every input pushed before came back: only a loop leaves one open
          return `${bitName(b)} lies on a loop (through ${m.cells[d.cell].type} ${d.cell})`;
        }
        onStack.add(b);
        for (const x of open) {
          if (onStack.has(x)) return `${bitName(x)} lies on a loop (through ${m.cells[d.cell].type} ${d.cell})`;
          todo.push(x);
        }
        continue;
      }
      const c = m.cells[d.cell];
      const seen = ins.map((x) => stage.get(x) as number | null).filter((x): x is number => x !== null);
      let s: number | null;
      if (seen.length === 0) s = null;
      else {
        const lo = Math.min(...seen);
        const hi = Math.max(...seen);
        if (lo !== hi) {
          const a = ins.find((x) => stage.get(x) === lo) as number;
          const z = ins.find((x) => stage.get(x) === hi) as number;
          return `${c.type} ${d.cell} combines ${bitName(a)} (${lo} register${lo === 1 ? '' : 's'} from the inputs) with ${bitName(z)} (${hi}): a stage register is missing or extra on one path`;
        }
        s = lo;
      }
      stage.set(b, c.type === '$dff' && s !== null ? s + 1 : s);
      onStack.delete(b);
      todo.pop();
    }
    return null;
  };
  let outputBits = 0;
  for (const [n, p] of Object.entries(m.ports)) {
    if (p.direction !== 'output') continue;
    for (const [i, b] of p.bits.entries()) {
      if (typeof b !== 'number') continue;
      const why = resolve(b);
      if (why !== null) return { problem: why, registerBits, outputBits };
      const s = stage.get(b) ?? null;
      if (s !== null && s !== stages) return { problem: `output ${n}[${i}] is ${s} register${s === 1 ? '' : 's'} from the inputs, not ${stages}`, registerBits, outputBits };
      outputBits++;
    }
  }
  if (outputBits === 0) return { problem: `${top} has no output bit driven by logic`, registerBits, outputBits };
  return { problem: null, registerBits, outputBits };
}
