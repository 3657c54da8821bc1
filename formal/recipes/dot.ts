/**
 * dot: the dot product, cut at its stage boundaries into obligations that compose into the whole
 * unit. In the exact-sum module (dotsum): every lane product, the adder tree, the NaN / Inf flags of
 * the sum. In the dot module (the dotsum instance's outputs cut): the scale decode, the magnitude
 * and exponent handed to the rounder, the rounding itself, and the special results.
 */
import { floatBits } from '../../src/formats/float.js';
import { elementBits, scaleBits } from '../../src/formats/format.js';
import { DOTSUM_PORTS, DOT_CUTS, DOT_PORTS, dotFamily, dotsumModuleName, type DotParams } from '../../generator/units/dot.js';
import { MUL_PORTS, mulModuleName } from '../../generator/units/mul.js';
import { checkDotDecomposition, productTable, scaleGolden } from '../golden.js';
import { roundPoints } from '../exhaustive.js';
import { NO_ASSUMPTION, miterScripts, type FreeInput, type Miter } from '../harness.js';
import type { PortValues } from '../../generator/units/unit.js';
import { codesForProduct, packLanes, realizeScales, realizeSum } from '../realize.js';
import type { ObligationSpec, UnitRef } from '../spec.js';
import { hexLit, sext, signedBits } from '../verilog.js';
import { roundSatObligation, specialsObligation, type RoundStage } from './round.js';
import { PlanError, exhaustiveObligation, obligationId, referenceTree, requirePorts, tiesOf, wireWidth, type ModuleShape, type Planned, type Recipe } from './common.js';

/** Largest round-stage input space enumerated (points); beyond it the rounding is proven by SAT against the reference rounder. */
export const ROUND_POINTS_MAX = 2 ** 27;

/** Largest scaling operand space enumerated (bits); beyond it the product is proven by SAT against a full-width multiplication, which is faster there. */
export const SCALING_PATTERN_BITS_MAX = 22;

const PARTS = ['products', 'tree', 'flags', 'scales', 'magnitude', 'scaling', 'round', 'specials'] as const;

function bitLen(x: bigint): number {
  return x === 0n ? 1 : x.toString(2).length;
}

/** The golden sizes every obligation is written from. */
function facts(p: DotParams) {
  const t = productTable(p.a, p.b);
  const sg = scaleGolden(p.scale);
  const sumMax = t.maxAbs * BigInt(p.block);
  const hasNan = t.flags.some((f) => (f & 1) !== 0);
  const hasInf = t.flags.some((f) => (f & 6) !== 0);
  return { t, sg, sumMax, hasNan, hasInf, magMax: sumMax * sg.sigMax * sg.sigMax, expMax: 2 * sg.expMax, expOffset: t.lsb + 2 * sg.offset };
}

const connect = (ins: readonly FreeInput[]) => ins.map((i) => ({ port: i.name, expr: i.name }));

export type DotPart = (typeof PARTS)[number];

/**
 * Where the dot product's stages sit: the module holding the scale decode and the value handed on
 * (the dot module, or a MAC processing element that builds the same stages), the names of that
 * value's wires, and which parts to plan. The dot unit plans every part on its own module.
 */
export interface DotView {
  readonly value: (f: 'sign' | 'mag' | 'exp' | 'nan' | 'inf') => string;
  readonly parts: readonly DotPart[];
  /** the module's inputs beside the dot product's (left free, unconnected, in every miter) */
  readonly otherInputs: readonly FreeInput[];
  /** the module's outputs beside `result` (the value's own wires, where they are ports) */
  readonly otherOutputs?: readonly string[];
}

const DOT_VIEW: DotView = { value: DOT_CUTS.round, parts: PARTS, otherInputs: [] };

