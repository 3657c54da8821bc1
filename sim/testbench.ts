/**
 * Self-checking testbenches for a user's own simulator: per unit a plain Verilog-2005 module
 * `tb_<top>` and two hex files of golden vectors (`<top>.in.hex`, `<top>.out.hex`, one vector per
 * line, every input (output) port concatenated in manifest order, the first port in the top bits).
 * The vectors are the bench's own: the first N of `make sim`'s plan (exhaustive tables, directed
 * corners, then random), with the golden model's outputs. The testbench applies each vector, waits
 * one time unit, compares every output, prints the first mismatches with their vector number and
 * ends with one line: `PASS <n> vectors` or `FAIL <m> of <n> vectors differ`.
 */
import type { Manifest, ManifestUnit } from '../generator/manifest.js';
import { familyOf } from '../generator/units/index.js';
import { outputDelay } from '../generator/units/unit.js';
import { recordLayout, wordsToBigInt, type PortSlot, type RecordLayout } from './layout.js';
import { BENCHES } from './units/index.js';

export interface TestbenchFile {
  readonly name: string;
  readonly text: string;
}

/** The first mismatches a testbench prints before it only counts. */
export const TB_REPORTED = 10;

function hexOf(value: bigint, width: number): string {
  return value.toString(16).padStart(Math.ceil(width / 4), '0');
}

function concat(words: Uint32Array, off: number, slots: readonly PortSlot[]): bigint {
  let v = 0n;
  for (const s of slots) v = (v << BigInt(s.width)) | wordsToBigInt(words, off + s.offset, s.width);
  return v;
}

function decl(dir: string, width: number, name: string): string {
  return `  ${dir} ${width > 1 ? `[${width - 1}:0] ` : ''}${name};`;
}

