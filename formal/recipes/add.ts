/**
 * add: the FP32 adder, in three obligations over its whole 2^64 input space: the first stage
 * (operand order, alignment with a sticky bit, addition) against the statement of
 * formal/add-reference.ts, by SAT; the shared rounder's rounding and special results (round.ts).
 */
import { floatBits } from '../../src/formats/float.js';
import { roundToFp32 } from '../../src/fp32.js';
import type { PortValues } from '../../generator/units/unit.js';
import { ADD_CUTS, ADD_GUARD_BITS, ADD_PORTS, addFamily, addRoundShape, type AddParams } from '../../generator/units/add.js';
import { referenceAddNear, referenceAddStage } from '../add-reference.js';
import { NO_ASSUMPTION, miterScripts, type Miter } from '../harness.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { obligationId, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned, type Recipe, PlanError } from './common.js';
import { roundSatObligation, specialsObligation, stageCuts, type RoundStage } from './round.js';

const PARTS = ['stage', 'round', 'specials'] as const;

/** " - 153" or " + 4" */
function offsetText(n: number): string {
  return n < 0 ? ` - ${-n}` : ` + ${n}`;
}

function roundStage(p: AddParams): RoundStage {
  const r = addRoundShape(p.format);
  const W = floatBits(p.format);
  return {
    sign: ADD_CUTS.round('sign'),
    mag: ADD_CUTS.round('mag'),
    exp: ADD_CUTS.round('exp'),
    nan: ADD_CUTS.round('nan'),
    inf: ADD_CUTS.round('inf'),
    result: ADD_PORTS.sum,
    out: p.format,
    magMax: r.magMax,
    expMax: r.expMax,
    expOffset: r.expOffset,
    zero: 'keep-sign',
    inputs: [
      { name: ADD_PORTS.a, width: W },
      { name: ADD_PORTS.b, width: W },
    ],
  };
}

