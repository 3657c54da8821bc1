/**
 * The proof obligations of each unit kind, with their references built from the golden model.
 *
 * mul_e2m1           table     prod = MUL_E2M1_TABLE[a, b] for all 256 code pairs
 * dequant_e2m1_e8m0  lanes     every lane = dequantE2M1E8M0(element, scale), all 16 x 256 pairs per lane
 * dot_e2m1_e8m0      products  prod_i = MUL_E2M1_TABLE[a_i, b_i] for every lane
 *                    tree      with prod_* cut: sum = sum_i prod_i for every prod_i in the product set
 *                    exponent  any_nan and sum_exp as the golden model derives them from the scales
 *                    round     with sum, sum_exp, any_nan cut: result = the golden tail, every point
 *
 * Everything here is computed from src/ and from the wire names and widths Yosys reports for the
 * generated file; nothing is copied from the generator.
 */
import { dequantE2M1E8M0 } from '../src/dequant.js';
import { E8M0_BIAS, E8M0_NAN, MUL_E2M1_TABLE, MUL_E2M1_WIDTH, checkDotTail, productLsbExp, productValues } from './golden.js';
import { NO_ASSUMPTION, miterScripts, type DutPrep, type FreeInput, type Miter } from './harness.js';
import type { ObligationSpec, PortInfo, UnitRef, WorkFile } from './spec.js';
import { hexLit, sext, signedBits, tableModule } from './verilog.js';

/** What Yosys reports about a generated module (see tasks.ts `inspect`). */
export interface UnitShape {
  readonly ports: readonly PortInfo[];
  /** every named wire (ports included) and its width */
  readonly wires: Readonly<Record<string, number>>;
}

/** The unit cannot be proven as generated (a missing wire, a port of the wrong width). */
export class PlanError extends Error {
  override readonly name = 'PlanError';
}

/** An obligation that cannot be set up for this RTL (a missing wire, a width that cannot hold the range). */
export interface Unplannable {
  readonly id: string;
  readonly error: string;
}

export type Planned = ObligationSpec | Unplannable;

export interface Recipe {
  /** obligation parts for a block of k lanes, in report order */
  parts(k: number): string[];
  /** throws PlanError when no obligation of the unit can be set up */
  plan(u: UnitRef, shape: UnitShape): Planned[];
}

/**
 * The proofs model two-valued logic (no x or z). A generated file must not contain x or z
 * constants or `casex`; returns what was found, or null.
 */
export function fourValuedConstruct(verilog: string): string | null {
  const code = verilog.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/\/\/.*$/gm, '');
  const lit = /\d*'[sS]?(?:[bBoOhH][0-9a-fA-F_?xXzZ]*[xXzZ][0-9a-fA-F_?xXzZ]*|[dD][xXzZ])/.exec(code);
  if (lit) return `the literal ${lit[0]}`;
  if (/\bcasex\b/.test(code)) return 'a casex statement';
  return null;
}

function requirePorts(u: UnitRef, shape: UnitShape, want: readonly PortInfo[]): void {
  for (const p of want) {
    const have = shape.ports.find((x) => x.name === p.name);
    if (!have) throw new PlanError(`${u.top} has no ${p.dir} port '${p.name}'`);
    if (have.dir !== p.dir || have.width !== p.width) throw new PlanError(`${u.top}: port '${p.name}' is ${have.dir} [${have.width}], expected ${p.dir} [${p.width}]`);
  }
  for (const p of shape.ports) {
    if (!want.some((w) => w.name === p.name)) throw new PlanError(`${u.top} has an unexpected port '${p.name}'`);
  }
}

function wireWidth(u: UnitRef, shape: UnitShape, name: string, why: string): number {
  const w = shape.wires[name];
  if (w === undefined) throw new PlanError(`${u.top} has no wire '${name}' (${why})`);
  return w;
}

const MUL_REF_NOTE = [
  'Reference from the golden model: MUL_E2M1_TABLE (src/mul.ts), i.e. mulE2M1(a, b) for all 256 code',
  'pairs: a*b as a 9-bit two\'s complement integer in units of 2^-2. Input {a, b}.',
];

function mulTable(): WorkFile {
  return { name: 'ref_mul_e2m1.v', text: tableModule('ref_mul_e2m1', MUL_REF_NOTE, 'ab', 8, 'prod', MUL_E2M1_WIDTH, Array.from(MUL_E2M1_TABLE)) };
}