/** The dot product's obligations on u.top (with its dotsum instance), as `view` places them. */
export function planDot(u: UnitRef, shape: (m: string) => ModuleShape, view: DotView = DOT_VIEW): Planned[] {
  const V = view.value;
  const p = dotFamily.fromParameters(u.parameters);
  const k = p.block;
  const F = facts(p);
  const wa = elementBits(p.a);
  const wb = elementBits(p.b);
  const ws = scaleBits(p.scale);
  const wr = floatBits(p.out);
  const core = dotsumModuleName(p);
  const cs = shape(core);
  const ts = shape(u.top);
  requirePorts(u.top, ts, [
    { name: DOT_PORTS.a, dir: 'input', width: wa * k },
    { name: DOT_PORTS.b, dir: 'input', width: wb * k },
    { name: DOT_PORTS.scaleA, dir: 'input', width: ws },
    { name: DOT_PORTS.scaleB, dir: 'input', width: ws },
    // the result port (a module that ends before the rounding, as a group of the fused dot-add, has none)
    ...(view.parts.includes('round') || view.parts.includes('specials') || ts.ports.some((x) => x.name === DOT_PORTS.result) ? [{ name: DOT_PORTS.result, dir: 'output' as const, width: wr }] : []),
    ...view.otherInputs.map((i) => ({ name: i.name, dir: 'input' as const, width: i.width })),
    ...(view.otherOutputs ?? []).map((name) => ({ name, dir: 'output' as const, width: wireWidth(u.top, ts, name, 'an output of the value') })),
  ]);
  const problem = checkDotDecomposition(p.a, p.b, p.scale, p.out, k, 2000);
  if (problem !== null) throw new PlanError(`the golden dot product no longer decomposes as the proof assumes: ${problem}`);
  const out: Planned[] = [];
  const part = (name: DotPart, make: () => Planned | null): void => {
    if (!view.parts.includes(name)) return;
    try {
      const o = make();
      if (o) out.push(o);
    } catch (e) {
      if (!(e instanceof PlanError)) throw e;
      out.push({ id: obligationId(u, name), status: 'error', detail: e.message, title: name, statement: [] });
    }
  };
  const has = (s: ModuleShape, w: string): boolean => s.wires[w] !== undefined;
  const prodNames = Array.from({ length: k }, (_, i) => DOT_CUTS.prod(i));
  const laneFlags = (['nan', 'pinf', 'ninf'] as const).filter((f) => has(cs, { nan: DOT_CUTS.laneNan, pinf: DOT_CUTS.lanePinf, ninf: DOT_CUTS.laneNinf }[f]));
  const laneFlagWire = { nan: DOT_CUTS.laneNan, pinf: DOT_CUTS.lanePinf, ninf: DOT_CUTS.laneNinf } as const;
  const prodWidth = (): number => {
    const w0 = wireWidth(core, cs, prodNames[0], 'the lane products are cut there');
    for (const n of prodNames) if (wireWidth(core, cs, n, 'the lane products are cut there') !== w0) throw new PlanError(`${core}: ${n} is not ${w0} bits`);
    if (signedBits(F.t.min, F.t.max) > w0) throw new PlanError(`${core}: the lane products are ${w0} bits, too narrow for ${F.t.min} .. ${F.t.max}`);
    return w0;
  };
  const sumWidth = (): number => {
    const w = cs.ports.find((x) => x.name === DOTSUM_PORTS.sum)?.width;
    if (w === undefined) throw new PlanError(`${core} has no output '${DOTSUM_PORTS.sum}'`);
    if (signedBits(-F.sumMax, F.sumMax) > w) throw new PlanError(`${core}: sum is ${w} bits, too narrow for +-${F.sumMax}`);
    return w;
  };
  const coreInputs: FreeInput[] = [
    { name: DOTSUM_PORTS.a, width: wa * k },
    { name: DOTSUM_PORTS.b, width: wb * k },
  ];
  const topInputs: FreeInput[] = [
    { name: DOT_PORTS.a, width: wa * k },
    { name: DOT_PORTS.b, width: wb * k },
    { name: DOT_PORTS.scaleA, width: ws },
    { name: DOT_PORTS.scaleB, width: ws },
  ];

  // the module's outputs an obligation leaves unconnected: all but those it observes (a group of the
  // fused dot-add has the scaled sum's wires as its ports; the dot module has its result)
  const outputsBut = (observed: readonly string[]): string[] => ts.ports.filter((x) => x.dir === 'output' && !observed.includes(x.name)).map((x) => x.name);

  // 1. products: the lanes are multiplier instances, wired to a_i, b_i, prod_i and the flags; the multiplier at every code pair
  part('products', () => {
    const wp = prodWidth();
    const mul = mulModuleName(p);
    const flagObserves = laneFlags.map((f) => laneFlagWire[f]);
    requirePorts(mul, shape(mul), [
      { name: MUL_PORTS.a, dir: 'input', width: wa },
      { name: MUL_PORTS.b, dir: 'input', width: wb },
      { name: MUL_PORTS.prod, dir: 'output', width: wp },
      ...laneFlags.map((f) => ({ name: MUL_PORTS[f], dir: 'output' as const, width: 1 })),
    ]);
    return exhaustiveObligation(
      u,
      'products',
      mul,
      `in ${core}: prod_i${laneFlags.length > 0 ? ` and the lane flags (${laneFlags.join(', ')})` : ''} = the golden product of (a_i, b_i), every lane, every code pair`,
      [
        `For every a, b of ${core}: prod_i (${wp}-bit two's complement, units of 2^${F.t.lsb})${laneFlags.length > 0 ? ` and bit i of ${flagObserves.join(', ')}` : ''} equal productTable(${p.a.name}, ${p.b.name})[a_i, b_i] (src/dot-kernel.ts, the golden model's exact products), i = 0 .. ${k - 1}.`,
        `Wiring, on ${core} as elaborated: it holds exactly ${k} instances of ${mul}; instance i connects a to a[${wa}i+${wa - 1}:${wa}i], b to b[${wb}i+${wb - 1}:${wb}i], prod to prod_i${laneFlags.map((f) => `, ${MUL_PORTS[f]} to ${laneFlagWire[f]}[i]`).join('')}, and nothing else drives those bits.`,
        `Lane module: ${mul} is evaluated on all ${2 ** (wa + wb)} code pairs and every output compared with the golden product.`,
      ],
      [],
      [],
      (f) => ({
        type: 'lanes',
        ...f,
        lanes: [
          {
            inputs: [
              { port: MUL_PORTS.a, lo: 0, width: wa },
              { port: MUL_PORTS.b, lo: 0, width: wb },
            ],
            outputs: [{ port: MUL_PORTS.prod, lo: 0, width: wp }, ...laneFlags.map((fl) => ({ port: MUL_PORTS[fl], lo: 0, width: 1 }))],
          },
        ],
        shared: [],
        golden: { kind: 'product', elemA: p.a.name, elemB: p.b.name, prodWidth: wp, flags: laneFlags },
      }),
      1 + (wa + wb) / 8,
      [],
      [],
      {
        parent: core,
        lanes: prodNames.map((n, i) => ({
          [MUL_PORTS.a]: { port: DOTSUM_PORTS.a, lo: wa * i, width: wa },
          [MUL_PORTS.b]: { port: DOTSUM_PORTS.b, lo: wb * i, width: wb },
          [MUL_PORTS.prod]: { port: n, lo: 0, width: wp },
          ...Object.fromEntries(laneFlags.map((fl) => [MUL_PORTS[fl], { port: laneFlagWire[fl], lo: i, width: 1 }])),
        })),
      },
    );
  });

  // 2. tree: with the products cut, sum = their exact sum
  part('tree', () => {
    const wp = prodWidth();
    const wsum = sumWidth();
    const width = Math.max(signedBits(-F.sumMax, F.sumMax), wsum);
    const id = obligationId(u, 'tree');
    const inRange = (n: string): string => `($signed(${n}) >= $signed(${hexLit(wp, F.t.min)}) && $signed(${n}) <= $signed(${hexLit(wp, F.t.max)}))`;
    const m: Miter = {
      id,
      about: [
        `gold: the sum of the cut products, a balanced tree at ${width} bits (no partial sum can overflow);`,
        `gate: ${core}'s sum with prod_* cut to free inputs. Assumption: every prod_i lies in ${F.t.min} .. ${F.t.max},`,
        'the range of the golden products, which the products obligation guarantees.',
      ],
      inputs: [...coreInputs, ...prodNames.map((n) => ({ name: n, width: wp }))],
      dutWires: [{ name: 'dut_sum', width: wsum }],
      dutConnections: [...connect(coreInputs), ...prodNames.map((n) => ({ port: n, expr: n })), { port: DOTSUM_PORTS.sum, expr: 'dut_sum' }, ...dotsumFlagConnections(cs)],
      gold: referenceTree(prodNames.map((name) => ({ name, width: wp })), width),
      gate: sext('dut_sum', wsum, width),
      ok: prodNames.map(inRange).join(' && '),
      width,
    };
    const title = `in ${core}, with prod_* cut: sum = prod_0 + ... + prod_${k - 1} exactly, for every product in the golden range`;
    const prep = { rtlFiles: u.files.map((f) => f.name), top: core, cuts: prodNames, observes: [], ties: tiesOf(cs, prodNames, []) };
    const s = miterScripts('sat', m, title, prep, null);
    // after a failure: the same question with every prod_i one of a few products of real code pairs,
    // so that the counterexample is a block of element codes, and the exact sum small enough to be
    // exact in the result format, so that a wrong sum shows in the unit's result (at scale 1)
    const some = sampleProducts(F.t);
    const member = (n: string): string => `(${some.map((v) => `${n} == ${hexLit(wp, v)}`).join(' || ')})`;
    const exact = 1n << BigInt(p.out.mbits + 1);
    const visible = exact < F.sumMax ? [`$signed(gold_y) < $signed(${hexLit(width, exact)}) && $signed(gold_y) > $signed(${hexLit(width, -exact)})`] : [];
    const search = miterScripts('sat', { ...m, id: `${id}.cex`, ok: [...prodNames.map(member), ...visible].join(' && ') }, `${title} (counterexample search among products of code pairs, with a sum the result holds exactly)`, prep, null);
    return {
      id,
      unit: u,
      title,
      statement: [
        `prod_0 .. prod_${k - 1} are cut: free inputs, the lane logic that drove them disconnected.`,
        `For every a, b and every prod_i in ${F.t.min} .. ${F.t.max}: sum (read as ${wsum}-bit two's complement) = the integer sum of the prod_i.`,
        `The reference adds at ${width} bits, where no partial sum (|.| <= ${F.sumMax}) can overflow, so it is the exact sum whatever the order.`,
      ],
      method: 'sat',
      scriptFile: s.scriptFile,
      script: s.script,
      files: s.files,
      cexSearch: { scriptFile: search.scriptFile, script: search.script, files: search.files },
      weight: 1 + k / 16,
    } satisfies ObligationSpec;
  });

  // 3. flags: the sum's NaN / Inf flags from the lanes'
  part('flags', () => {
    if (laneFlags.length === 0) return null;
    const id = obligationId(u, 'flags');
    const cuts = laneFlags.map((f) => laneFlagWire[f]);
    const outs = (['nan', 'pinf', 'ninf'] as const).filter((f) => cs.ports.some((x) => x.name === DOTSUM_PORTS[f]));
    const anyNan = laneFlags.includes('nan') ? `|${DOT_CUTS.laneNan}` : "1'b0";
    const anyP = laneFlags.includes('pinf') ? `|${DOT_CUTS.lanePinf}` : "1'b0";
    const anyN = laneFlags.includes('ninf') ? `|${DOT_CUTS.laneNinf}` : "1'b0";
    const gold = [
      `wire ref_nan = ${anyNan} | (${anyP} & ${anyN});`,
      `wire ref_pinf = ${anyP} & ~ref_nan;`,
      `wire ref_ninf = ${anyN} & ~ref_nan;`,
      `assign gold_y = {${outs.map((o) => `ref_${o}`).join(', ')}};`,
    ];
    const m: Miter = {
      id,
      about: ['gold: the rules of an exact sum (src/sum.ts sumRaws): NaN for a NaN term or +Inf meeting -Inf, else +-Inf for an', `infinite term; gate: ${core}'s ${outs.join(', ')} with the lane flags cut. No assumption.`],
      inputs: [...coreInputs, ...cuts.map((c) => ({ name: c, width: k }))],
      dutWires: outs.map((o) => ({ name: `dut_${o}`, width: 1 })),
      dutConnections: [...connect(coreInputs), ...cuts.map((c) => ({ port: c, expr: c })), { port: DOTSUM_PORTS.sum, expr: '' }, ...outs.map((o) => ({ port: DOTSUM_PORTS[o], expr: `dut_${o}` }))],
      gold,
      gate: `{${outs.map((o) => `dut_${o}`).join(', ')}}`,
      ok: NO_ASSUMPTION,
      width: outs.length,
    };
    const title = `in ${core}, with the lane flags cut: ${outs.join(', ')} follow the golden rules of an exact sum`;
    const prep = { rtlFiles: u.files.map((f) => f.name), top: core, cuts, observes: [], ties: tiesOf(cs, cuts, []) };
    const s = miterScripts('sat', m, title, prep, null);
    // after a failure: at most one flag per lane, as a real lane product has
    const pairs = cuts.flatMap((x, i) => cuts.slice(i + 1).map((y) => `(${x} & ${y})`));
    const search = pairs.length > 0 ? miterScripts('sat', { ...m, id: `${id}.cex`, ok: `(${pairs.join(' | ')}) == ${k}'d0` }, `${title} (counterexample search, one flag per lane)`, prep, null) : null;
    return {
      id,
      unit: u,
      title,
      statement: [
        `${cuts.join(', ')} are cut (free inputs). For every value of them: nan = (a lane is NaN) or (a lane is +Inf and a lane is -Inf);`,
        'pinf / ninf = (a lane is +Inf / -Inf) and not nan. That is how src/sum.ts sumRaws classifies a sum of products.',
      ],
      method: 'sat',
      scriptFile: s.scriptFile,
      script: s.script,
      files: s.files,
      ...(search ? { cexSearch: { scriptFile: search.scriptFile, script: search.script, files: search.files } } : {}),
      weight: 1,
    } satisfies ObligationSpec;
  });

  // 4. scales: the decoded scale pair, exhaustively
  const scaleOuts = (['sig', 'exp', 'nan', 'zero'] as const).filter((o) => has(ts, DOT_CUTS.scale(o)));
  part('scales', () => {
    for (const o of ['exp', 'nan'] as const) if (!scaleOuts.includes(o)) throw new PlanError(`${u.top} has no wire '${DOT_CUTS.scale(o)}'`);
    const fields = scaleOuts.map((o) => ({ port: DOT_CUTS.scale(o), lo: 0, width: wireWidth(u.top, ts, DOT_CUTS.scale(o), 'the scale pair is observed there') }));
    return exhaustiveObligation(
      u,
      'scales',
      u.top,
      `${scaleOuts.map((o) => DOT_CUTS.scale(o)).join(', ')} = the golden decode of (scale_a, scale_b), every scale pair`,
      [
        `${scaleOuts.map((o) => DOT_CUTS.scale(o)).join(', ')} observed, nothing cut. For every scale_a, scale_b: with (s, e) the golden decode of a ${p.scale.name} code`,
        `(value = s * 2^(e + ${F.sg.offset})), ${DOT_CUTS.scale('nan')} = either is NaN, and when neither is: ${scaleOuts.includes('sig') ? `${DOT_CUTS.scale('sig')} = s_a * s_b, ` : ''}${DOT_CUTS.scale('exp')} = e_a + e_b${scaleOuts.includes('zero') ? `, ${DOT_CUTS.scale('zero')} = (s_a * s_b = 0)` : ''}.`,
        `Method: exhaustive over all ${2 ** (2 * ws)} scale pairs; the observed wires are checked to read nothing but the scales.`,
      ],
      sumCutsOf(ts),
      scaleOuts.map((o) => DOT_CUTS.scale(o)),
      (f) => ({
        type: 'lanes',
        ...f,
        lanes: [
          {
            inputs: [
              { port: DOT_PORTS.scaleA, lo: 0, width: ws },
              { port: DOT_PORTS.scaleB, lo: 0, width: ws },
            ],
            outputs: fields,
          },
        ],
        shared: [],
        golden: { kind: 'scales', scale: p.scale.name, outputs: scaleOuts },
      }),
      1,
      outputsBut([]),
      tiesOf(ts, sumCutsOf(ts), scaleOuts.map((o) => DOT_CUTS.scale(o))),
    );
  });

  // 5. magnitude: what the rounder receives, from the cut sum, its flags and the scale pair
  const sumCuts = sumCutsOf(ts);
  const roundIns = (['sign', 'mag', 'exp', 'nan', 'inf'] as const).filter((r) => has(ts, V(r)));
  const scaled = scaleOuts.includes('sig');
  part('magnitude', () => {
    const id = obligationId(u, 'magnitude');
    const wsum = wireWidth(u.top, ts, DOT_CUTS.sum, 'the exact sum is cut there');
    for (const r of ['sign', 'mag', 'exp', 'nan'] as const) if (!roundIns.includes(r)) throw new PlanError(`${u.top} has no wire '${V(r)}'`);
    const cuts = [...sumCuts, ...scaleOuts.map((o) => DOT_CUTS.scale(o))];
    const w = (n: string): number => wireWidth(u.top, ts, n, 'a cut point');
    // the magnitude itself where the scales are powers of two; |sum| before the scaling otherwise
    const magWire = scaled ? DOT_CUTS.sumAbs : V('mag');
    const wm = w(magWire);
    const we = w(V('exp'));
    const full = Math.max(wm, wsum);
    const flag = (f: 'nan' | 'pinf' | 'ninf'): string => (sumCuts.includes(DOT_CUTS.sumFlag(f)) ? DOT_CUTS.sumFlag(f) : "1'b0");
    const zero = scaleOuts.includes('zero') ? DOT_CUTS.scale('zero') : "1'b0";
    const S = DOT_CUTS.sum;
    const gold = [
      `wire ref_inf = ${flag('pinf')} | ${flag('ninf')};`,
      `wire ref_nan = ${flag('nan')} | ${DOT_CUTS.scale('nan')} | (ref_inf & ${zero});`,
      `wire ref_sign = ref_inf ? ${flag('ninf')} : ${S}[${wsum - 1}];`,
      `wire [${full - 1}:0] ref_abs = ${S}[${wsum - 1}] ? ${full}'d0 - ${sext(S, wsum, full)} : ${sext(S, wsum, full)};`,
      `wire [${we - 1}:0] ref_exp = ${DOT_CUTS.scale('exp')};`,
      `assign gold_y = {ref_nan, ref_nan ? 1'b0 : ref_inf, ref_nan ? 1'b0 : ref_sign, (ref_nan | ref_inf) ? ${full + we}'d0 : {ref_abs, ref_exp}};`,
    ];
    const dutInf = roundIns.includes('inf') ? 'dut_inf' : "1'b0";
    const observed = [...roundIns.filter((r) => !(scaled && r === 'mag')).map((r) => ({ port: V(r), dut: `dut_${r}` })), ...(scaled ? [{ port: DOT_CUTS.sumAbs, dut: 'dut_mag' }] : [])];
    const m: Miter = {
      id,
      about: [
        `gold: |sum|, the scale exponent, and the NaN / Inf / sign rules of src/dot.ts dotBlock; gate: ${observed.map((o) => o.port).join(', ')}`,
        'with the exact sum, its flags and the scale pair cut. Assumption: |sum| and the scale exponent are in the ranges the tree',
        'and scales obligations guarantee.',
      ],
      inputs: [...topInputs, ...cuts.map((c) => ({ name: c, width: w(c) }))],
      dutWires: observed.map((o) => ({ name: o.dut, width: w(o.port) })),
      dutConnections: [...connect(topInputs), ...cuts.map((c) => ({ port: c, expr: c })), ...outputsBut(observed.map((o) => o.port)).map((port) => ({ port, expr: '' })), ...observed.map((o) => ({ port: o.port, expr: o.dut }))],
      gold,
      gate: `{dut_nan, dut_nan ? 1'b0 : ${dutInf}, dut_nan ? 1'b0 : dut_sign, (dut_nan | ${dutInf}) ? ${full + we}'d0 : {${full > wm ? `${full - wm}'d0, ` : ''}dut_mag, dut_exp}}`,
      ok: [`$signed(${S}) >= $signed(${hexLit(wsum, -F.sumMax)}) && $signed(${S}) <= $signed(${hexLit(wsum, F.sumMax)})`, `${DOT_CUTS.scale('exp')} <= ${hexLit(w(DOT_CUTS.scale('exp')), F.expMax)}`].join(' && '),
      width: 3 + full + we,
    };
    const title = `with the exact sum, its flags and the scale pair cut: the rounder gets ${scaled ? '|sum| (to be scaled)' : 'the magnitude |sum|'}, the scale exponent, and the golden NaN / Inf / sign`;
    const s = miterScripts('sat', m, title, { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts, observes: observed.map((o) => o.port), ties: tiesOf(ts, cuts, observed.map((o) => o.port)) }, null);
    return {
      id,
      unit: u,
      title,
      statement: [
        `${cuts.join(', ')} are cut (free inputs). For every |sum| <= ${F.sumMax} and ${DOT_CUTS.scale('exp')} <= ${F.expMax}:`,
        `${V('nan')} = sum NaN, or a NaN scale${F.hasInf ? ', or an infinite sum times a zero scale' : ''}; otherwise ${F.hasInf ? `${V('inf')} = the sum is infinite, ` : ''}${V('sign')} = the sign of the ${F.hasInf ? 'Inf or of the ' : ''}sum,`,
        `and for a finite result ${magWire} = |sum| and ${V('exp')} = ${DOT_CUTS.scale('exp')}${scaled ? `; the scaling obligation shows ${V('mag')} = ${magWire} * ${DOT_CUTS.scale('sig')}` : ''}: the value is ${V('mag')} * 2^(${V('exp')} + ${F.expOffset}).`,
      ],
      method: 'sat',
      scriptFile: s.scriptFile,
      script: s.script,
      files: s.files,
      weight: 1,
    } satisfies ObligationSpec;
  });

  // 5b. scaling: |sum| times the scale significands, exhaustively where it reaches
  part('scaling', () => {
    if (!scaled) return null;
    const w = (n: string): number => wireWidth(u.top, ts, n, 'a cut point');
    const wa = w(DOT_CUTS.sumAbs);
    const wsig = w(DOT_CUTS.scale('sig'));
    const wm = w(V('mag'));
    const title = `with ${DOT_CUTS.sumAbs} and ${DOT_CUTS.scale('sig')} cut: ${V('mag')} = ${DOT_CUTS.sumAbs} * ${DOT_CUTS.scale('sig')}, for every value of both`;
    const statement = [
      `${DOT_CUTS.sumAbs} (${wa} bits) and ${DOT_CUTS.scale('sig')} (${wsig} bits) are cut. For every value of them: ${V('mag')} = their product, exactly.`,
      `Method: exhaustive, all 2^${wa + wsig} pairs; ${V('mag')} is checked to read nothing but the two cut wires.`,
    ];
    if (wa + wsig > SCALING_PATTERN_BITS_MAX) return scalingBySat(u, p, ts, F, wa, wsig, wm, V);
    return exhaustiveObligation(
      u,
      'scaling',
      u.top,
      title,
      statement,
      [DOT_CUTS.sumAbs, DOT_CUTS.scale('sig')],
      [V('mag')],
      (f) => ({
        type: 'lanes',
        ...f,
        lanes: [
          {
            inputs: [
              { port: DOT_CUTS.sumAbs, lo: 0, width: wa },
              { port: DOT_CUTS.scale('sig'), lo: 0, width: wsig },
            ],
            outputs: [{ port: V('mag'), lo: 0, width: wm }],
          },
        ],
        shared: [],
        golden: { kind: 'multiply' },
      }),
      1 + 2 ** (wa + wsig) / 2 ** 22,
      outputsBut([V('mag')]),
      tiesOf(ts, [DOT_CUTS.sumAbs, DOT_CUTS.scale('sig')], [V('mag')]),
    );
  });

  // 6. round: the rounding of every finite (sign, exponent, magnitude), exhaustively where it reaches
  const roundTitle = `with the rounder's inputs cut: result = the golden rounding to ${p.out.name.toUpperCase()} of every finite (sign, exponent, magnitude)`;
  part('round', () => {
    const points = roundPoints({ magMax: F.magMax, expMax: F.expMax });
    const statement = [
      `${roundIns.map((r) => V(r)).join(', ')} are cut; ${V('nan')}${roundIns.includes('inf') ? ` and ${V('inf')}` : ''} held at 0 (the specials obligation covers them).`,
      `For every sign, ${V('exp')} = e in 0 .. ${F.expMax} and ${V('mag')} = m in 0 .. ${F.magMax}: result = +0 if m = 0, else roundToFloat(${p.out.name}, sign, m, e + ${F.expOffset}) (src/round-float.ts).`,
      `Method: exhaustive, ${points.toLocaleString('en-US')} points; result is checked to read nothing but the cut inputs.`,
    ];
    if (points > ROUND_POINTS_MAX) return roundBySat(u, p, ts, roundIns, F, roundTitle);
    return exhaustiveObligation(
      u,
      'round',
      u.top,
      roundTitle,
      statement,
      roundIns.map((r) => V(r)),
      [],
      (f) => ({
        type: 'round',
        ...f,
        mag: V('mag'),
        magMax: F.magMax,
        exp: V('exp'),
        expMax: F.expMax,
        expOffset: F.expOffset,
        sign: V('sign'),
        zeros: roundIns.filter((r) => r === 'nan' || r === 'inf').map((r) => V(r)),
        result: DOT_PORTS.result,
        out: p.out.name,
      }),
      2 + points / 4e6,
      [],
      tiesOf(ts, roundIns.map((r) => V(r)), []),
    );
  });

  // 7. specials: NaN and Inf results
  part('specials', () => specialsObligation(u, ts, roundStage(p, roundIns, F)));
  return out;
}