function stageObligation(u: UnitRef, p: AddParams, ts: ModuleShape): ObligationSpec {
  const id = obligationId(u, 'stage');
  const st0 = roundStage(p);
  const exp = st0.exp;
  if (exp === null) throw new PlanError(`${u.top}: the adder's rounder has no exponent wire`);
  const st = { ...st0, exp };
  const r = addRoundShape(p.format);
  const W = floatBits(p.format);
  const observed = stageCuts(st);
  const w = (n: string): number => wireWidth(u.top, ts, n, 'the stage is observed there');
  if (w(st.mag) !== r.magBits || w(st.exp) !== r.expBits) throw new PlanError(`${u.top}: ${st.mag} / ${st.exp} are ${w(st.mag)} / ${w(st.exp)} bits, expected ${r.magBits} / ${r.expBits}`);
  const refName = 'ref_add_stage';
  const refText = referenceAddStage(refName, p.format, { guard: ADD_GUARD_BITS, magBits: r.magBits, magMax: r.magMax, expMax: r.expMax });
  const dut = (n: string): string => `dut_${n}`;
  const m: Miter = {
    id,
    about: [
      'gold: 1; gate: the statement of formal/add-reference.ts (ref_add_stage) on a, b and the rounder inputs the',
      'generated stage computes from them (observed). No assumption: every a and b.',
    ],
    inputs: st.inputs,
    dutWires: [],
    dutConnections: [{ port: ADD_PORTS.a, expr: ADD_PORTS.a }, { port: ADD_PORTS.b, expr: ADD_PORTS.b }, { port: ADD_PORTS.sum, expr: '' }, ...observed.map((o) => ({ port: o, expr: dut(o) }))],
    gold: [
      ...observed.map((o) => `wire ${w(o) > 1 ? `[${w(o) - 1}:0] ` : ''}${dut(o)};`),
      'wire holds;',
      `${refName} u_ref (.a(${ADD_PORTS.a}), .b(${ADD_PORTS.b}), .mag(${dut(st.mag)}), .exp(${dut(st.exp)}), .sign(${dut(st.sign)}), .nan(${dut(st.nan ?? '')}), .inf(${dut(st.inf ?? '')}), .holds(holds));`,
      "assign gold_y = 1'b1;",
    ],
    gate: 'holds',
    ok: NO_ASSUMPTION,
    width: 1,
  };
  const title = 'the first stage hands the rounder a + b exactly, or a value that rounds as a + b does, with the right NaN / Inf flags and sign';
  const s = miterScripts('sat', m, title, { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts: [], observes: observed, ties: tiesOf(ts, [], observed) }, { name: `${refName}.v`, text: refText });
  const P = p.format.mbits + 1;
  // after a failure the statement's counterexample may still round right; this search looks for a
  // pair whose whole sum is wrong, among exponents at most P + G apart (an exact narrow reference)
  const span = P + ADD_GUARD_BITS;
  const nearName = 'ref_add_near';
  const W1 = W - 1;
  const search = miterScripts(
    'sat',
    {
      id: `${id}.cex`,
      about: [`gold: the exact sum rounded by the reference rounder, for finite operands whose exponents lie at most ${span} apart; gate: ${ADD_PORTS.sum}.`],
      inputs: st.inputs,
      dutWires: [{ name: 'dut_sum', width: W }],
      dutConnections: [{ port: ADD_PORTS.a, expr: ADD_PORTS.a }, { port: ADD_PORTS.b, expr: ADD_PORTS.b }, { port: ADD_PORTS.sum, expr: 'dut_sum' }],
      gold: [`${nearName} u_ref (.a(${ADD_PORTS.a}), .b(${ADD_PORTS.b}), .r(gold_y));`],
      gate: 'dut_sum',
      ok: `~&a[${W1 - 1}:${p.format.mbits}] && ~&b[${W1 - 1}:${p.format.mbits}] && (a[${W1 - 1}:${p.format.mbits}] >= b[${W1 - 1}:${p.format.mbits}] ? a[${W1 - 1}:${p.format.mbits}] - b[${W1 - 1}:${p.format.mbits}] : b[${W1 - 1}:${p.format.mbits}] - a[${W1 - 1}:${p.format.mbits}]) <= ${p.format.ebits}'d${span - 1}`,
      width: W,
    },
    `${title} (counterexample search: a pair whose sum is wrong)`,
    { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts: [], observes: [] },
    { name: `${nearName}.v`, text: referenceAddNear(nearName, p.format, span) },
  );
  return {
    id,
    unit: u,
    title,
    statement: [
      `For every a and b (all 2^${2 * W} pairs), with ${observed.join(', ')} observed:`,
      `a NaN operand or +Inf + -Inf sets ${st.nan}; otherwise an infinite operand sets ${st.inf} with its sign in ${st.sign};`,
      `for finite operands, x the larger magnitude, y the other, d = e_x - e_y and u = 2^(${st.exp}${offsetText(r.expOffset)}): ${st.exp} = e_x, and`,
      `the stage's value (-1)^${st.sign} * ${st.mag} * u is a + b exactly, or ${st.mag} >= 2^${p.format.mbits + 2} and that value and a + b lie strictly between`,
      `the same two consecutive even multiples of u; ${st.sign} follows x, or for an exact zero the rule (-0) + (-0) = -0; ${st.mag} <= ${r.magMax}.`,
      `Method: SAT on the statement of formal/add-reference.ts, which works with y's significand shifted by d (clamped at ${P + ADD_GUARD_BITS + 1}, which changes no`,
      "truth value) and none of the generated stage's order, alignment or sticky logic.",
    ],
    method: 'sat',
    scriptFile: s.scriptFile,
    script: s.script,
    files: s.files,
    cexSearch: { scriptFile: search.scriptFile, script: search.script, files: search.files },
    weight: 2,
  };
}