function idOf(u: UnitRef, part: string): string {
  return `${u.kind}.${part}`;
}

// ---------------------------------------------------------------------------------------------
// mul_e2m1

export const mulRecipe: Recipe = {
  parts: () => ['table'],
  plan(u, shape) {
    requirePorts(u, shape, [
      { name: 'a', dir: 'input', width: 4 },
      { name: 'b', dir: 'input', width: 4 },
      { name: 'prod', dir: 'output', width: MUL_E2M1_WIDTH },
    ]);
    const id = idOf(u, 'table');
    const title = 'prod = MUL_E2M1_TABLE[a, b] for all 256 code pairs (full truth table)';
    const m: Miter = {
      id,
      about: ['gold: the golden truth table; gate: the generated multiplier. No assumption.'],
      inputs: [
        { name: 'a', width: 4 },
        { name: 'b', width: 4 },
      ],
      dutWires: [{ name: 'dut_prod', width: MUL_E2M1_WIDTH }],
      dutConnections: [
        { port: 'a', expr: 'a' },
        { port: 'b', expr: 'b' },
        { port: 'prod', expr: 'dut_prod' },
      ],
      gold: ['ref_mul_e2m1 u_ref (.ab({a, b}), .prod(gold_y));'],
      gate: 'dut_prod',
      ok: NO_ASSUMPTION,
      width: MUL_E2M1_WIDTH,
    };
    const prep: DutPrep = { rtlFile: u.file, top: u.top, cuts: [], observes: [] };
    const s = miterScripts('sat', m, title, prep, mulTable());
    return [
      {
        id,
        unit: u,
        title,
        statement: [
          'For every a, b (4-bit E2M1 codes): prod = MUL_E2M1_TABLE[(a << 4) | b].',
          'The reference is the golden model\'s complete truth table; the SAT proof covers all 2^8 inputs.',
        ],
        method: 'sat',
        scriptFile: s.scriptFile,
        script: s.script,
        files: s.files,
        weight: 1,
      },
    ];
  },
};

// ---------------------------------------------------------------------------------------------
// dequant_e2m1_e8m0

function dequantRefs(): WorkFile {
  const parts: string[] = [];
  for (let e = 0; e < 16; e++) {
    const rows: number[] = [];
    for (let s = 0; s < 256; s++) rows.push(dequantE2M1E8M0(e, s) >>> 0);
    parts.push(
      tableModule(
        `ref_dequant_row_${e}`,
        [`Reference from the golden model: dequantE2M1E8M0(${e}, s) (src/dequant.ts) for every scale code s.`],
        's',
        8,
        'r',
        32,
        rows,
      ),
    );
  }
  const pick = [
    '// One lane of the reference: the row of the lane\'s element code. With the 16 rows above this is the',
    '// complete 16 x 256 truth table of dequantE2M1E8M0, shared by every lane.',
    'module ref_dequant_pick (',
    '  input  wire [3:0] e,',
    '  input  wire [511:0] rows,',
    '  output reg  [31:0] r',
    ');',
    '  always @* begin',
    '    case (e)',
    ...Array.from({ length: 16 }, (_, e) => `      4'h${e.toString(16)}: r = rows[${32 * e + 31}:${32 * e}];`),
    "      default: r = 32'h0;",
    '    endcase',
    '  end',
    'endmodule',
    '',
  ];
  return { name: 'ref_dequant_e2m1_e8m0.v', text: [...parts, ...pick].join('\n') };
}

/** Lanes per dequantizer obligation: the proof of a group sees only that group's logic. */
export const DEQUANT_LANE_GROUP = 32;

function laneGroups(k: number): { part: string; lo: number; hi: number }[] {
  if (k <= DEQUANT_LANE_GROUP) return [{ part: 'lanes', lo: 0, hi: k - 1 }];
  const out: { part: string; lo: number; hi: number }[] = [];
  for (let lo = 0; lo < k; lo += DEQUANT_LANE_GROUP) {
    const hi = Math.min(k, lo + DEQUANT_LANE_GROUP) - 1;
    out.push({ part: `lanes_${lo}_${hi}`, lo, hi });
  }
  return out;
}

/** First lane an obligation of the dequantizer covers (from its part name). */
export function laneOffset(part: string): number {
  const m = /^lanes_(\d+)_\d+$/.exec(part);
  return m ? Number(m[1]) : 0;
}

