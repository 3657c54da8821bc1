/**
 * The exact-accumulation PE (mac_array --accum exact), proven as parts that compose:
 *
 * - dot.*: the block's exact scaled value, as in the dot product: the lane products, the adder tree
 *   and the sum's flags (in the dotsum module), the scale decode and the value wires blk_* (in the
 *   PE, which builds the same stages as the dot module: the dot recipe's obligations, planned there).
 * - pe: one clock step. Wiring (one dotsum instance on a, b driving sum and its flags); then, with
 *   blk_* and the rounded sum cut and the registers turned into ports, for every state and input:
 *   the accumulator takes first ? v : acc + v (v = (-1)^sign * mag * 2^exp as an integer), the flags
 *   are sticky, the result register takes the rounded sum on a beat with last; the accumulator's
 *   next state (acc_next and its flags) is observed and compared too.
 * - readout: with the next state cut, the rounder's inputs are |acc_next|, its sign and the NaN /
 *   Inf rules of an exact sum (src/sum.ts sumRaws), for every accumulator value in range.
 * - round, specials: the shared rounder's obligations (formal/recipes/round.ts) on the read-out.
 */
import { floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { DOTSUM_PORTS, dotFamily, dotsumModuleName } from '../../generator/units/dot.js';
import { PE_EXACT_CUTS, PE_EXACT_STAGE_REGS, PE_PORTS, macFamily, peModuleName, type MacParams } from '../../generator/units/mac.js';
import { miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { hexLit } from '../verilog.js';
import { dotRecipe, planDot, type DotPart } from './dot.js';
import { roundSatObligation, specialsObligation, type RoundStage } from './round.js';
import { adopt, evertedConnections, field, stepObligation } from './step.js';
import { PlanError, obligationId, planPart, portsOf, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned } from './common.js';


/** The dot product's parts that the exact PE builds (everything before the dot's own rounding). */
const DOT_PARTS: readonly DotPart[] = ['products', 'tree', 'flags', 'scales', 'magnitude', 'scaling'];

/** The PE's control inputs, beside the dot product's a, b, scale_a, scale_b. */
const CONTROL: readonly FreeInput[] = (['clk', 'reset', 'en', 'first', 'last'] as const).map((n) => ({ name: PE_PORTS[n], width: 1 }));

function dotRef(u: UnitRef, p: MacParams, top: string, shape?: (m: string) => ModuleShape): UnitRef {
  // the PE's result port has the read-out format; the dot parts planned here end before any rounding
  const dp = { a: p.a, b: p.b, scale: p.scale, out: p.out, block: p.block, adders: p.adders };
  return { family: 'dot', top, files: u.files, ports: shape ? portsOf(shape(top)) : [], parameters: dotFamily.generate(dp, '').parameters };
}

export function exactParts(u: UnitRef): string[] {
  const p = macFamily.fromParameters(u.parameters);
  const dot = dotRecipe.parts(dotRef(u, p, peModuleName(p))).filter((x) => (DOT_PARTS as readonly string[]).includes(x));
  return [...dot.map((x) => `dot.${x}`), 'pe', 'readout', 'round', 'specials'];
}

/** The exact accumulator's range: its width, its unit and the largest |value| of a sum of up to max-blocks blocks. */
function accRange(u: UnitRef): { A: number; lsb: number; max: bigint } {
  const A = Number(u.parameters.acc_bits);
  const lsb = Number(u.parameters.acc_lsb);
  const max = BigInt(String(u.parameters.acc_max));
  if (!Number.isInteger(A) || A < 2 || !Number.isInteger(lsb) || max <= 0n) throw new PlanError(`${u.top}: the manifest does not state the exact accumulator (acc_bits, acc_lsb, acc_max)`);
  if (max >= 1n << BigInt(A - 1)) throw new PlanError(`${u.top}: ${A} bits cannot hold +-${max}`);
  return { A, lsb, max };
}

export function planExactPe(u: UnitRef, shape: (m: string) => ModuleShape): Planned[] {
  const p = macFamily.fromParameters(u.parameters);
  const k = p.block;
  const wa = elementBits(p.a) * k;
  const wb = elementBits(p.b) * k;
  const ws = scaleBits(p.scale);
  const pe = peModuleName(p);
  const ps = shape(pe);
  const core = dotsumModuleName(p);
  const C = PE_EXACT_CUTS;
  const sub = dotRef(u, p, pe, shape);
  const out: Planned[] = adopt(u, 'dot', sub, planDot(sub, shape, { value: C.value, parts: DOT_PARTS, otherInputs: CONTROL }));
  const part = (name: string, make: () => Planned): void => planPart(out, u, name, make);
  const has = (w: string): boolean => ps.wires[w] !== undefined;
  const w = (n: string): number => wireWidth(pe, ps, n, 'a cut point of the exact PE');
  const inputs: FreeInput[] = [
    ...CONTROL,
    { name: PE_PORTS.a, width: wa },
    { name: PE_PORTS.b, width: wb },
    { name: PE_PORTS.scaleA, width: ws },
    { name: PE_PORTS.scaleB, width: ws },
  ];
  const W = floatBits(p.out);
  const nanFlag = has(C.value('nan'));
  const infFlag = has(C.value('inf'));
  // the sub-unit's view: the PE is the dot's "top" (a PlanError here is reported on the step)
  const range = (() => {
    try {
      return accRange(u);
    } catch (e) {
      if (e instanceof PlanError) return e;
      throw e;
    }
  })();

  part('pe', () => {
    if (range instanceof PlanError) throw range;
    const { A } = range;
    requirePorts(pe, ps, [...inputs.map((i) => ({ name: i.name, dir: 'input' as const, width: i.width })), { name: PE_PORTS.result, dir: 'output', width: W }]);
    if (w(C.rounded) !== W) throw new PlanError(`${pe}: ${C.rounded} is ${w(C.rounded)} bits, not ${W}`);
    if (w(C.next) !== A) throw new PlanError(`${pe}: ${C.next} is ${w(C.next)} bits, the manifest says ${A}`);
    const S = p.stages;
    const R = PE_EXACT_STAGE_REGS;
    const wm = w(C.value('mag'));
    const flagNames = [...(nanFlag ? (['nan'] as const) : []), ...(infFlag ? (['pinf', 'ninf'] as const) : [])];
    const regs: { name: string; q: string; width: number; next: string }[] = [];
    // what the accumulation reads: this beat's value wires (S = 0) or the stage registers (S = 1)
    const valueIn = (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf'): string => (S > 0 ? `${R[f]}_qq` : C.value(f));
    const ctlIn = (f: 'en' | 'first' | 'last'): string => (S > 0 ? `${R[f]}_qq` : f);
    const gold: string[] = [
      `wire [${A - 1}:0] ref_aligned = {${A - wm}'d0, ${valueIn('mag')}} << ${valueIn('exp')};`,
      `wire [${A - 1}:0] ref_v = ${valueIn('sign')} ? ${A}'d0 - ref_aligned : ref_aligned;`,
      `wire [${A - 1}:0] ref_next = ${ctlIn('first')} ? ref_v : acc_qq + ref_v;`,
    ];
    if (nanFlag) gold.push(`wire ref_nan_next = ${ctlIn('first')} ? ${valueIn('nan')} : acc_nan_qq | ${valueIn('nan')};`);
    if (infFlag) {
      gold.push(`wire ref_pinf_blk = ${valueIn('inf')} & ~${valueIn('sign')};`, `wire ref_ninf_blk = ${valueIn('inf')} & ${valueIn('sign')};`);
      gold.push(`wire ref_pinf_next = ${ctlIn('first')} ? ref_pinf_blk : acc_pinf_qq | ref_pinf_blk;`, `wire ref_ninf_next = ${ctlIn('first')} ? ref_ninf_blk : acc_ninf_qq | ref_ninf_blk;`);
    }
    const en = ctlIn('en');
    regs.push({ name: 'acc', q: 'acc_qq', width: A, next: `reset ? ${A}'d0 : ${en} ? ref_next : acc_qq` });
    for (const f of flagNames) regs.push({ name: `acc_${f}`, q: `acc_${f}_qq`, width: 1, next: `reset ? 1'b0 : ${en} ? ref_${f}_next : acc_${f}_qq` });
    regs.push({ name: 'result', q: 'res_qq', width: W, next: `reset ? ${W}'d0 : (${en} & ${ctlIn('last')}) ? ${C.rounded} : res_qq` });
    if (S > 0) {
      const staged: ('sign' | 'mag' | 'exp' | 'nan' | 'inf')[] = ['sign', 'mag', 'exp', ...(nanFlag ? (['nan'] as const) : []), ...(infFlag ? (['inf'] as const) : [])];
      for (const f of staged) {
        const width = w(C.value(f));
        regs.push({ name: R[f], q: `${R[f]}_qq`, width, next: `reset ? ${width}'d0 : ${C.value(f)}` });
      }
      for (const f of ['en', 'first', 'last'] as const) regs.push({ name: R[f], q: `${R[f]}_qq`, width: 1, next: `reset ? 1'b0 : ${f}` });
    }
    const cuts = [...(['sign', 'mag', 'exp', 'nan', 'inf'] as const).filter((f) => has(C.value(f))).map((f) => C.value(f)), C.rounded];
    const observes = [C.next, ...flagNames.map((f) => C.nextFlag(f))];
    const observedGold = ['ref_next', ...flagNames.map((f) => `ref_${f}_next`)];
    gold.push(`assign gold_y = {${[...regs.map((r) => r.next), 'res_qq', ...observedGold, ...regs.map(() => 'clk')].join(', ')}};`);
    const title = `${pe}, one clock step: the next accumulator, flags and result${S > 0 ? ' and stage registers' : ''} are the golden model's exact step, for every state and input`;
    return stepObligation(
      u,
      'pe',
      pe,
      title,
      [
        `Wiring, on ${pe} as elaborated: one ${core} (a, b -> sum${nanFlag ? ' and its flags' : ''}), nothing else driving those wires.`,
        `With ${cuts.join(', ')} cut and the registers (${regs.map((r) => r.name).join(', ')}) turned into ports, for every state and input:`,
        `v = (-1)^${C.value('sign')} * ${C.value('mag')} * 2^${C.value('exp')} as a ${A}-bit two's complement integer${S > 0 ? ` (read from the stage registers: the beat before)` : ''};`,
        `${C.next} = first ? v : acc + v, and acc.d = reset ? 0 : en ? ${C.next} : acc.q;${flagNames.length > 0 ? ` the flags (${flagNames.join(', ')}) likewise, sticky: first ? the block's : the held one | the block's;` : ''}`,
        `result.d = reset ? +0 : (en & last) ? ${C.rounded} : result.q; the result port = result.q; every register clocked by clk (positive edge).`,
        ...(S > 0 ? [`stage 1: each stage register's .d = reset ? 0 : its wire (${Object.values(R).join(', ')}).`] : []),
        `This is src/mac.ts MacArrayModel.step for one PE (exact, ${S} stage${S === 1 ? '' : 's'}), with the sum exact as long as it stays in range (see readout).`,
      ],
      {
        inputs: [...inputs, ...cuts.map((c) => ({ name: c, width: w(c) })), ...regs.map((r) => ({ name: r.q, width: r.width }))],
        cuts,
        observes,
        ties: tiesOf(ps, cuts, observes),
        regs: regs.map((r) => r.name),
        dutConnections: [
          ...inputs.map((i) => ({ port: i.name, expr: i.name })),
          ...cuts.map((c) => ({ port: c, expr: c })),
          ...evertedConnections(regs),
          ...observes.map((o) => ({ port: o, expr: `g_${o}` })),
          { port: PE_PORTS.result, expr: 'g_res' },
        ],
        dutWires: [...regs.flatMap((r) => [{ name: `g_${r.q}_d`, width: r.width }, { name: `g_${r.q}_c`, width: 1 }]), ...observes.map((o) => ({ name: `g_${o}`, width: w(o) })), { name: 'g_res', width: W }],
        gold,
        gate: `{${[...regs.map((r) => `g_${r.q}_d`), 'g_res', ...observes.map((o) => `g_${o}`), ...regs.map((r) => `g_${r.q}_c`)].join(', ')}}`,
        width: regs.reduce((n, r) => n + r.width, 0) + W + observes.reduce((n, o) => n + w(o), 0) + regs.length,
      },
      [
        {
          lane: core,
          instances: {
            parent: pe,
            jsonFile: `${pe}.sum.json`,
            lanes: [
              {
                [DOTSUM_PORTS.a]: field(PE_PORTS.a, 0, wa),
                [DOTSUM_PORTS.b]: field(PE_PORTS.b, 0, wb),
                [DOTSUM_PORTS.sum]: field('sum', 0, w('sum')),
                ...Object.fromEntries((['nan', 'pinf', 'ninf'] as const).filter((f) => has(`sum_${f}`)).map((f) => [DOTSUM_PORTS[f], field(`sum_${f}`, 0, 1)])),
              },
            ],
          },
        },
      ],
    );
  });

  // the rounder's inputs from the accumulator's next state
  const readoutIns = (['sign', 'mag', 'nan', 'inf'] as const).filter((f) => has(C.readout(f)));
  const flagNames = (['nan', 'pinf', 'ninf'] as const).filter((f) => has(C.nextFlag(f)));
  part('readout', () => {
    if (range instanceof PlanError) throw range;
    const { A, max } = range;
    const id = obligationId(u, 'readout');
    const cuts = [C.next, ...flagNames.map((f) => C.nextFlag(f))];
    const fl = (f: 'nan' | 'pinf' | 'ninf'): string => (flagNames.includes(f) ? C.nextFlag(f) : "1'b0");
    const gold = [
      `wire ref_neg = ${C.next}[${A - 1}];`,
      `wire [${A - 1}:0] ref_abs = ref_neg ? ${A}'d0 - ${C.next} : ${C.next};`,
      `wire ref_inf = ${fl('pinf')} | ${fl('ninf')};`,
      `wire ref_nan = ${fl('nan')} | (${fl('pinf')} & ${fl('ninf')});`,
      `wire ref_sign = ref_inf ? ${fl('ninf')} : ref_neg;`,
      `assign gold_y = {ref_nan, ref_nan ? 1'b0 : ref_inf, ref_nan ? 1'b0 : ref_sign, (ref_nan | ref_inf) ? ${A - 1}'d0 : ref_abs[${A - 2}:0]};`,
    ];
    const dut = (f: 'sign' | 'mag' | 'nan' | 'inf'): string => (readoutIns.includes(f) ? `dut_${f}` : "1'b0");
    const m: Miter = {
      id,
      about: [
        `gold: |${C.next}|, its sign and the NaN / Inf rules of an exact sum (src/sum.ts sumRaws); gate: ${readoutIns.map((f) => C.readout(f)).join(', ')}`,
        `with the accumulator's next state cut. Assumption: |${C.next}| <= ${max}, the range of a sum of up to ${p.maxBlocks} blocks.`,
      ],
      inputs: [...inputs, ...cuts.map((c) => ({ name: c, width: w(c) }))],
      dutWires: readoutIns.map((f) => ({ name: `dut_${f}`, width: w(C.readout(f)) })),
      dutConnections: [...inputs.map((i) => ({ port: i.name, expr: i.name })), ...cuts.map((c) => ({ port: c, expr: c })), { port: PE_PORTS.result, expr: '' }, ...readoutIns.map((f) => ({ port: C.readout(f), expr: `dut_${f}` }))],
      gold,
      gate: `{${dut('nan')}, ${dut('nan')} ? 1'b0 : ${dut('inf')}, ${dut('nan')} ? 1'b0 : ${dut('sign')}, (${dut('nan')} | ${dut('inf')}) ? ${A - 1}'d0 : dut_mag}`,
      ok: `$signed(${C.next}) >= $signed(${hexLit(A, -max)}) && $signed(${C.next}) <= $signed(${hexLit(A, max)})`,
      width: 3 + A - 1,
    };
    if (w(C.readout('mag')) !== A - 1) throw new PlanError(`${pe}: ${C.readout('mag')} is ${w(C.readout('mag'))} bits, expected ${A - 1}`);
    const title = `with the accumulator's next state cut: the read-out rounder gets |${C.next}|, its sign and the golden NaN / Inf of the sum`;
    const observes = readoutIns.map((f) => C.readout(f));
    const s = miterScripts('sat', m, title, { rtlFiles: u.files.map((f) => f.name), top: pe, cuts, observes, ties: tiesOf(ps, cuts, observes) }, null);
    return {
      id,
      unit: u,
      title,
      statement: [
        `${cuts.join(', ')} are cut (free inputs). For every ${C.next} with |value| <= ${max} (two's complement, ${A} bits) and every flag:`,
        `${C.readout('nan')} = a NaN block or +Inf and -Inf blocks; otherwise ${C.readout('inf')} = an Inf block, ${C.readout('sign')} = the sign of the Inf or of ${C.next};`,
        `and for a finite sum ${C.readout('mag')} = |${C.next}|: the value rounded is ${C.readout('mag')} * 2^${range.lsb}, with that sign.`,
      ],
      method: 'sat',
      scriptFile: s.scriptFile,
      script: s.script,
      files: s.files,
      weight: 1,
    } satisfies ObligationSpec;
  });

  const stage = (): RoundStage => {
    if (range instanceof PlanError) throw range;
    return {
      sign: C.readout('sign'),
      mag: C.readout('mag'),
      exp: null,
      nan: readoutIns.includes('nan') ? C.readout('nan') : null,
      inf: readoutIns.includes('inf') ? C.readout('inf') : null,
      result: C.rounded,
      resultWire: true,
      out: p.out,
      magMax: range.max,
      expMax: 0,
      expOffset: range.lsb,
      zero: 'positive',
      inputs,
      otherOutputs: [PE_PORTS.result],
    };
  };
  // the shared rounder's obligations, planned on the PE module and named under the array
  const peUnit: UnitRef = { ...u, top: pe, ports: portsOf(ps) };
  const underArray = (o: ObligationSpec, name: string): ObligationSpec => ({ ...o, id: obligationId(u, name), part: name });
  part('round', () => underArray(roundSatObligation(peUnit, ps, stage(), `in ${pe}, with the read-out rounder's inputs cut: ${C.rounded} = the golden rounding to ${p.out.name.toUpperCase()} of every accumulator value in range`), 'round'));
  part('specials', () => {
    if (!readoutIns.includes('nan')) throw new PlanError(`${pe}: no NaN flag at the read-out`);
    return underArray(specialsObligation(peUnit, ps, stage()), 'specials');
  });
  return out;
}

export function exactCoverage(u: UnitRef, array: string): string[] {
  const p = macFamily.fromParameters(u.parameters);
  const pe = peModuleName(p);
  const C = PE_EXACT_CUTS;
  return [
    `1. **dot.\\***: in ${dotsumModuleName(p)} and ${pe}, the block's value wires ${C.value('sign')} / ${C.value('mag')} / ${C.value('exp')} and its flags are those of the golden decomposition of dotBlock (the dot product's own obligations, before its rounding): the value is (-1)^sign * mag * 2^(exp + ${u.parameters.acc_lsb}), with |mag * 2^exp| at most the largest block value for every block that is not NaN.`,
    `2. **pe**: the PE holds exactly that dotsum instance, and at every clock edge, from every state, the registers take the golden exact step given those wires and the rounded sum; ${C.next} and its flags are that step's next state.`,
    `3. **readout**, **round**, **specials**: for every next state in range (|value| <= ${u.parameters.acc_max}), ${C.rounded} is the golden rounding to ${p.out.name.toUpperCase()} of the exact sum, or its NaN / Inf.`,
    `4. ${array}`,
    `So by induction over the cycles after a reset, a sum of up to ${p.maxBlocks} blocks (${p.maxBlocks} block values at most: always in range) is held exactly and read out as src/mac.ts computes it; a longer sum may wrap, and the header says so. With 4., every output of the array equals the golden cycle model's (src/mac.ts, checked against dotMx in test/golden/mac.test.ts) for such sums.`,
  ];
}