export const dotRecipe: Recipe = {
  parts: (u) => {
    const F = facts(dotFamily.fromParameters(u.parameters));
    return PARTS.filter((x) => (x !== 'flags' || F.hasNan || F.hasInf) && (x !== 'scaling' || F.sg.sigMax > 1n));
  },
  plan: (u, shape) => planDot(u, shape),
  realize: realizeDot,
  defaults: (u) => {
    const one = BigInt(oneCode(dotFamily.fromParameters(u.parameters)));
    return { [DOT_PORTS.scaleA]: one, [DOT_PORTS.scaleB]: one };
  },
  coverage(u) {
    const p = dotFamily.fromParameters(u.parameters);
    const F = facts(p);
    const k = p.block;
    const core = dotsumModuleName(p);
    return [
      `The unit is cut at stage boundaries. \`expose -input\` turns a wire into a free input and disconnects its driver; the`,
      `logic downstream of a cut is the generated netlist unchanged. Let T = productTable(${p.a.name}, ${p.b.name}) (units of 2^${F.t.lsb}).`,
      '',
      `1. **products** (${core}): for every input, prod_i = T[a_i, b_i] and the lane flags are T's, for every lane i; so prod_i is in ${F.t.min} .. ${F.t.max}.`,
      `2. **tree** (${core}, prod_* cut): for every prod_i in that range, sum = sum_i prod_i. With 1., sum = S := sum_i T[a_i, b_i], |S| <= ${F.sumMax}.`,
      ...(F.hasNan || F.hasInf ? [`3. **flags** (${core}, lane flags cut): nan / pinf / ninf follow sumRaws from the lane flags; with 1. they are the golden flags of the sum.`] : ['3. **flags**: the formats have no NaN or Inf element, so the sum has no flags.']),
      `4. **scales** (${u.top}): for every scale pair, the scale wires are the golden decode (significand product, exponent sum, NaN${F.hasInf ? ', zero' : ''}).`,
      `5. **magnitude** (${u.top}, sum, its flags and the scale wires cut): in the ranges 2.-4. guarantee, the rounder receives the NaN / Inf / sign`,
      `   of dotBlock and, for a finite result, |S| and the exponent e_a + e_b <= ${F.expMax}.`,
      ...(F.sg.sigMax > 1n ? [`   **scaling** (${DOT_CUTS.sumAbs} and ${DOT_CUTS.scale('sig')} cut): the magnitude is |S| * s_a * s_b exactly (<= ${F.magMax}).`] : ['   The scales are powers of two: the magnitude is |S| itself.']),
      `6. **round** (${u.top}, rounder inputs cut, NaN / Inf at 0): at every such (sign, exponent, magnitude), result = the golden rounding.`,
      `7. **specials** (${u.top}, rounder inputs cut): with the NaN flag, the quiet NaN; with the Inf flag, Inf of the sign.`,
      '',
      'For any input, 1.-5. give the rounder exactly the values of the golden decomposition, and 6. / 7. give at those values what',
      'src/dot.ts dotBlock returns (the plan checks this decomposition against dotBlock and the fast kernel on 2000 blocks each run).',
      'Each obligation holds for all values of its free inputs, so together they cover the whole unit on all',
      `2^${(elementBits(p.a) + elementBits(p.b)) * k + 2 * scaleBits(p.scale)} inputs. An obligation reported unknown leaves that step, and so the unit, unproven.`,
    ];
  },
};