export const dequantRecipe: Recipe = {
  parts: (k) => laneGroups(k).map((g) => g.part),
  plan(u, shape) {
    const k = u.k;
    requirePorts(u, shape, [
      { name: 'elems', dir: 'input', width: 4 * k },
      { name: 'scale', dir: 'input', width: 8 },
      { name: 'result', dir: 'output', width: 32 * k },
    ]);
    const ref = dequantRefs();
    return laneGroups(k).map(({ part, lo, hi }) => {
      const id = idOf(u, part);
      const n = hi - lo + 1;
      const lanesText = n === k ? `every lane (k = ${k})` : `lanes ${lo} .. ${hi} (of k = ${k})`;
      const title = `result lane i = dequantE2M1E8M0(elems lane i, scale) for ${lanesText} and every input`;
      const gold = [`wire [511:0] rows;`];
      for (let e = 0; e < 16; e++) gold.push(`ref_dequant_row_${e} u_row_${e} (.s(scale), .r(rows[${32 * e + 31}:${32 * e}]));`);
      for (let i = lo; i <= hi; i++) {
        gold.push(`ref_dequant_pick u_lane_${i} (.e(elems[${4 * i + 3}:${4 * i}]), .rows(rows), .r(gold_y[${32 * (i - lo) + 31}:${32 * (i - lo)}]));`);
      }
      const m: Miter = {
        id,
        about: [`gold: the golden lane truth table for lanes ${lo} .. ${hi}; gate: those lanes of the generated dequantizer. No assumption.`],
        inputs: [
          { name: 'elems', width: 4 * k },
          { name: 'scale', width: 8 },
        ],
        dutWires: [{ name: 'dut_result', width: 32 * k }],
        dutConnections: [
          { port: 'elems', expr: 'elems' },
          { port: 'scale', expr: 'scale' },
          { port: 'result', expr: 'dut_result' },
        ],
        gold,
        gate: n === k ? 'dut_result' : `dut_result[${32 * hi + 31}:${32 * lo}]`,
        ok: NO_ASSUMPTION,
        width: 32 * n,
      };
      const prep: DutPrep = { rtlFile: u.file, top: u.top, cuts: [], observes: [] };
      const s = miterScripts('equiv', m, title, prep, ref);
      return {
        id,
        unit: u,
        title,
        statement: [
          `For every elems (${4 * k} bits, all lanes free) and scale (8 bits): result[32i+31:32i] = dequantE2M1E8M0(elems[4i+3:4i], scale), i = ${lo} .. ${hi}.`,
          'The reference is the golden model\'s complete lane truth table (16 element codes x 256 scale codes).',
          `One SAT problem per output bit (${32 * n} bits), each over all inputs of the block.`,
        ],
        method: 'equiv',
        scriptFile: s.scriptFile,
        script: s.script,
        files: s.files,
        cexSearch: s.cex,
        weight: 2 + n / 4,
      };
    });
  },
};

// ---------------------------------------------------------------------------------------------
// dot_e2m1_e8m0

/**
 * The reference sum of the tree obligation: a balanced tree over prod_0 .. prod_{k-1} in index
 * order (neighbours pairwise, an odd term passed up), every node `width` bits wide, which no
 * partial sum can overflow. Its value is the integer sum of the terms in any order.
 */
function referenceTree(k: number, termWidth: number, width: number): string[] {
  const lines: string[] = [];
  let level = Array.from({ length: k }, (_, i) => sext(`prod_${i}`, termWidth, width));
  let depth = 0;
  while (level.length > 1) {
    depth++;
    const next: string[] = [];
    for (let i = 0; i < level.length; i += 2) {
      if (i + 1 === level.length) {
        next.push(level[i]);
        continue;
      }
      const name = `ref_t${depth}_${i / 2}`;
      lines.push(`wire [${width - 1}:0] ${name} = ${level[i]} + ${level[i + 1]};`);
      next.push(name);
    }
    level = next;
  }
  lines.push(`assign gold_y = ${level[0]};`);
  return lines;
}

