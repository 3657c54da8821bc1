/**
 * mac_array: the array is proven as parts that compose.
 *
 * - dot.*, add.*: the PE's dot product module and the FP32 adder, each proven on its whole input
 *   space by its own recipe (the same obligations as the dot and add units).
 * - pe: the PE one clock step at a time. Its wiring first (one dot instance on a, b and the scales
 *   driving block_dot; one adder on acc and block_dot driving acc_sum); then, with block_dot and
 *   acc_sum cut and the registers turned into ports, for every present state (acc, result) and
 *   every input, by SAT: the next state is the step of the golden cycle model (src/mac.ts):
 *   reset -> +0; en -> acc = first ? block_dot : acc_sum; en & last -> result = that; else held;
 *   and the result port is the result register.
 * - array: the array's wiring (R x C PE instances, PE (r, c) on A-block r, B-block c, their scales,
 *   the shared control, and result bits [32(C r + c) + 31 : 32(C r + c)]), then one step of
 *   out_valid: reset -> 0, else in_valid & last.
 */
import { FP32, floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { addFamily, addModuleName } from '../../generator/units/add.js';
import { dotFamily, dotModuleName } from '../../generator/units/dot.js';
import { MAC_PORTS, PE_FP32_READOUT, PE_FUSED_CUTS, PE_PORTS, PE_STAGE_REGS, isFusedAccum, macFamily, peFusedParams, peModuleName } from '../../generator/units/mac.js';
import { FUSED_PORTS, fusedFamily, fusedModuleName } from '../../generator/units/fused.js';
import { FUSED_SHAPES } from '../../src/fused.js';
import { fusedRecipe } from './fused.js';
import { ADD_PORTS } from '../../generator/units/add.js';
import { DOT_PORTS } from '../../generator/units/dot.js';
import type { FreeInput } from '../harness.js';
import type { UnitRef } from '../spec.js';
import { adopt, esc, evertedConnections, field, stepObligation } from './step.js';
import { exactCoverage, exactParts, planExactPe } from './mac-exact.js';
import { retimeObligation } from './retime.js';
import { fp32Readout, FP32_READOUT_PARTS } from './mac-readout.js';
import { addRecipe } from './add.js';
import { dotRecipe } from './dot.js';
import { planPart, portsOf, requirePorts, type ModuleShape, type Planned, type Recipe } from './common.js';

const W = 32;

function subUnits(u: UnitRef, shape: (m: string) => ModuleShape): { dot: UnitRef; add: UnitRef } {
  const p = macFamily.fromParameters(u.parameters);
  const dp = { a: p.a, b: p.b, scale: p.scale, out: FP32, block: p.block, adders: p.adders };
  const dotTop = dotModuleName(dp);
  const addTop = addModuleName({ format: FP32 });
  return {
    dot: { family: 'dot', top: dotTop, files: u.files, ports: portsOf(shape(dotTop)), parameters: dotFamily.generate(dp, '').parameters },
    add: { family: 'add', top: addTop, files: u.files, ports: portsOf(shape(addTop)), parameters: addFamily.generate({ format: FP32 }, '').parameters },
  };
}

export const macRecipe: Recipe = {
  parts: (u) => {
    // the sub-units' parts are known without the netlist: their recipes' part lists
    const p = macFamily.fromParameters(u.parameters);
    const retime = p.stages > 0 ? ['retime'] : [];
    if (p.accum === 'exact') return [...exactParts(u), 'array', ...retime];
    if (isFusedAccum(p.accum)) return [...fusedRecipe.parts(fusedRef(u, p)).map((x) => `fused.${x}`), 'pe', 'array'];
    const dp = { a: p.a, b: p.b, scale: p.scale, out: FP32, block: p.block, adders: p.adders };
    const dot: UnitRef = { family: 'dot', top: dotModuleName(dp), files: u.files, ports: [], parameters: dotFamily.generate(dp, '').parameters };
    const add: UnitRef = { family: 'add', top: addModuleName({ format: FP32 }), files: u.files, ports: [], parameters: {} };
    const readout = p.out !== FP32 ? FP32_READOUT_PARTS : [];
    return [...dotRecipe.parts(dot).map((x) => `dot.${x}`), ...addRecipe.parts(add).map((x) => `add.${x}`), 'pe', ...readout, 'array', ...retime];
  },
  plan(u: UnitRef, shape) {
    const p = macFamily.fromParameters(u.parameters);
    const { rows: R, cols: C, block: k } = p;
    const wa = elementBits(p.a) * k;
    const wb = elementBits(p.b) * k;
    const ws = scaleBits(p.scale);
    const pe = peModuleName(p);
    const exact = p.accum === 'exact';
    const WR = floatBits(p.out);
    // an FP32 accumulator read out in another format: the read-out's rounder is cut in the step
    const bf = !exact && p.out !== FP32;
    const RO = PE_FP32_READOUT;
    const gpu = isFusedAccum(p.accum);
    const subs = exact || gpu ? null : subUnits(u, shape);
    const out: Planned[] = gpu ? [] : subs ? [...adopt(u, 'dot', subs.dot, dotRecipe.plan(subs.dot, shape)), ...adopt(u, 'add', subs.add, addRecipe.plan(subs.add, shape))] : planExactPe(u, shape);
    const part = (name: string, make: () => Planned): void => planPart(out, u, name, make);
    if (gpu) out.push(...planFusedPe(u, p, shape));

    if (subs) part('pe', () => {
      requirePePorts(pe, shape(pe), wa, wb, ws, WR);
      const S = p.stages;
      const R0 = PE_STAGE_REGS;
      // the present values of the registers (free inputs) and their names after the eversion
      const regs: { name: string; q: string; width: number }[] = [
        { name: 'acc', q: 'acc_q', width: W },
        { name: 'result', q: 'res_q', width: WR },
        ...(S > 0
          ? [
              { name: R0.dot, q: 'dot_qq', width: W },
              { name: R0.en, q: 'en_qq', width: 1 },
              { name: R0.first, q: 'first_qq', width: 1 },
              { name: R0.last, q: 'last_qq', width: 1 },
            ]
          : []),
      ];
      const ins: FreeInput[] = [
        ...(['clk', 'reset', 'en', 'first', 'last'] as const).map((n) => ({ name: n, width: 1 })),
        { name: 'a', width: wa },
        { name: 'b', width: wb },
        { name: 'scale_a', width: ws },
        { name: 'scale_b', width: ws },
        { name: 'block_dot', width: W },
        { name: 'acc_sum', width: W },
        ...(bf ? [{ name: RO.rounded, width: WR }] : []),
        ...regs.map((r) => ({ name: r.q, width: r.width })),
      ];
      const direct = ['clk', 'reset', 'en', 'first', 'last', 'a', 'b', 'scale_a', 'scale_b', 'block_dot', 'acc_sum', ...(bf ? [RO.rounded] : [])];
      // what the accumulation stage sees: this beat (S = 0) or the registered one (S = 1)
      const [dotS, enS, firstS, lastS] = S > 0 ? ['dot_qq', 'en_qq', 'first_qq', 'last_qq'] : ['block_dot', 'en', 'first', 'last'];
      const stageGold = S > 0 ? [`reset ? ${W}'h0 : block_dot`, "reset ? 1'b0 : en", "reset ? 1'b0 : first", "reset ? 1'b0 : last"] : [];
      const title = `${pe}, one clock step: the next accumulator and result${S > 0 ? ' and stage registers' : ''} are the golden model's step, for every state and input`;
      return stepObligation(
        u,
        'pe',
        pe,
        title,
        [
          `Wiring, on ${pe} as elaborated: one ${subs.dot.top} (a, b, scale_a, scale_b -> block_dot) and one ${subs.add.top} (acc, ${S > 0 ? R0.dot : 'block_dot'} -> acc_sum), nothing else driving block_dot or acc_sum.`,
          `With block_dot and acc_sum cut and the registers (${regs.map((r) => r.name).join(', ')}) turned into ports (present value .q, next value .d), for every state and input:`,
          ...(S > 0 ? [`stage 1: ${R0.dot}.d = reset ? 0 : block_dot, and ${R0.en} / ${R0.first} / ${R0.last}.d = reset ? 0 : en / first / last;`] : []),
          `acc.d = reset ? +0 : ${enS} ? (${firstS} ? ${dotS === 'dot_qq' ? R0.dot : dotS} : acc_sum) : acc.q; result.d = reset ? +0 : (${enS} & ${lastS}) ? ${bf ? `${RO.rounded} (the read-out, cut)` : '(that)'} : result.q (names of the stage registers meaning their present values);`,
          ...(bf ? [`acc_next (observed) = that next accumulator value, the read-out's input (see readout).`] : []),
          `the result port = result.q; every register clocked by clk (positive edge). This is src/mac.ts MacArrayModel.step for one PE (fp32, ${S} stage${S === 1 ? '' : 's'}).`,
        ],
        {
          inputs: ins,
          cuts: ['block_dot', 'acc_sum', ...(bf ? [RO.rounded] : [])],
          observes: ['acc', ...(S > 0 ? [R0.dot, R0.en, R0.first, R0.last] : []), ...(bf ? ['acc_next'] : [])],
          regs: regs.map((r) => r.name),
          dutConnections: [
            ...direct.map((n) => ({ port: n, expr: n })),
            ...evertedConnections(regs),
            { port: 'result', expr: 'g_res' },
            ...(bf ? [{ port: 'acc_next', expr: 'g_acc_next' }] : []),
          ],
          dutWires: [...regs.flatMap((r) => [{ name: `g_${r.q}_d`, width: r.width }, { name: `g_${r.q}_c`, width: 1 }]), { name: 'g_res', width: WR }, ...(bf ? [{ name: 'g_acc_next', width: W }] : [])],
          gold: [
            `wire [${W - 1}:0] nxt = ${firstS} ? ${dotS} : acc_sum;`,
            `assign gold_y = {reset ? ${W}'h0 : ${enS} ? nxt : acc_q, reset ? ${WR}'h0 : (${enS} & ${lastS}) ? ${bf ? RO.rounded : 'nxt'} : res_q, ${[...stageGold, 'res_q', ...regs.map(() => 'clk'), ...(bf ? ['nxt'] : [])].join(', ')}};`,
          ],
          gate: `{${['g_acc_q_d', 'g_res_q_d', ...regs.slice(2).map((r) => `g_${r.q}_d`), 'g_res', ...regs.map((r) => `g_${r.q}_c`), ...(bf ? ['g_acc_next'] : [])].join(', ')}}`,
          width: regs.reduce((n, r) => n + r.width, 0) + WR + regs.length + (bf ? W : 0),
        },
        [
          { lane: subs.dot.top, instances: { parent: pe, jsonFile: `${pe}.dot.json`, lanes: [{ [DOT_PORTS.a]: field('a', 0, wa), [DOT_PORTS.b]: field('b', 0, wb), [DOT_PORTS.scaleA]: field('scale_a', 0, ws), [DOT_PORTS.scaleB]: field('scale_b', 0, ws), [DOT_PORTS.result]: field('block_dot', 0, W) }] } },
          { lane: subs.add.top, instances: { parent: pe, jsonFile: `${pe}.add.json`, lanes: [{ [ADD_PORTS.a]: field('acc', 0, W), [ADD_PORTS.b]: field(S > 0 ? R0.dot : 'block_dot', 0, W), [ADD_PORTS.sum]: field('acc_sum', 0, W) }] } },
        ],
      );
    });

    part('array', () => {
      requirePorts(u.top, shape(u.top), [
        { name: MAC_PORTS.clk, dir: 'input', width: 1 },
        { name: MAC_PORTS.reset, dir: 'input', width: 1 },
        { name: MAC_PORTS.valid, dir: 'input', width: 1 },
        { name: MAC_PORTS.first, dir: 'input', width: 1 },
        { name: MAC_PORTS.last, dir: 'input', width: 1 },
        { name: MAC_PORTS.a, dir: 'input', width: R * wa },
        { name: MAC_PORTS.scaleA, dir: 'input', width: R * ws },
        { name: MAC_PORTS.b, dir: 'input', width: C * wb },
        { name: MAC_PORTS.scaleB, dir: 'input', width: C * ws },
        { name: MAC_PORTS.result, dir: 'output', width: R * C * WR },
        { name: MAC_PORTS.outValid, dir: 'output', width: 1 },
      ]);
      const doneRegs = Array.from({ length: p.stages }, (_, i) => `done_q${i + 1}`);
      const cells = Array.from({ length: R * C }, (_, q) => {
        const r = Math.floor(q / C);
        const c = q % C;
        return {
          [PE_PORTS.clk]: field(MAC_PORTS.clk, 0, 1),
          [PE_PORTS.reset]: field(MAC_PORTS.reset, 0, 1),
          [PE_PORTS.en]: field(MAC_PORTS.valid, 0, 1),
          [PE_PORTS.first]: field(MAC_PORTS.first, 0, 1),
          [PE_PORTS.last]: field(MAC_PORTS.last, 0, 1),
          [PE_PORTS.a]: field(MAC_PORTS.a, wa * r, wa),
          [PE_PORTS.b]: field(MAC_PORTS.b, wb * c, wb),
          [PE_PORTS.scaleA]: field(MAC_PORTS.scaleA, ws * r, ws),
          [PE_PORTS.scaleB]: field(MAC_PORTS.scaleB, ws * c, ws),
          [PE_PORTS.result]: field(MAC_PORTS.result, WR * q, WR),
        };
      });
      const ins: FreeInput[] = [
        ...(['clk', 'reset', 'in_valid', 'first', 'last'] as const).map((n) => ({ name: n, width: 1 })),
        { name: 'a', width: R * wa },
        { name: 'scale_a', width: R * ws },
        { name: 'b', width: C * wb },
        { name: 'scale_b', width: C * ws },
        { name: 'pe_result', width: R * C * WR },
        { name: 'ov_q', width: 1 },
        ...doneRegs.map((d) => ({ name: `${d}_qq`, width: 1 })),
      ];
      const direct = ['clk', 'reset', 'in_valid', 'first', 'last', 'a', 'scale_a', 'b', 'scale_b', 'pe_result'];
      const title = `${u.top}: PE (r, c) reads row r of A and column c of B and drives its result slice; out_valid, one clock step, is the golden model's`;
      return stepObligation(
        u,
        'array',
        u.top,
        title,
        [
          `Wiring, on ${u.top} as elaborated: exactly ${R * C} instances of ${pe}; PE (r, c) connects a to a[${wa}r+${wa - 1}:${wa}r], scale_a to scale_a[${ws}r+${ws - 1}:${ws}r], b and scale_b likewise with column c,`,
          `result to result[${WR}(${C}r+c)+${WR - 1}:${WR}(${C}r+c)], clk, reset, first and last to the ports of the same name and en to in_valid; nothing else drives the result bits.`,
          'With the PEs\' results cut and out_valid\'s register turned into ports, for every state and input: out_valid.d = reset ? 0 : in_valid & last; the out_valid port = out_valid.q; the result port = the PEs\' results.',
        ],
        {
          inputs: ins,
          cuts: ['pe_result'],
          observes: doneRegs,
          regs: [...doneRegs, 'out_valid'],
          dutConnections: [
            ...direct.map((n) => ({ port: n, expr: n })),
            { port: esc('out_valid.q'), expr: 'ov_q' },
            { port: esc('out_valid.d'), expr: 'g_ov_d' },
            { port: esc('out_valid.c'), expr: 'g_ov_c' },
            ...doneRegs.flatMap((d) => [
              { port: esc(`${d}.q`), expr: `${d}_qq` },
              { port: esc(`${d}.d`), expr: `g_${d}_d` },
              { port: esc(`${d}.c`), expr: `g_${d}_c` },
            ]),
            { port: 'out_valid', expr: 'g_ov' },
            { port: 'result', expr: 'g_result' },
          ],
          dutWires: [
            { name: 'g_ov_d', width: 1 },
            { name: 'g_ov_c', width: 1 },
            ...doneRegs.flatMap((d) => [{ name: `g_${d}_d`, width: 1 }, { name: `g_${d}_c`, width: 1 }]),
            { name: 'g_ov', width: 1 },
            { name: 'g_result', width: R * C * WR },
          ],
          // a beat with last, through the done_q chain, into out_valid
          gold: [`assign gold_y = {${[...doneRegs.map((_, i) => (i === 0 ? "reset ? 1'b0 : in_valid & last" : `reset ? 1'b0 : ${doneRegs[i - 1]}_qq`)), `reset ? 1'b0 : ${doneRegs.length > 0 ? `${doneRegs[doneRegs.length - 1]}_qq` : 'in_valid & last'}`, 'ov_q', ...doneRegs.map(() => 'clk'), 'clk', 'pe_result'].join(', ')}};`],
          gate: `{${[...doneRegs.map((d) => `g_${d}_d`), 'g_ov_d', 'g_ov', ...doneRegs.map((d) => `g_${d}_c`), 'g_ov_c', 'g_result'].join(', ')}}`,
          width: 2 * doneRegs.length + 3 + R * C * WR,
        },
        [{ lane: pe, instances: { parent: u.top, jsonFile: `${u.top}.pe.json`, lanes: cells } }],
      );
    });
    if (bf) out.push(...fp32Readout(u, p, shape));
    if (p.stages > 0) part('retime', () => retimeObligation(u, p, shape));
    return out;
  },
  coverage: (u) => {
    const p = macFamily.fromParameters(u.parameters);
    const retime =
      p.stages > 0
        ? [
            `Besides: **retime** shows, netlist against netlist, that this PE (S = ${p.stages}) gives the results of the PE the generator writes for S = 0 one cycle later, from a reset on (k-induction), so the pipelined array is the combinational one with ${p.stages} more cycle of latency; this does not rest on the golden cycle model.`,
          ]
        : [];
    if (isFusedAccum(p.accum)) {
      return [
        `1. **fused.\\***: the PE's fused dot-add equals the golden fusedDotAdd (${p.accum}: ${FUSED_SHAPES[p.accum].about}${p.accum === 'hopper' ? ', with the E8M0 scales in the exponents' : ''}) on every input (its own obligations and coverage, as for the fused unit).`,
        `2. **pe**: the PE holds exactly that instance, wired to its inputs, with C = first ? +0 : acc, and its registers take, at every clock edge from every state, the next state of the golden cycle model (src/mac.ts, ${p.accum}) given D.`,
        `3. **array**: PE (r, c) of the ${p.rows} x ${p.cols} grid reads A-block r, B-block c and their scales with the shared control, and its result is result slice C r + c; out_valid steps as the model's. So after any sequence of cycles starting with a reset, every output equals the golden cycle model's.`,
      ];
    }
    if (p.accum === 'exact') {
      return [...exactCoverage(u, `**array**: PE (r, c) of the ${p.rows} x ${p.cols} grid reads A-block r, B-block c and their scales with the shared control, and its result is result slice C r + c; out_valid steps as the model's.`), ...retime];
    }
    return [
      `1. **dot.\\***, **add.\\***: the PE's dot product module and ${addModuleName({ format: FP32 })} equal the golden dotBlock (FP32) and fp32Add on every input (their own obligations and coverage, as for those units).`,
      '2. **pe**: the PE holds exactly those two instances, wired to its inputs and accumulator, and its registers take, at every clock edge from every state, the next state of the golden cycle model (src/mac.ts) given those two values. With 1., every PE steps exactly as the model\'s PE from every state.',
      `3. **array**: PE (r, c) of the ${p.rows} x ${p.cols} grid reads A-block r, B-block c and their scales with the shared control, and its result is result slice C r + c; out_valid steps as the model's. So after any sequence of cycles starting with a reset, every output equals the golden cycle model's, the model whose sums test/golden/mac.test.ts checks against dotMx.`,
      ...(p.out !== FP32
        ? [
            `The read-out in ${p.out.name.toUpperCase()}: the pe step cuts the read-out's result and shows acc_next; **readout** (acc_next cut) gives the rounder the FP32 decode of that sum, and **round** / **specials** show its result is src/round-float.ts roundRawToFloat(${p.out.name}) of it, the golden model's read-out.`,
          ]
        : []),
      ...retime,
    ];
  },
};

/** The PE's fused dot-add as a unit of its own. */
function fusedRef(u: UnitRef, p: ReturnType<typeof macFamily.fromParameters>, shape?: (m: string) => ModuleShape): UnitRef {
  const fp = peFusedParams(p);
  const fTop = fusedModuleName(fp);
  return { family: 'fused', top: fTop, files: u.files, ports: shape ? portsOf(shape(fTop)) : [], parameters: fusedFamily.generate(fp, '').parameters };
}

/** The GPU-compatible PE: the fused dot-add's obligations on its module, and one clock step of the PE. */
function planFusedPe(u: UnitRef, p: ReturnType<typeof macFamily.fromParameters>, shape: (m: string) => ModuleShape): Planned[] {
  const sub = fusedRef(u, p, shape);
  const fTop = sub.top;
  const out: Planned[] = adopt(u, 'fused', sub, fusedRecipe.plan(sub, shape));
  const pe = peModuleName(p);
  const k = p.block;
  const wa = elementBits(p.a) * k;
  const wb = elementBits(p.b) * k;
  const ws = scaleBits(p.scale);
  const FC = PE_FUSED_CUTS;
  planPart(out, u, 'pe', () => {
    requirePePorts(pe, shape(pe), wa, wb, ws, W);
    const regs = [
      { name: 'acc', q: 'acc_q' },
      { name: 'result', q: 'res_q' },
    ];
    const direct = ['clk', 'reset', 'en', 'first', 'last', 'a', 'b', 'scale_a', 'scale_b', FC.d];
    const ins: FreeInput[] = [
      ...(['clk', 'reset', 'en', 'first', 'last'] as const).map((n) => ({ name: n, width: 1 })),
      { name: 'a', width: wa },
      { name: 'b', width: wb },
      { name: 'scale_a', width: ws },
      { name: 'scale_b', width: ws },
      { name: FC.d, width: W },
      ...regs.map((r) => ({ name: r.q, width: W })),
    ];
    return stepObligation(
      u,
      'pe',
      pe,
      `${pe}, one clock step: the addend and the next accumulator and result are the golden model's step, for every state and input`,
      [
        `Wiring, on ${pe} as elaborated: one ${fTop} (a, b, scale_a, scale_b, c = ${FC.c} -> d = ${FC.d}), nothing else driving ${FC.d}.`,
        `With ${FC.d} cut and the registers (acc, result) turned into ports, for every state and input: ${FC.c} = first ? +0 : acc.q;`,
        `acc.d = reset ? +0 : en ? ${FC.d} : acc.q; result.d = reset ? +0 : (en & last) ? ${FC.d} : result.q; the result port = result.q; both clocked by clk.`,
        `This is src/mac.ts MacArrayModel.step for one PE (${p.accum}).`,
      ],
      {
        inputs: ins,
        cuts: [FC.d],
        observes: [FC.c],
        regs: regs.map((r) => r.name),
        dutConnections: [
          ...direct.map((n) => ({ port: n, expr: n })),
          ...evertedConnections(regs),
          { port: FC.c, expr: 'g_c' },
          { port: 'result', expr: 'g_res' },
        ],
        dutWires: [...regs.flatMap((r) => [{ name: `g_${r.q}_d`, width: W }, { name: `g_${r.q}_c`, width: 1 }]), { name: 'g_c', width: W }, { name: 'g_res', width: W }],
        gold: [`assign gold_y = {first ? ${W}'h0 : acc_q, reset ? ${W}'h0 : en ? ${FC.d} : acc_q, reset ? ${W}'h0 : (en & last) ? ${FC.d} : res_q, res_q, clk, clk};`],
        gate: '{g_c, g_acc_q_d, g_res_q_d, g_res, g_acc_q_c, g_res_q_c}',
        width: 4 * W + 2,
      },
      [
        {
          lane: fTop,
          instances: {
            parent: pe,
            jsonFile: `${pe}.fused.json`,
            lanes: [
              {
                [FUSED_PORTS.a]: field('a', 0, wa),
                [FUSED_PORTS.b]: field('b', 0, wb),
                [FUSED_PORTS.scaleA]: field('scale_a', 0, ws),
                [FUSED_PORTS.scaleB]: field('scale_b', 0, ws),
                [FUSED_PORTS.c]: field(FC.c, 0, W),
                [FUSED_PORTS.d]: field(FC.d, 0, W),
              },
            ],
          },
        },
      ],
    );
  });
  return out;
}

/** The PE's ports: clock, reset, the beat's control, the blocks and scales, the result. */
function requirePePorts(pe: string, s: ModuleShape, wa: number, wb: number, ws: number, wr: number): void {
  requirePorts(pe, s, [
    { name: PE_PORTS.clk, dir: 'input', width: 1 },
    { name: PE_PORTS.reset, dir: 'input', width: 1 },
    { name: PE_PORTS.en, dir: 'input', width: 1 },
    { name: PE_PORTS.first, dir: 'input', width: 1 },
    { name: PE_PORTS.last, dir: 'input', width: 1 },
    { name: PE_PORTS.a, dir: 'input', width: wa },
    { name: PE_PORTS.b, dir: 'input', width: wb },
    { name: PE_PORTS.scaleA, dir: 'input', width: ws },
    { name: PE_PORTS.scaleB, dir: 'input', width: ws },
    { name: PE_PORTS.result, dir: 'output', width: wr },
  ]);
}