/** Up to 33 distinct products of code pairs: all of them for small tables, else 0 and a spread of both signs. */
function sampleProducts(t: ReturnType<typeof productTable>): bigint[] {
  const values = [...new Set(codesForProduct(t).keys())].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (values.length <= 33) return values;
  const pos = values.filter((v) => v > 0n);
  const neg = values.filter((v) => v < 0n);
  const spread = (xs: bigint[]): bigint[] => Array.from({ length: 16 }, (_, i) => xs[Math.floor((i * (xs.length - 1)) / 15)]);
  return [...new Set([0n, ...spread(neg), ...spread(pos)])];
}

/** Lanes the rounding's counterexample search gives a free product (the others are 0). */
const CEX_LANES = 8;

/** Non-negative products of code pairs for the rounding's counterexample search: all, or 256 spread over them. */
function cexProducts(t: ReturnType<typeof productTable>): bigint[] {
  const pos = [...new Set(codesForProduct(t).keys())].filter((v) => v >= 0n).sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  if (pos.length <= 256) return pos;
  return [...new Set(Array.from({ length: 256 }, (_, i) => pos[Math.floor((i * (pos.length - 1)) / 255)]))];
}

/** The code of the scale value 1 (every scale format has one). */
function oneCode(p: DotParams): number {
  const g = scaleGolden(p.scale);
  const c = g.sig.findIndex((sig, i) => !g.nan[i] && sig << BigInt(Math.max(0, g.exp[i] + g.offset)) === 1n << BigInt(Math.max(0, -(g.exp[i] + g.offset))));
  if (c < 0) throw new Error(`${p.scale.name} has no code for 1`);
  return c;
}