export const addRecipe: Recipe = {
  parts: () => [...PARTS],
  plan(u: UnitRef, shape) {
    const p = addFamily.fromParameters(u.parameters);
    const ts = shape(u.top);
    const W = floatBits(p.format);
    requirePorts(u.top, ts, [
      { name: ADD_PORTS.a, dir: 'input', width: W },
      { name: ADD_PORTS.b, dir: 'input', width: W },
      { name: ADD_PORTS.sum, dir: 'output', width: W },
    ]);
    const st = roundStage(p);
    const out: Planned[] = [];
    const part = (name: (typeof PARTS)[number], make: () => Planned): void => {
      try {
        out.push(make());
      } catch (e) {
        if (!(e instanceof PlanError)) throw e;
        out.push({ id: obligationId(u, name), status: 'error', detail: e.message, title: name, statement: [] });
      }
    };
    part('stage', () => stageObligation(u, p, ts));
    part('round', () => roundSatObligation(u, ts, st, `with the rounder's inputs cut: ${ADD_PORTS.sum} = the golden rounding to ${p.format.name.toUpperCase()} of every finite (sign, exponent, magnitude)`));
    part('specials', () => specialsObligation(u, ts, st));
    return out;
  },
  realize: (u, part, found) => (part === 'round' ? realizeRound(u, found) : []),
  coverage: (u) => {
    const p = addFamily.fromParameters(u.parameters);
    const r = addRoundShape(p.format);
    const M = p.format.mbits;
    return [
      `1. **stage** (${u.top}, nothing cut, the rounder's inputs observed): for every a and b, the NaN / Inf flags and the sign of an`,
      '   infinite result are as IEEE 754 defines; for finite a and b the rounder receives exponent e_x, and a value V\' that is a + b',
      `   exactly, or lies with a + b strictly inside one interval (2j u, 2(j+1) u), u = 2^(e_x${offsetText(r.expOffset)}), with a magnitude of at least 2^${M + 2} units.`,
      `2. **round** (${u.top}, rounder inputs cut, NaN / Inf at 0): at every finite (sign, exponent, magnitude) in 1.'s range, ${ADD_PORTS.sum} = the golden rounding of V'.`,
      `3. **specials** (${u.top}, rounder inputs cut): with the NaN flag, the quiet NaN; with the Inf flag, Inf of the sign.`,
      '',
      `Why they cover the adder: a magnitude of at least 2^${M + 2} units puts V' in a binade whose quantum is at least 4u, so every rounding`,
      'boundary near it (a representable value, a midpoint, the overflow threshold) is a multiple of 2u; none lies inside (2j u, 2(j+1) u),',
      "and round to nearest, constant between boundaries, gives a + b and V' the same result (a short argument on paper, stated here, not",
      "machine-checked). An exact zero only arises in the exact case, whose sign 1. checks. So 1. and 2. give the golden sum of every finite",
      'pair, and 1. and 3. that of every pair with a NaN or an Inf.',
    ];
  },
};

/**
 * Operands whose exact sum is the rounder input a rounding counterexample names: the magnitude's top
 * 24 bits as a, the rest as b (both exact), so that the whole adder rounds that very value.
 */
function realizeRound(u: UnitRef, found: ReadonlyMap<string, bigint>): PortValues[] {
  const p = addFamily.fromParameters(u.parameters);
  const at = (k: 'sign' | 'exp' | 'mag'): bigint | undefined => found.get(ADD_CUTS.round(k)) ?? found.get(k);
  const sign = at('sign');
  const exp = at('exp');
  const mag = at('mag');
  if (sign === undefined || exp === undefined || mag === undefined || mag === 0n) return [];
  const e = Number(exp) + addRoundShape(p.format).expOffset;
  const s = BigInt(Math.max(0, mag.toString(2).length - (p.format.mbits + 1)));
  const hi = (mag >> s) << s;
  const neg = sign === 1n;
  return [{ [ADD_PORTS.a]: BigInt(roundToFp32(neg, hi, e)), [ADD_PORTS.b]: BigInt(roundToFp32(neg, mag - hi, e)) }];
}