/** The testbench module of one unit, for n vectors. */
export function testbenchModule(u: ManifestUnit, n: number, opts: { readonly vcd?: string; readonly delay?: number } = {}): string {
  const clock = recordLayout(u.ports).clock;
  // a pipeline shows vector i's outputs D edges after the one it was clocked in at
  const D = opts.delay ?? 0;
  if (D > 0 && !clock) throw new Error(`${u.top}: a combinational unit has no output delay`);
  const ins = u.ports.filter((p) => p.dir === 'input' && p.name !== clock);
  const outs = u.ports.filter((p) => p.dir === 'output');
  const wi = ins.reduce((s, p) => s + p.width, 0);
  const wo = outs.reduce((s, p) => s + p.width, 0);
  const tb = `tb_${u.top}`;
  return [
    `// ${tb}: self-checking testbench of ${u.top}, written by mxrtl from the golden model's vectors.`,
    `// Reads ${u.top}.in.hex and ${u.top}.out.hex (${n} vectors, one per line: the inputs ${ins.map((p) => p.name).join(', ')}`,
    `// concatenated, first port in the top bits; the outputs ${outs.map((p) => p.name).join(', ')} likewise) from the folder it runs in.`,
    ...(clock ? [`// Clocked: one vector per cycle of ${clock}; the outputs are compared just after its rising edge${D > 0 ? `, ${D} edge${D > 1 ? 's' : ''} after the vector's own (a pipeline: the last vector is held while it drains)` : ''}.`] : []),
    '// Plain Verilog-2005: iverilog -o tb <this file> <the unit\'s files> && vvp tb, or verilator --binary --timing.',
    `module ${tb};`,
    `  localparam N = ${n};`,
    `  reg [${wi - 1}:0] vin [0:N-1];`,
    `  reg [${wo - 1}:0] vout [0:N-1];`,
    ...(clock ? [`  reg ${clock};`] : []),
    ...ins.map((p) => decl('reg', p.width, p.name)),
    ...outs.map((p) => decl('wire', p.width, p.name)),
    `  wire [${wo - 1}:0] got = {${outs.map((p) => p.name).join(', ')}};`,
    '  integer i;',
    '  integer bad;',
    `  ${u.top} dut (${u.ports.map((p) => `.${p.name}(${p.name})`).join(', ')});`,
    '  initial begin',
    ...(opts.vcd ? [`    $dumpfile("${opts.vcd}");`, `    $dumpvars(0, ${tb});`] : []),
    `    $readmemh("${u.top}.in.hex", vin);`,
    `    $readmemh("${u.top}.out.hex", vout);`,
    '    bad = 0;',
    ...(clock ? [`    ${clock} = 1'b0;`] : []),
    ...(D > 0
      ? [
          `    for (i = 0; i < N + ${D}; i = i + 1) begin`,
          `      {${ins.map((p) => p.name).join(', ')}} = vin[i < N ? i : N - 1];`,
          '      #1;',
          `      ${clock} = 1'b1;`,
          '      #1;',
          `      ${clock} = 1'b0;`,
          `      if (i >= ${D} && got !== vout[i - ${D}]) begin`,
          `        if (bad < ${TB_REPORTED}) $display("MISMATCH vector %0d: inputs %h, expected %h, got %h", i - ${D}, vin[i - ${D}], vout[i - ${D}], got);`,
          '        bad = bad + 1;',
          '      end',
          '    end',
        ]
      : [
          '    for (i = 0; i < N; i = i + 1) begin',
          `      {${ins.map((p) => p.name).join(', ')}} = vin[i];`,
          // a clocked unit: one vector per cycle, the outputs compared after the rising edge
          ...(clock ? ['      #1;', `      ${clock} = 1'b1;`, '      #1;', `      ${clock} = 1'b0;`] : ['      #1;']),
          '      if (got !== vout[i]) begin',
          `        if (bad < ${TB_REPORTED}) $display("MISMATCH vector %0d: inputs %h, expected %h, got %h", i, vin[i], vout[i], got);`,
          '        bad = bad + 1;',
          '      end',
          '    end',
        ]),
    `    if (bad == 0) $display("${tb}: PASS %0d vectors", N);`,
    `    else $display("${tb}: FAIL %0d of %0d vectors differ", bad, N);`,
    '    $finish;',
    '  end',
    'endmodule',
    '',
  ].join('\n');
}

/** Hex lines of n records: inputs and expected outputs, ports concatenated in layout order. */
export function vectorLines(layout: RecordLayout, input: Uint32Array, expected: Uint32Array, n: number): { inputs: string[]; outputs: string[] } {
  const wi = layout.inputs.reduce((s, p) => s + p.width, 0);
  const wo = layout.outputs.reduce((s, p) => s + p.width, 0);
  const inputs: string[] = [];
  const outputs: string[] = [];
  for (let v = 0; v < n; v++) {
    inputs.push(hexOf(concat(input, v * layout.inWords, layout.inputs), wi));
    outputs.push(hexOf(concat(expected, v * layout.outWords, layout.outputs), wo));
  }
  return { inputs, outputs };
}

/** Testbench and vector files of every unit of a manifest, `vectors` per unit at most (the plan's first ones). */
export function testbenchFiles(m: Manifest, vectors: number, seed: number): TestbenchFile[] {
  const out: TestbenchFile[] = [];
  for (const u of m.units) {
    const family = familyOf(u.family);
    if (!family) throw new Error(`unit ${u.top}: unknown family '${u.family}'`);
    const params = family.fromParameters(u.parameters);
    const layout = recordLayout(u.ports, outputDelay(family, params));
    const bench = BENCHES[family.name].open(params, layout);
    const plan = bench.plan({ vectors, seed, batchSize: Math.min(8192, vectors) });
    const inLines: string[] = [];
    const outLines: string[] = [];
    for (let b = plan.next(); b !== null && inLines.length < vectors; b = plan.next()) {
      const take = Math.min(b.count, vectors - inLines.length);
      const lines = vectorLines(layout, b.input, b.expected, take);
      inLines.push(...lines.inputs);
      outLines.push(...lines.outputs);
      b.recycle?.();
    }
    if (inLines.length === 0) throw new Error(`unit ${u.top}: the bench gave no vectors`);
    out.push({ name: `tb_${u.top}.v`, text: testbenchModule(u, inLines.length, { delay: layout.delay }) });
    out.push({ name: `${u.top}.in.hex`, text: inLines.join('\n') + '\n' });
    out.push({ name: `${u.top}.out.hex`, text: outLines.join('\n') + '\n' });
  }
  return out;
}