/** A block pair whose exact sum is s (units of 2^lsb), or null. */
function blockFor(p: DotParams, s: bigint): { a: bigint; b: bigint } | null {
  const t = productTable(p.a, p.b);
  const lanes = realizeSum(s, p.block, t);
  if (!lanes) return null;
  const codes = codesForProduct(t);
  const ca = lanes.map((v) => (codes.get(v) ?? [0, 0])[0]);
  const cb = lanes.map((v) => (codes.get(v) ?? [0, 0])[1]);
  return { a: packLanes(ca, elementBits(p.a)), b: packLanes(cb, elementBits(p.b)) };
}

function realizeDot(u: UnitRef, part: string, found: ReadonlyMap<string, bigint>): PortValues[] {
  const p = dotFamily.fromParameters(u.parameters);
  const one = BigInt(oneCode(p));
  const g = scaleGolden(p.scale);
  const t = productTable(p.a, p.b);
  const vec = (a: bigint, b: bigint, sa: bigint, sb: bigint): PortValues => ({ [DOT_PORTS.a]: a, [DOT_PORTS.b]: b, [DOT_PORTS.scaleA]: sa, [DOT_PORTS.scaleB]: sb });
  switch (part) {
    case 'products':
      return [vec(found.get(DOTSUM_PORTS.a) ?? 0n, found.get(DOTSUM_PORTS.b) ?? 0n, one, one)];
    case 'tree': {
      const codes = codesForProduct(t);
      const prods = Array.from({ length: p.block }, (_, i) => found.get(DOT_CUTS.prod(i)) ?? 0n);
      const wp = signedBits(t.min, t.max);
      const pairs = prods.map((v) => codes.get(BigInt.asIntN(Math.max(wp, v.toString(2).length), v)));
      if (pairs.some((x) => x === undefined)) return [];
      return [vec(packLanes(pairs.map((x) => (x as [number, number])[0]), elementBits(p.a)), packLanes(pairs.map((x) => (x as [number, number])[1]), elementBits(p.b)), one, one)];
    }
    case 'scales': {
      const unit = blockFor(p, 1n);
      return unit ? [vec(unit.a, unit.b, found.get(DOT_PORTS.scaleA) ?? one, found.get(DOT_PORTS.scaleB) ?? one)] : [];
    }
    case 'magnitude':
    case 'round': {
      // an exhaustive mismatch names the values sign / exp / mag, a SAT model the cut wires
      const at = (k: 'sign' | 'exp' | 'mag'): bigint | undefined => found.get(k) ?? found.get(DOT_CUTS.round(k));
      const sum = part === 'round' ? (at('sign') ? -1n : 1n) : 1n;
      if (part === 'magnitude') {
        const wsum = found.get(DOT_CUTS.sum);
        if (wsum === undefined) return [];
        const e = Number(found.get(DOT_CUTS.scale('exp')) ?? 0n);
        const pair = realizeScales(g, e, 1n);
        const block = blockFor(p, BigInt.asIntN(signedBits(-t.maxAbs * BigInt(p.block), t.maxAbs * BigInt(p.block)), wsum));
        return pair && block ? [vec(block.a, block.b, BigInt(pair[0]), BigInt(pair[1]))] : [];
      }
      // the counterexample search names lane products and scale codes itself
      const ca = found.get('cx_a');
      const cb = found.get('cx_b');
      if (ca !== undefined && cb !== undefined && found.has('cx_p0')) {
        const codes = codesForProduct(t);
        const pairs = Array.from({ length: p.block }, (_, i) => codes.get(sum * (found.get(i < CEX_LANES ? `cx_p${i}` : 'cx_q') ?? 0n)));
        if (pairs.some((x) => x === undefined)) return [];
        const code = (j: 0 | 1): bigint => packLanes(pairs.map((x) => (x as [number, number])[j]), j === 0 ? elementBits(p.a) : elementBits(p.b));
        return [vec(code(0), code(1), ca, cb)];
      }
      const mag = at('mag') ?? 0n;
      const pair = realizeScales(g, Number(at('exp') ?? 0n), mag);
      if (!pair) return [];
      const block = blockFor(p, (sum * mag) / (g.sig[pair[0]] * g.sig[pair[1]]));
      return block ? [vec(block.a, block.b, BigInt(pair[0]), BigInt(pair[1]))] : [];
    }
    case 'flags': {
      // a code pair per lane with the flag the model gives it
      const pairOf = (flag: number): [number, number] | null => {
        const i = t.flags.findIndex((f) => f === flag);
        return i < 0 ? null : [i >> t.bBits, i & ((1 << t.bBits) - 1)];
      };
      const bit = (name: string, i: number): boolean => (((found.get(name) ?? 0n) >> BigInt(i)) & 1n) === 1n;
      const ca: number[] = [];
      const cb: number[] = [];
      for (let i = 0; i < p.block; i++) {
        const flag = bit(DOT_CUTS.laneNan, i) ? 1 : bit(DOT_CUTS.lanePinf, i) ? 2 : bit(DOT_CUTS.laneNinf, i) ? 4 : 0;
        const pair = flag === 0 ? ([0, 0] as [number, number]) : pairOf(flag);
        if (!pair) return [];
        ca.push(pair[0]);
        cb.push(pair[1]);
      }
      return [vec(packLanes(ca, elementBits(p.a)), packLanes(cb, elementBits(p.b)), one, one)];
    }
    case 'scaling': {
      const x = found.get(DOT_CUTS.sumAbs) ?? 0n;
      const y = found.get(DOT_CUTS.scale('sig')) ?? 0n;
      const block = blockFor(p, x);
      for (let a = 0; a < g.sig.length; a++) {
        for (let b = 0; b < g.sig.length; b++) {
          if (g.nan[a] || g.nan[b] || g.sig[a] * g.sig[b] !== y) continue;
          return block ? [vec(block.a, block.b, BigInt(a), BigInt(b))] : [];
        }
      }
      return [];
    }
    case 'specials': {
      const nanCode = BigInt(g.nan.findIndex((x) => x));
      return found.get(DOT_CUTS.round('nan')) === 1n ? [vec(0n, 0n, nanCode, one)] : [];
    }
    default:
      return [];
  }
}