export const dotRecipe: Recipe = {
  parts: () => ['products', 'tree', 'exponent', 'round'],
  plan(u, shape) {
    const k = u.k;
    const unitPorts: PortInfo[] = [
      { name: 'a', dir: 'input', width: 4 * k },
      { name: 'b', dir: 'input', width: 4 * k },
      { name: 'scale_a', dir: 'input', width: 8 },
      { name: 'scale_b', dir: 'input', width: 8 },
      { name: 'result', dir: 'output', width: 32 },
    ];
    requirePorts(u, shape, unitPorts);
    const problem = checkDotTail(k, 4000);
    if (problem !== null) throw new PlanError(`the golden dot product no longer decomposes as the proof assumes: ${problem}`);
    const lsb = productLsbExp();
    const { values: P, max: pmax } = productValues();
    const sumMax = pmax * k;
    const prodNames = Array.from({ length: k }, (_, i) => `prod_${i}`);
    const prodWidth = (): number => {
      const wp = wireWidth(u, shape, 'prod_0', 'the lane products are cut there');
      for (const n of prodNames) {
        const w = wireWidth(u, shape, n, 'the lane products are cut there');
        if (w !== wp) throw new PlanError(`${u.top}: ${n} is ${w} bits, prod_0 is ${wp}`);
      }
      if (signedBits(-pmax, pmax) > wp) throw new PlanError(`${u.top}: the lane products are ${wp} bits, too narrow for +-${pmax}`);
      return wp;
    };
    const sumWidth = (): number => wireWidth(u, shape, 'sum', 'the exact sum is cut there');
    const expWidth = (): number => wireWidth(u, shape, 'sum_exp', 'the exponent of the sum is cut there');
    const checkNan = (): void => {
      const wn = wireWidth(u, shape, 'any_nan', 'the NaN flag is cut there');
      if (wn !== 1) throw new PlanError(`${u.top}: any_nan is ${wn} bits, expected 1`);
    };
    const unitInputs: FreeInput[] = [
      { name: 'a', width: 4 * k },
      { name: 'b', width: 4 * k },
      { name: 'scale_a', width: 8 },
      { name: 'scale_b', width: 8 },
    ];
    const unitConnections = unitInputs.map((i) => ({ port: i.name, expr: i.name }));
    const out: Planned[] = [];
    const part = (name: string, make: () => ObligationSpec): void => {
      try {
        out.push(make());
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        out.push({ id: idOf(u, name), error: e.message });
      }
    };

    // products: prod_i = MUL_E2M1_TABLE[a_i, b_i]
    part('products', () => {
      const id = idOf(u, 'products');
      const wp = prodWidth();
      const cw = Math.max(wp, MUL_E2M1_WIDTH);
      const gold = [`wire [${MUL_E2M1_WIDTH - 1}:0] ${prodNames.map((_, i) => `ref_p_${i}`).join(', ')};`];
      for (let i = 0; i < k; i++) gold.push(`ref_mul_e2m1 u_ref_${i} (.ab({a[${4 * i + 3}:${4 * i}], b[${4 * i + 3}:${4 * i}]}), .prod(ref_p_${i}));`);
      gold.push(`assign gold_y = {${prodNames.map((_, i) => sext(`ref_p_${i}`, MUL_E2M1_WIDTH, cw)).reverse().join(', ')}};`);
      const m: Miter = {
        id,
        about: ['gold: the golden product table per lane; gate: the generated prod_i wires (observed). No assumption.'],
        inputs: unitInputs,
        dutWires: prodNames.map((n) => ({ name: `dut_${n}`, width: wp })),
        dutConnections: [...unitConnections, ...prodNames.map((n) => ({ port: n, expr: `dut_${n}` }))],
        gold,
        gate: `{${prodNames.map((n) => sext(`dut_${n}`, wp, cw)).reverse().join(', ')}}`,
        ok: NO_ASSUMPTION,
        width: cw * k,
      };
      const title = `prod_i = MUL_E2M1_TABLE[a_i, b_i] for every lane (k = ${k}) and every input`;
      const s = miterScripts('equiv', m, title, { rtlFile: u.file, top: u.top, cuts: [], observes: prodNames }, mulTable());
      return {
        id,
        unit: u,
        title,
        statement: [
          `For every a, b, scale_a, scale_b: prod_i = MUL_E2M1_TABLE[(a_i << 4) | b_i] for i = 0 .. ${k - 1} (prod_i observed, nothing cut).`,
          'The reference is the golden model\'s complete product truth table, one copy per lane.',
        ],
        method: 'equiv',
        scriptFile: s.scriptFile,
        script: s.script,
        files: s.files,
        cexSearch: s.cex,
        weight: 2 + k / 8,
      };
    });

    // tree: with prod_* cut, sum = sum of the prod_i
    part('tree', () => {
      const id = idOf(u, 'tree');
      const wp = prodWidth();
      const ws = sumWidth();
      const width = Math.max(signedBits(-sumMax, sumMax), ws);
      for (const v of P) if (signedBits(v, v) > wp) throw new PlanError(`product value ${v} does not fit prod_i (${wp} bits)`);
      const member = (n: string): string => `(${P.map((v) => `${n} == ${hexLit(wp, v)}`).join(' || ')})`;
      const m: Miter = {
        id,
        about: [
          'gold: sum of the cut products, a balanced tree in index order at full width (no partial sum can overflow);',
          'gate: the generated sum with prod_* cut to free inputs. Assumption: every prod_i is a value of',
          `MUL_E2M1_TABLE (${P.length} values, ${-pmax} .. ${pmax}), which the products obligation guarantees.`,
        ],
        inputs: [...unitInputs, ...prodNames.map((n) => ({ name: n, width: wp }))],
        dutWires: [{ name: 'dut_sum', width: ws }],
        dutConnections: [...unitConnections, ...prodNames.map((n) => ({ port: n, expr: n })), { port: 'sum', expr: 'dut_sum' }],
        gold: referenceTree(k, wp, width),
        gate: sext('dut_sum', ws, width),
        ok: prodNames.map(member).join(' && '),
        width,
      };
      const title = `with prod_* cut: sum = prod_0 + ... + prod_${k - 1} exactly, for every product value`;
      const s = miterScripts('sat', m, title, { rtlFile: u.file, top: u.top, cuts: prodNames, observes: ['sum'] }, null);
      return {
        id,
        unit: u,
        title,
        statement: [
          `prod_0 .. prod_${k - 1} are cut: free inputs, the generated logic that drove them disconnected.`,
          `For every a, b, scale_a, scale_b and every prod_i in the value set of MUL_E2M1_TABLE: sum (read as ${ws}-bit two's complement) = the integer sum of the prod_i.`,
          `The reference adds at ${width} bits, where no partial sum (|.| <= ${sumMax}) can overflow, so it is the exact integer sum whatever the order of the additions.`,
        ],
        method: 'sat',
        scriptFile: s.scriptFile,
        script: s.script,
        files: s.files,
        weight: 1 + k / 16,
      };
    });

    // exponent: any_nan and sum_exp from the scales
    const expLo = 0 + 0 - 2 * E8M0_BIAS + lsb;
    const expHi = 2 * (E8M0_NAN - 1) - 2 * E8M0_BIAS + lsb;
    part('exponent', () => {
      const id = idOf(u, 'exponent');
      const we = expWidth();
      checkNan();
      const ew = Math.max(signedBits(expLo, expHi) + 1, we);
      const gold = [
        `wire ref_nan = scale_a == ${hexLit(8, E8M0_NAN)} || scale_b == ${hexLit(8, E8M0_NAN)};`,
        `wire [${ew - 1}:0] ref_exp = {${ew - 8}'b0, scale_a} + {${ew - 8}'b0, scale_b} + ${hexLit(ew, -2 * E8M0_BIAS + lsb)};`,
        `assign gold_y = {ref_nan, ref_nan ? ${ew}'h0 : ref_exp};`,
      ];
      const m: Miter = {
        id,
        about: [
          `gold: NaN when a scale is 0x${E8M0_NAN.toString(16)}; else the exponent of the sum's unit, scale_a + scale_b - 2*${E8M0_BIAS} + (${lsb}),`,
          `as src/dot.ts dotE2M1E8M0 computes it (E8M0_NAN, E8M0_BIAS from src/formats/e8m0.ts; ${lsb} = the product LSB`,
          'exponent of MUL_E2M1_TABLE, checked on all 256 products). gate: any_nan and sum_exp (observed). No assumption.',
        ],
        inputs: unitInputs,
        dutWires: [
          { name: 'dut_nan', width: 1 },
          { name: 'dut_exp', width: we },
        ],
        dutConnections: [...unitConnections, { port: 'any_nan', expr: 'dut_nan' }, { port: 'sum_exp', expr: 'dut_exp' }],
        gold,
        gate: `{dut_nan, dut_nan ? ${ew}'h0 : ${sext('dut_exp', we, ew)}}`,
        ok: NO_ASSUMPTION,
        width: ew + 1,
      };
      const title = `any_nan = (scale_a or scale_b is NaN); otherwise sum_exp = scale_a + scale_b - ${2 * E8M0_BIAS - lsb}`;
      const s = miterScripts('sat', m, title, { rtlFile: u.file, top: u.top, cuts: [], observes: ['any_nan', 'sum_exp'] }, null);
      return {
        id,
        unit: u,
        title,
        statement: [
          `For every a, b, scale_a, scale_b: any_nan = (scale_a == 0x${E8M0_NAN.toString(16)} || scale_b == 0x${E8M0_NAN.toString(16)}), and when any_nan = 0,`,
          `sum_exp (read as ${we}-bit two's complement) = scale_a + scale_b - ${2 * E8M0_BIAS} + (${lsb}), which lies in ${expLo} .. ${expHi}.`,
        ],
        method: 'sat',
        scriptFile: s.scriptFile,
        script: s.script,
        files: s.files,
        weight: 1,
      };
    });

    // round: with sum, sum_exp, any_nan cut, every point of the stage's input space
    part('round', () => {
      const id = idOf(u, 'round');
      const ws = sumWidth();
      const we = expWidth();
      checkNan();
      const cuts = ['sum', 'sum_exp', 'any_nan'];
      if (signedBits(-sumMax, sumMax) > ws) throw new PlanError(`${u.top}: sum is ${ws} bits, too narrow for +-${sumMax}`);
      if (signedBits(expLo, expHi) > we) throw new PlanError(`${u.top}: sum_exp is ${we} bits, too narrow for ${expLo} .. ${expHi}`);
      const title = 'with sum, sum_exp, any_nan cut: result = the golden rounding of the sum, at every point of the stage\'s input space';
      const script = [
        `# mxrtl formal: ${id}`,
        `# ${title}`,
        '# Writes the netlist of the normalize-and-round stage as an and-inverter graph; mxrtl then evaluates it',
        '# on every point of its input space and compares each result with the golden model.',
        `read_verilog ${u.file}`,
        `hierarchy -top ${u.top}`,
        `rename ${u.top} dut`,
        'proc',
        '# every cut wire exists under its name',
        `select -assert-count ${cuts.length} ${cuts.map((w) => `dut/w:${w}`).join(' ')}`,
        '# cut points: each wire becomes a free input, its driver disconnected',
        `expose -input ${cuts.map((w) => `dut/w:${w}`).join(' ')}`,
        'flatten',
        'memory',
        'opt -full',
        'wreduce',
        'opt_clean',
        'techmap',
        'opt -fast',
        'aigmap',
        'opt_clean',
        `write_aiger -ascii -map ${id}.map ${id}.aag`,
        '',
      ].join('\n');
      return {
        id,
        unit: u,
        title,
        statement: [
          'sum, sum_exp and any_nan are cut: free inputs, the generated logic that drove them disconnected; result must depend on nothing else (checked on the netlist).',
          `For every sum s in ${-sumMax} .. ${sumMax}, and every (any_nan, sum_exp) with any_nan = 0 and sum_exp in ${expLo} .. ${expHi} or any_nan = 1 and any sum_exp:`,
          '  result = 0x7fc00000 if any_nan, else +0 if s = 0, else roundToFp32(s < 0, |s|, sum_exp)  (src/fp32.ts, the golden model\'s one rounding step),',
          '  which is how src/dot.ts dotE2M1E8M0 finishes once it has the exact sum (checked against dotE2M1E8M0 on 4000 blocks before planning).',
          `Method: exhaustive. Yosys maps the cut stage to an and-inverter graph; all ${((2 * sumMax + 1) * (expHi - expLo + 1 + 2 ** we)).toLocaleString('en-US')} points are evaluated and compared with roundToFp32.`,
          'Why exhaustive rather than SAT against a table: the stage has too many inputs for one truth table, but few enough to enumerate,',
          'so the reference is the golden rounding itself at every point; no second, hand-written rounder has to be trusted.',
        ],
        method: 'exhaustive',
        scriptFile: `${id}.ys`,
        script,
        files: [],
        roundSpace: { aagFile: `${id}.aag`, mapFile: `${id}.map`, sumMax, expLo, expHi, sumWire: 'sum', expWire: 'sum_exp', nanWire: 'any_nan', resultPort: 'result' },
        weight: 2 + k / 16,
      };
    });
    return out;
  },
};

export const RECIPES: Readonly<Record<string, Recipe>> = {
  mul_e2m1: mulRecipe,
  dequant_e2m1_e8m0: dequantRecipe,
  dot_e2m1_e8m0: dotRecipe,
};