/** A scale code's significand (at wm bits), exponent (at we bits) and NaN flag, as a case table of the golden decode. */
function scaleCase(code: string, g: ReturnType<typeof scaleGolden>, wm: number, we: number): string[] {
  const ws = Math.max(1, Math.ceil(Math.log2(g.sig.length)));
  return [
    `reg [${wm - 1}:0] ${code}_sig;`,
    `reg [${we - 1}:0] ${code}_exp;`,
    `reg ${code}_nan;`,
    'always @* begin',
    `  case (${code})`,
    ...g.sig.map((sig, c) => `    ${ws}'d${c}: begin ${code}_sig = ${hexLit(wm, sig)}; ${code}_exp = ${hexLit(we, g.exp[c])}; ${code}_nan = 1'b${g.nan[c] ? 1 : 0}; end`),
    `    default: begin ${code}_sig = ${wm}'d0; ${code}_exp = ${we}'d0; ${code}_nan = 1'b1; end`,
    '  endcase',
    'end',
  ];
}

/**
 * The scaling obligation where its operand pairs are too many to enumerate: the generated product
 * (its operands cut) against a full-width multiplication by SAT. Where the magnitude wire is
 * narrower than the full product, only the operand ranges the magnitude and scales obligations
 * guarantee are assumed.
 */
function scalingBySat(u: UnitRef, p: DotParams, ts: ModuleShape, F: ReturnType<typeof facts>, wa: number, wsig: number, wm: number, V: DotView['value']): ObligationSpec {
  const id = obligationId(u, 'scaling');
  const A = DOT_CUTS.sumAbs;
  const G = DOT_CUTS.scale('sig');
  const full = Math.max(wa + wsig, wm);
  const sigMax = F.sg.sigMax * F.sg.sigMax;
  const ranged = wm < wa + wsig;
  const topInputs: FreeInput[] = [
    { name: DOT_PORTS.a, width: elementBits(p.a) * p.block },
    { name: DOT_PORTS.b, width: elementBits(p.b) * p.block },
    { name: DOT_PORTS.scaleA, width: scaleBits(p.scale) },
    { name: DOT_PORTS.scaleB, width: scaleBits(p.scale) },
  ];
  const title = `with ${A} and ${G} cut: ${V('mag')} = ${A} * ${G}${ranged ? ' in the ranges the magnitude and scales obligations guarantee' : ', for every value of both'}`;
  const m: Miter = {
    id,
    about: [
      `gold: ${A} * ${G} at ${full} bits, where no product overflows; gate: ${V('mag')} with both operands cut.`,
      ranged ? `Assumption: ${A} <= ${F.sumMax} and ${G} <= ${sigMax}.` : 'No assumption.',
    ],
    inputs: [...topInputs, { name: A, width: wa }, { name: G, width: wsig }],
    dutWires: [{ name: 'dut_mag', width: wm }],
    dutConnections: [...connect(topInputs), { port: A, expr: A }, { port: G, expr: G }, ...ts.ports.filter((x) => x.dir === 'output' && x.name !== V('mag')).map((x) => ({ port: x.name, expr: '' })), { port: V('mag'), expr: 'dut_mag' }],
    gold: [`assign gold_y = {${full - wa}'d0, ${A}} * {${full - wsig}'d0, ${G}};`],
    gate: full > wm ? `{${full - wm}'d0, dut_mag}` : 'dut_mag',
    ok: ranged ? `${A} <= ${hexLit(wa, F.sumMax)} && ${G} <= ${hexLit(wsig, sigMax)}` : NO_ASSUMPTION,
    width: full,
  };
  const prep = { rtlFiles: u.files.map((f) => f.name), top: u.top, cuts: [A, G], observes: [V('mag')], ties: tiesOf(ts, [A, G], [V('mag')]) };
  const s = miterScripts('sat', m, title, prep, null);
  // after a failure: the same question with the significand product one that two scale codes give
  const products = [...new Set(F.sg.sig.flatMap((x, a) => (F.sg.nan[a] ? [] : F.sg.sig.flatMap((y, b) => (F.sg.nan[b] ? [] : [x * y])))))].sort((x, y) => (x < y ? -1 : x > y ? 1 : 0));
  const search = miterScripts('sat', { ...m, id: `${id}.cex`, ok: `${A} <= ${hexLit(wa, F.sumMax)} && (${products.map((v) => `${G} == ${hexLit(wsig, v)}`).join(' || ')})` }, `${title} (counterexample search among products of scale codes)`, prep, null);
  return {
    id,
    unit: u,
    title,
    cexSearch: { scriptFile: search.scriptFile, script: search.script, files: search.files },
    statement: [
      `${A} (${wa} bits) and ${G} (${wsig} bits) are cut. For every value of them${ranged ? ` with ${A} <= ${F.sumMax} and ${G} <= ${sigMax}` : ''}: ${V('mag')} = their product, exactly.`,
      `Method: SAT against the product at ${full} bits (2^${wa + wsig} operand pairs are too many to enumerate).`,
    ],
    method: 'sat',
    scriptFile: s.scriptFile,
    script: s.script,
    files: s.files,
    weight: 2,
  };
}

/**
 * The rounding obligation where enumerating it is out of reach: the generated rounder (its inputs
 * cut) against the reference rounder of formal/round-reference.ts by SAT, for every input in the
 * range the magnitude obligation guarantees. Before the SAT run the worker checks the reference
 * itself against the golden rounding at every exponent and the boundary magnitudes of its width.
 */
function roundBySat(u: UnitRef, p: DotParams, ts: ModuleShape, roundIns: readonly ('sign' | 'mag' | 'exp' | 'nan' | 'inf')[], F: ReturnType<typeof facts>, title: string): ObligationSpec {
  const w = (n: string): number => wireWidth(u.top, ts, n, 'the rounder\'s inputs are cut there');
  const wm = w(DOT_CUTS.round('mag'));
  const we = w(DOT_CUTS.round('exp'));
  const st = roundStage(p, roundIns, F);
  // after a failure the solver may have chosen a magnitude no input block gives (a sum no k products
  // make, or one no pair of scale significands divides): the same question at
  // round_mag = (p_0 + ... + p_{L-1} + (k - L) q) * sig(c_a) * sig(c_b), round_exp = exp(c_a) + exp(c_b), for L
  // lanes of products of real code pairs, every other lane one more such product q, and free scale
  // codes c_a, c_b
  return roundSatObligation(u, ts, st, title, (m, prep, ref) => {
    const ws = scaleBits(p.scale);
    const wS = bitLen(F.sumMax);
    const lanes = Math.min(p.block, CEX_LANES);
    const products = cexProducts(F.t);
    const wp = bitLen(F.t.maxAbs);
    const pn = (i: number): string => `cx_p${i}`;
    const table = (c: string): string[] => scaleCase(c, F.sg, wm, we);
    const found: Miter = {
      ...m,
      id: `${m.id}.cex`,
      inputs: [...m.inputs, ...Array.from({ length: lanes }, (_, i) => ({ name: pn(i), width: wp })), { name: 'cx_q', width: wp }, { name: 'cx_a', width: ws }, { name: 'cx_b', width: ws }],
      gold: [
        ...m.gold,
        `wire [${wS - 1}:0] cx_sum = ${[...Array.from({ length: lanes }, (_, i) => `{${wS - wp}'d0, ${pn(i)}}`), `${wS}'d${p.block - lanes} * {${wS - wp}'d0, cx_q}`].join(' + ')};`,
        ...table('cx_a'),
        ...table('cx_b'),
      ],
      ok: [
        m.ok,
        ...[...Array.from({ length: lanes }, (_, i) => pn(i)), 'cx_q'].map((n) => `(${products.map((v) => `${n} == ${hexLit(wp, v)}`).join(' || ')})`),
        '~cx_a_nan && ~cx_b_nan',
        `${DOT_CUTS.round('mag')} == {${wm - wS}'d0, cx_sum} * cx_a_sig * cx_b_sig`,
        `${DOT_CUTS.round('exp')} == cx_a_exp + cx_b_exp`,
      ].join(' && '),
    };
    const search = miterScripts('sat', found, `${title} (counterexample search among magnitudes of input blocks)`, prep, ref);
    return { scriptFile: search.scriptFile, script: search.script, files: search.files };
  });
}

/** The dot product's rounder as the shared rounding obligations see it. */
function roundStage(p: DotParams, roundIns: readonly ('sign' | 'mag' | 'exp' | 'nan' | 'inf')[], F: ReturnType<typeof facts>): RoundStage {
  return {
    sign: DOT_CUTS.round('sign'),
    mag: DOT_CUTS.round('mag'),
    exp: DOT_CUTS.round('exp'),
    nan: roundIns.includes('nan') ? DOT_CUTS.round('nan') : null,
    inf: roundIns.includes('inf') ? DOT_CUTS.round('inf') : null,
    result: DOT_PORTS.result,
    out: p.out,
    magMax: F.magMax,
    expMax: F.expMax,
    expOffset: F.expOffset,
    zero: 'positive',
    inputs: [
      { name: DOT_PORTS.a, width: elementBits(p.a) * p.block },
      { name: DOT_PORTS.b, width: elementBits(p.b) * p.block },
      { name: DOT_PORTS.scaleA, width: scaleBits(p.scale) },
      { name: DOT_PORTS.scaleB, width: scaleBits(p.scale) },
    ],
  };
}

/** The dot module's cut points at the dotsum instance: the exact sum and its flags (those it has). */
function sumCutsOf(ts: ModuleShape): string[] {
  return [DOT_CUTS.sum, ...(['nan', 'pinf', 'ninf'] as const).filter((f) => ts.wires[DOT_CUTS.sumFlag(f)] !== undefined).map((f) => DOT_CUTS.sumFlag(f))];
}

/** The dotsum flag outputs left open in a miter that does not read them. */
function dotsumFlagConnections(cs: ModuleShape): { port: string; expr: string }[] {
  return (['nan', 'pinf', 'ninf'] as const).filter((f) => cs.ports.some((x) => x.name === DOTSUM_PORTS[f])).map((f) => ({ port: DOTSUM_PORTS[f], expr: '' }));
}
